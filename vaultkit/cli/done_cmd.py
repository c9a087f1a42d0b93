"""`vaultkit done thank-you|reply|task|interview`, `vaultkit log`, `cancel`,
`reschedule` and `set`: the only commands that edit a note you wrote; each
changes only the lines it names."""

from __future__ import annotations

import click

from vaultkit.cli.context import AppContext, pass_app
from vaultkit.domain.vocabulary import CONTACT_STATUSES

on_option = click.option(
    "--on", "on", metavar="DATE", help="When it happened (YYYY-MM-DD). Default: today."
)


def _report(recorded) -> None:  # type: ignore[no-untyped-def]
    if not recorded.changes:
        click.echo(f"unchanged  {recorded.path} (already recorded)")
        return
    click.echo(f"updated  {recorded.path}")
    for change in recorded.changes:
        click.echo(f"  {change}")


@click.group()
def done() -> None:
    """Record that a follow-up is done, in the note it comes from."""


@done.command(name="thank-you")
@click.argument("name")
@on_option
@pass_app
def done_thank_you(app: AppContext, name: str, on: str | None) -> None:
    """Set thank_you_sent on your latest interview with NAME."""
    from vaultkit.outputs.done_and_log import record_thank_you

    # With --on, the interview held by the end of that day, whatever the clock says.
    _report(record_thank_you(app.career(), name, app.today(on), None if on else app.now()))


as_of_option = click.option(
    "--as-of", "as_of", metavar="WHEN", help="Take this as now (date or date-time). Default: now."
)


@done.command(name="interview")
@click.argument("name")
@on_option
@as_of_option
@pass_app
def done_interview(app: AppContext, name: str, on: str | None, as_of: str | None) -> None:
    """Mark an interview as held: status done on NAME's latest planned interview
    that had begun by --on (or on the interview note NAME)."""
    from vaultkit.outputs.loop_edits import record_interview_done

    now = app.now(as_of)
    day = app.today(on) if on else now.date()
    _report(record_interview_done(app.career(), name, day, now))


@done.command(name="reply")
@click.argument("name")
@on_option
@click.option(
    "--status",
    type=click.Choice(CONTACT_STATUSES),
    help="The contact's new status (default: scheduled, if it was earlier).",
)
@pass_app
def done_reply(app: AppContext, name: str, on: str | None, status: str | None) -> None:
    """NAME answered: set replied_on and the status. This stops the reminders
    for people who have not replied (a nudge after 3 business days, a move-on
    after 7)."""
    from vaultkit.outputs.done_and_log import record_reply

    _report(record_reply(app.career(), name, app.today(on), status))


@done.command(name="task")
@click.argument("text")
@on_option
@pass_app
def done_task(app: AppContext, text: str, on: str | None) -> None:
    """Tick the open task whose text contains TEXT, with its ✅ date."""
    from vaultkit.outputs.done_and_log import record_task_done

    _report(record_task_done(app.career(), text, app.today(on)))


@click.command()
@click.argument("name")
@click.argument("text")
@on_option
@pass_app
def log(app: AppContext, name: str, text: str, on: str | None) -> None:
    """Add a dated line under "## Log" in NAME's note and move last_contact,
    which restarts the keep-in-touch clock."""
    from vaultkit.outputs.done_and_log import record_log

    _report(record_log(app.career(), name, text, app.today(on)))


@click.command()
@click.argument("name")
@as_of_option
@pass_app
def cancel(app: AppContext, name: str, as_of: str | None) -> None:
    """Cancel an interview: status cancelled on NAME's next planned interview
    (else the latest one still planned), or on the interview note NAME."""
    from vaultkit.outputs.loop_edits import record_cancel

    _report(record_cancel(app.career(), name, app.now(as_of)))


@click.command()
@click.argument("name")
@click.option(
    "--at", "at", required=True, metavar="WHEN", help="The new start, e.g. '2026-12-03 15:00'."
)
@as_of_option
@pass_app
def reschedule(app: AppContext, name: str, at: str, as_of: str | None) -> None:
    """Move an interview: a new date on NAME's next open interview (else the
    latest not done), and status planned again if it was cancelled."""
    from vaultkit.outputs.loop_edits import record_reschedule

    _report(record_reschedule(app.career(), name, at, app.now(as_of)))


@click.command(name="set")
@click.argument("name")
@click.argument("key")
@click.argument("value")
@pass_app
def set_key(app: AppContext, name: str, key: str, value: str) -> None:
    """Set KEY to VALUE in the contact, organization or interview note NAME,
    e.g. `vaultkit set "Bob Tran" status closed`. Known keys are checked
    (statuses, dates, cadences); text is quoted when YAML would misread it."""
    from vaultkit.outputs.loop_edits import record_set

    _report(record_set(app.career(), name, key, value))
