"""The `practice-wiki` command: Flask's own commands plus ours, grouped by feature."""

import os

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlmodel import Session

from practices import accounts, database, demo, policy, tokens
from practices.models import Role


class WikiGroup(FlaskGroup):
    """Flask's group, except that the commands added to it (`serve`, `doctor`) are found
    without loading the plugin commands of installed packages first: `serve` forks its
    workers from this process, and flask-limiter's `limiter` command would give each of
    them `rich` and `attrs` (2.7 MB) that they never use. `--help` and every other command
    still load and list the plugins."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.commands.get(name) or super().get_command(ctx, name)


def main() -> None:
    command_group()()


def command_group() -> WikiGroup:
    from wiki import create_app

    group = WikiGroup(create_app=create_app,
                      help="practice-wiki: practice sheets for soil carbon.")
    for command in standalone_commands():
        group.add_command(command)
    return group


def standalone_commands() -> list[click.Command]:
    """Commands that build the app themselves (serve in each worker after the fork, doctor
    so that a broken configuration is reported, not raised): not on `app.cli`."""
    from wiki.doctor import doctor_command
    from wiki.serve import serve_command

    return [serve_command, doctor_command]


def register(app: Flask) -> None:
    for group in (db_group, users_group):
        app.cli.add_command(group)
    app.cli.add_command(demo_command)
    from wiki.search_cli import search_group  # issue 4

    app.cli.add_command(search_group)
    from wiki.import_cli import COMMANDS as import_commands  # issue 5
    for command in import_commands:
        app.cli.add_command(command)
    from wiki.operations_cli import COMMANDS as operations_commands  # issue 12

    for command in operations_commands:
        app.cli.add_command(command)


def _session() -> Session:
    return Session(current_app.extensions["engine"])


@click.group("db", help="Database schema.")
def db_group():
    pass


@db_group.command("upgrade", help="Apply schema migrations (creates the database if needed).")
@click.option("--revision", default="heads", show_default=True)
@with_appcontext
def db_upgrade(revision: str):
    database.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo("Database is up to date.")


@db_group.command("downgrade", help="Step the schema back to REVISION.")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str):
    database.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database downgraded to {revision}.")


@click.command("demo", help="Load the demo sheets, partners and accounts.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the wiki already has sheets.")
@with_appcontext
def demo_command(if_empty: bool):
    with _session() as session:
        if not demo.is_empty(session):
            if if_empty:
                click.echo("The wiki already has sheets; demo data not loaded.")
                _show_saved_credentials()
                return
            raise click.ClickException("The wiki already has sheets; load the demo into an "
                                       "empty database.")
        result = demo.load(session)
        session.commit()
    click.echo(f"Loaded {result.sheets} demo sheets.")
    _save_credentials(result.credentials)


def _show_saved_credentials() -> None:
    path = os.path.join(current_app.instance_path, "demo-accounts.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            click.echo(handle.read().rstrip())


def _save_credentials(credentials) -> None:
    """Passwords are generated at first load, shown once, and kept only in the instance folder."""
    if not credentials:
        return
    lines = [f"{role:12} {email:40} {password}" for role, email, password in credentials]
    os.makedirs(current_app.instance_path, exist_ok=True)
    path = os.path.join(current_app.instance_path, "demo-accounts.txt")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("Demo accounts (sign in at /login):\n" + "\n".join(lines) + "\n")
    click.echo("Demo accounts (also saved in instance/demo-accounts.txt):")
    click.echo("\n".join(lines))


@click.group("users", help="User accounts.")
def users_group():
    pass


@users_group.command("create", help="Create an account (prints a generated password if none).")
@click.option("--email", required=True)
@click.option("--name", default="")
@click.option("--role", type=click.Choice(Role.ALL), default=Role.CONTRIBUTOR, show_default=True)
@click.option("--password", default=None, help="Omit to generate one.")
@with_appcontext
def users_create(email: str, name: str, role: str, password: str | None):
    generated = password is None
    password = password or accounts.generate_password()
    with _session() as session:
        try:
            user = accounts.create_user(session, email=email, name=name, password=password,
                                        role=role)
        except accounts.AccountError as refused:
            raise click.ClickException(str(refused)) from None
        session.commit()
        click.echo(f"Created {user.role} {user.email}.")
    if generated:
        click.echo(f"Password: {password}")


@users_group.command("set-role", help="Change the role of an account.")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(Role.ALL), required=True)
@with_appcontext
def users_set_role(email: str, role: str):
    with _session() as session:
        user = accounts.find_by_email(session, email)
        if user is None:
            raise click.ClickException(f"No account with the e-mail {email}.")
        accounts.set_role(session, user, role, actor=None)  # audited, by the command line
        session.commit()
    click.echo(f"{email} is now {role}.")


@users_group.command("token", help="Create a personal API token for an account and print it "
                                   "(shown once; listed and revocable on the profile page).")
@click.option("--email", required=True)
@click.option("--name", default="command line", show_default=True,
              help="What the token is for, as the profile page lists it.")
@with_appcontext
def users_token(email: str, name: str):
    with _session() as session:
        user = accounts.find_by_email(session, email)
        if user is None:
            raise click.ClickException(f"No account with the e-mail {email}.")
        if not policy.can_manage_tokens(user):
            raise click.ClickException(f"The account {user.email} is not active; activate "
                                       "it before giving it a token.")
        try:
            token, plain = tokens.create(session, user, name,
                                         key=current_app.config["SECRET_KEY"])
        except tokens.TokenError as refused:
            raise click.ClickException(str(refused)) from None
        session.commit()
        click.echo(f"Token {token.name!r} for {user.email} ({user.role}); it is shown only "
                   "once:", err=True)
    click.echo(plain)  # alone on standard output, for scripts
