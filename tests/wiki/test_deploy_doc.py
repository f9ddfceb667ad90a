"""docs/deploy.md: every `practice-wiki …` command in its code blocks is a real command of
this version with real options, and the safe ones run against a scratch wiki."""

import re
import shlex
from pathlib import Path

import click
import pytest

from wiki import create_app
from wiki.cli import standalone_commands

DOC = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"

# Commands that need no network and no long-running process: the second test runs them.
RUNNABLE = {
    ("db", "upgrade"),
    ("users", "create"),
    ("backup",),
    ("restore",),
    ("search", "check"),
    ("search", "rebuild"),
    ("uploads", "migrate"),
    ("import", "runs"),
    ("doctor",),
}

# `practice-wiki` as the program: at the start of a line, after a space, or as …/bin/practice-wiki
INVOCATION = re.compile(r"(?:^|(?<=\s)|(?<=bin/))practice-wiki[ \t]+([^\n]*)")


def fenced_blocks(text: str) -> list[str]:
    return re.findall(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```", text, flags=re.MULTILINE | re.DOTALL)


def documented_commands() -> list[list[str]]:
    commands = []
    for block in fenced_blocks(DOC.read_text(encoding="utf-8")):
        for tail in INVOCATION.findall(block.replace("\\\n", " ")):
            tail = re.sub(r"\$\([^)]*\)", "X", tail).replace("'", "")  # $(date …) is one word
            tail = re.split(r"\s#|&&|\|\||[|;]", " " + tail)[0]
            words = shlex.split(tail)
            if words:
                commands.append(words)
    return commands


@pytest.fixture(scope="module")
def cli():
    return with_standalone_commands(create_app({"DATABASE_URL": "sqlite://"})).cli


def with_standalone_commands(app):
    """The app's commands plus those `practice-wiki` adds beside them (serve, doctor)."""
    for command in standalone_commands():
        app.cli.add_command(command)
    return app


def resolve(cli, words: list[str]) -> tuple[list[str], click.Command | None, list[str]]:
    """The command path, the command (None when there is no such command) and its args."""
    command, path, rest = cli, [], list(words)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        command = command.get_command(None, rest[0])
        path.append(rest.pop(0))
        if command is None:
            return path, None, rest
    return path, command, rest


def problems_with(command: click.Command, args: list[str]) -> list[str]:
    """Unknown options, missing option values, too many arguments, wrong choices."""
    options = {
        name: param
        for param in command.params
        if isinstance(param, click.Option)
        for name in (*param.opts, *param.secondary_opts)
    }
    arguments = [param for param in command.params if isinstance(param, click.Argument)]
    problems, positional, rest = [], [], list(args)
    while rest:
        word = rest.pop(0)
        if not word.startswith("-"):
            positional.append(word)
            continue
        name, has_value, _value = word.partition("=")
        option = options.get(name)
        if option is None:
            problems.append(f"unknown option {name}")
        elif not option.is_flag and not option.count and not has_value:
            if not rest:
                problems.append(f"{name} needs a value")
            else:
                rest.pop(0)
    if not any(argument.nargs == -1 for argument in arguments) and len(positional) > len(arguments):
        problems.append(f"too many arguments: {positional}")
    for argument, value in zip(arguments, positional, strict=False):
        if isinstance(argument.type, click.Choice) and value not in argument.type.choices:
            problems.append(f"{value} is not one of {argument.type.choices}")
    return problems


def test_the_guide_has_the_commands_it_should():
    documented = {" ".join(words[:2]) for words in documented_commands()}
    assert {
        "db upgrade",
        "serve --host",
        "doctor",
        "backup /var/backups/practice-wiki/wiki-X.zip",
        "import wocat",
        "uploads migrate",
        "search rebuild",
        "search check",
    } <= documented


@pytest.mark.parametrize("words", documented_commands(), ids=" ".join)
def test_every_command_in_the_guide_is_a_command_of_the_cli(cli, words):
    path, command, args = resolve(cli, words)
    assert command is not None, f"no such command: practice-wiki {' '.join(path)}"
    assert not isinstance(command, click.Group), f"incomplete: practice-wiki {' '.join(words)}"
    assert problems_with(command, args) == [], " ".join(words)


def scratch_app(tmp_path, name: str):
    return with_standalone_commands(create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / name / 'wiki.db'}",
            "SEARCH_INDEX_DIR": str(tmp_path / name / "index"),
            "UPLOAD_DIR": str(tmp_path / name / "uploads"),
        },
        instance_path=str(tmp_path / name),
    ))


def test_the_safe_commands_of_the_guide_run_in_order_on_a_scratch_wiki(tmp_path):
    """As a deployer would: set up, back up, restore on a "new machine", check, upgrade."""
    machine = scratch_app(tmp_path, "first")
    backups = tmp_path / "backups"
    backups.mkdir()
    latest, ran = None, []
    for words in documented_commands():
        path, command, args = resolve(machine.cli, words)
        if command is None or tuple(path) not in RUNNABLE:
            continue
        args = [
            str(backups / Path(arg).name) if arg.startswith("/var/backups/") else arg
            for arg in args
        ]
        runner = machine
        if path == ["restore"]:  # on a new machine, from the latest backup
            runner = scratch_app(tmp_path, f"restored-{len(ran)}")
            args = [str(latest)]
        result = runner.test_cli_runner().invoke(args=[*path, *args])
        assert result.exit_code == 0, f"practice-wiki {' '.join(words)}:\n{result.output}"
        if path == ["backup"]:
            latest = Path(args[0])
            assert latest.is_file()
        if runner is not machine:
            runner.extensions["engine"].dispose()
        ran.append(" ".join(path))
    machine.extensions["engine"].dispose()
    assert {
        "db upgrade",
        "users create",
        "backup",
        "restore",
        "uploads migrate",
        "search rebuild",
        "search check",
        "import runs",
        "doctor",
    } <= set(ran)
