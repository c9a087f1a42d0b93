"""`vaultkit check`."""

from __future__ import annotations

import click

from vaultkit.cli.context import AppContext, echo_json, json_option, pass_app


@click.command()
@json_option
@click.option("--errors-only", is_flag=True, help="Leave warnings out.")
@click.option("--as-of", "as_of", metavar="WHEN", help="Judge statuses as of this date or time.")
@pass_app
def check(app: AppContext, as_json: bool, errors_only: bool, as_of: str | None) -> None:
    """Lint the vault: unreadable front-matter, bad dates, missing keys, broken or
    ambiguous links, referral cycles. Exits 1 when there is an error."""
    from vaultkit.domain.check import check_vault

    career = app.career()
    found = check_vault(career, app.now(as_of))
    if errors_only:
        found = [d for d in found if d.severity == "error"]
    errors = sum(1 for d in found if d.severity == "error")
    if as_json:
        echo_json([d.to_json() for d in found])
    else:
        for diagnostic in found:
            click.echo(diagnostic.format())
        warnings = len(found) - errors
        click.echo(
            f"{len(career.index.notes)} notes checked: "
            f"{errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}",
            err=True,
        )
    if errors:
        raise SystemExit(1)
