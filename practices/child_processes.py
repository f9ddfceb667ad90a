"""Helper processes that die with the process that started them.

An import indexes in a second process, and `search rebuild --procs N` writes with N more.
When the parent is killed (`kill -9`, the OOM killer, a container stopped), nothing tells
them: a child waiting on a queue or polling the change log would live on, holding whatever
it inherited (a forked child holds the parent's database socket open, so the server keeps
the parent's transaction "idle in transaction" with its row locks, and a rerun or a
migration waits forever). So every such child calls `die_with_parent` first:

- on Linux the kernel kills it when the parent dies (prctl PR_SET_PDEATHSIG);
- everywhere, a watchdog thread notices that its parent changed (it was re-parented) and
  ends the process at once;
- if the parent is already gone when the child starts, it ends at once.
"""

import ctypes
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_EVERY = 0.5  # seconds between two looks at the parent, where prctl is not available


def die_with_parent(parent_pid: int) -> None:
    """Make this (child) process end as soon as `parent_pid`, its parent, has ended."""
    _ask_kernel()
    if not parent_alive(parent_pid):  # died before the kernel was asked: nobody would tell
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), name="parent-watchdog",
                     daemon=True).start()


def parent_alive(parent_pid: int) -> bool:
    """Is the process that started this one still its parent? (An orphan is re-parented to
    init or a sub-reaper, so its parent id changes.)"""
    return os.getppid() == parent_pid


def _ask_kernel() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl (an unusual libc): the watchdog remains
        pass


def _watch(parent_pid: int) -> None:
    stopped = threading.Event()
    while not stopped.wait(WATCH_EVERY):
        if not parent_alive(parent_pid):
            os._exit(1)  # nothing to clean: whole records are committed, the index is redone
