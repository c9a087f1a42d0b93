"""`vaultkit check`."""

from __future__ import annotations

import datetime as dt

import click

from vaultkit.cli.context import AppContext, json_option, json_text, pass_app


@click.command()
@json_option
@click.option("--errors-only", is_flag=True, help="Leave warnings out.")
@click.option("--as-of", "as_of", metavar="WHEN", help="Judge statuses as of this date or time.")
@pass_app
def check(app: AppContext, as_json: bool, errors_only: bool, as_of: str | None) -> None:
    """Lint the vault: unreadable front-matter, bad dates, missing keys, broken or
    ambiguous links, referral cycles. Exits 1 when there is an error."""
    app.reads_tasks = True  # a task's date that is no date is an error
    if as_json:
        found_errors = _stored_json(app, errors_only, as_of)
        if found_errors:
            raise SystemExit(1)
        return
    from vaultkit.domain.check import check_vault

    career = app.career()
    found = check_vault(career, app.now(as_of))
    if errors_only:
        found = [d for d in found if d.severity == "error"]
    errors = sum(1 for d in found if d.severity == "error")
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


def _stored_json(app: AppContext, errors_only: bool, as_of: str | None) -> bool:
    """Print ``check --json``, reused while the vault and the clock's verdicts
    stand; True when there is an error."""
    import sys

    from vaultkit.cli.context import wall_clock

    moment: dict[str, dt.datetime] = {}

    def compute() -> str:
        from vaultkit.domain.check import check_vault

        now = moment["now"] = app.now(as_of)
        found = check_vault(app.career(), now)
        if errors_only:
            found = [d for d in found if d.severity == "error"]
        errors = any(d.severity == "error" for d in found)
        return f"{int(errors)}\n{json_text([d.to_json() for d in found])}"

    def valid_until() -> dt.datetime:
        from vaultkit.domain.followups import next_change

        return next_change(app.career(), (), moment["now"])  # statuses the clock outdates

    clock = wall_clock() if not as_of else None
    parts = ("check", errors_only, as_of, sys.stdout.isatty())
    stored = app.cached_output(
        parts, compute, now=clock, valid_until=valid_until if clock is not None else None
    )
    errors, _, text = stored.partition("\n")
    click.echo(text)
    return errors == "1"
