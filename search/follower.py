"""A process that keeps the index caught up while another one writes the database (an
import), so that two cores share the work.

It is started with multiprocessing's "spawn" method: a fresh interpreter that inherits no
database connection, lock or open index of its parent, and it makes its own engine. It
dies with its parent (`practices.child_processes`), so a killed import leaves nothing
behind that holds the database or the index. (Killed while this process is still
starting, importing its modules, the parent is noticed gone on its first line.)
"""

from practices.child_processes import die_with_parent, parent_alive
from practices.database import make_engine
from search import indexer
from search.store import IndexStore

IDLE_WAIT = 0.2  # seconds between two looks at the change log when there was nothing new


def follow_changes(index_dir: str, url: str, stop, parent_pid: int, ready=None) -> None:
    """Apply the change log to the index until `stop` is set (then once more) or the
    parent ends. `ready` is set once started (until then the parent may just end it)."""
    die_with_parent(parent_pid)
    engine, store = make_engine(url), IndexStore(index_dir)
    if ready is not None:
        ready.set()
    try:
        while parent_alive(parent_pid):
            finishing, applied = stop.is_set(), 0
            name = store.current_name()
            if name is not None:
                index = store.open(name)
                try:
                    applied = indexer.catch_up_all(index, engine)
                except indexer.IndexBusy:  # the web app is writing it: try again soon
                    pass
                finally:
                    index.close()
            if finishing:
                return
            if not applied:
                stop.wait(IDLE_WAIT)
    except KeyboardInterrupt:  # Ctrl-C reaches both processes; the parent finishes the job
        return
    finally:
        engine.dispose()
