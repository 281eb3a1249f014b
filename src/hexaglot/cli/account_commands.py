"""Accounts, API tokens and the history of changes: `hexaglot user …`, `hexaglot token …`,
`hexaglot history`, `hexaglot revert`."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from hexaglot.cli import app
from hexaglot.cli.output import console, fail, print_json, reported
from hexaglot.domain.access import ROLES, SCOPES

user_app = typer.Typer(help="Accounts: readers, cataloguers and admins.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens of an account (sent as Authorization: Bearer TOKEN).",
                        no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            fail("--password-stdin: standard input gave no password")
        return password
    if not sys.stdin.isatty():
        fail("no terminal to ask for the password: give it on standard input with "
             "--password-stdin")
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Password again", hide_input=True) != first:
        fail("the two passwords differ; nothing was changed")
    return str(first)


@user_app.command("add")
def user_add(
    email: str = typer.Argument(..., help="The account's email (how it signs in)."),
    role: str = typer.Option("reader", "--role", help=f"One of {', '.join(ROLES)}."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input's first line."),
) -> None:
    """Add an account (the password is asked for, or read with --password-stdin; it is
    stored as an Argon2id hash only). The first account makes drafts staff only."""
    from hexaglot.app.accounts import add_user
    from hexaglot.app.archive import open_archive

    password = _password(password_stdin)
    with open_archive() as archive, reported():
        user = add_user(archive, email, password, role)
    print(user.email)


@user_app.command("list")
def user_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the accounts."""
    from hexaglot.app.accounts import list_users
    from hexaglot.app.archive import open_archive

    with open_archive() as archive:
        users = list_users(archive)
    if as_json:
        print_json({"users": [u.as_json() for u in users]})
        return
    table = Table("Email", "Role", "State", "Created")
    for u in users:
        table.add_row(u.email, u.role, "disabled" if u.disabled else "enabled",
                      u.created.strftime("%Y-%m-%d %H:%M"))
    console.print(table)


@user_app.command("role")
def user_role(
    email: str = typer.Argument(..., help="The account's email."),
    role: str = typer.Argument(..., help=f"One of {', '.join(ROLES)}."),
) -> None:
    """Change an account's role (its sessions end)."""
    from hexaglot.app.accounts import set_role
    from hexaglot.app.archive import open_archive

    with open_archive() as archive, reported():
        user = set_role(archive, email, role)
    print(f"{user.email} {user.role}")


@user_app.command("disable")
def user_disable(
    email: str = typer.Argument(..., help="The account's email."),
    enable: bool = typer.Option(False, "--enable", help="Enable the account again instead."),
) -> None:
    """Disable an account: it cannot sign in, its sessions and tokens stop working."""
    from hexaglot.app.accounts import disable_user
    from hexaglot.app.archive import open_archive

    with open_archive() as archive, reported():
        user = disable_user(archive, email, not enable)
    print(f"{user.email} {'disabled' if user.disabled else 'enabled'}")


@token_app.command("create")
def token_create(
    email: str = typer.Argument(..., help="The account the token acts as."),
    name: str | None = typer.Option(None, "--name", help="What the token is for."),
    scope: str = typer.Option("read", "--scope", help=f"One of {', '.join(SCOPES)}."),
) -> None:
    """Make an API token and print it, once: only its hash is stored."""
    from hexaglot.app.accounts import create_token
    from hexaglot.app.archive import open_archive

    with open_archive() as archive, reported():
        token, secret = create_token(archive, email, name, scope)
    typer.echo(f"token {token.id} ({token.scope}) for {token.email}; it is shown only now:",
               err=True)
    print(secret)


@token_app.command("list")
def token_list(
    email: str = typer.Argument(..., help="The account."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List an account's tokens (never the tokens themselves)."""
    from hexaglot.app.accounts import list_tokens
    from hexaglot.app.archive import open_archive

    with open_archive() as archive, reported():
        tokens = list_tokens(archive, email)
    if as_json:
        print_json({"tokens": [t.as_json() for t in tokens]})
        return
    table = Table("ID", "Name", "Scope", "Created", "Revoked")
    for t in tokens:
        table.add_row(str(t.id), t.name, t.scope, t.created.strftime("%Y-%m-%d %H:%M"),
                      t.revoked.strftime("%Y-%m-%d %H:%M") if t.revoked else "")
    console.print(table)


@token_app.command("revoke")
def token_revoke(token_id: int = typer.Argument(..., help="The token's id (token list).")) -> None:
    """Revoke a token: it stops working at once."""
    from hexaglot.app.accounts import revoke_token
    from hexaglot.app.archive import open_archive

    with open_archive() as archive, reported():
        token = revoke_token(archive, token_id)
    print(f"token {token.id} revoked")


@app.command()
def history(
    asset_id: str = typer.Argument(..., help="The asset."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The asset's history of changes: who, when, and field by field before and after."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.history import asset_history

    with open_archive() as archive, reported():
        changes = asset_history(archive, asset_id)
    if as_json:
        print_json({"asset_id": asset_id, "history": [c.as_json() for c in changes]})
        return
    table = Table("Change", "When", "Who", "Action", "Fields")
    for c in changes:
        table.add_row(str(c.id), c.at.strftime("%Y-%m-%d %H:%M:%S"), c.actor, c.action,
                      ", ".join(c.changes))
    console.print(table)


@app.command()
def revert(
    asset_id: str = typer.Argument(..., help="The asset."),
    change_id: int = typer.Argument(..., help="Put the record back as it was after this "
                                    "change (its id in `hexaglot history`)."),
) -> None:
    """Put a record back as it was after one of its changes (entered as a new change)."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.history import revert_asset

    with open_archive() as archive, reported():
        revert_asset(archive, asset_id, change_id)
    print(asset_id)
