"""`vaultkit lamp`: the LAMP list, and `lamp --edit` for one organization's scores."""

from __future__ import annotations

import click

from vaultkit.cli.context import AppContext, echo_json, echo_rich, json_option, pass_app
from vaultkit.cli.followups_cmd import as_of_option

DEFAULT_TOP = 10  # a screen's worth; the book works on the top five to ten


@click.command()
@as_of_option
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=None,
    help=f"Only the first N organizations; 0 shows all. Default {DEFAULT_TOP} on screen, "
    "all with --json.",
)
@click.option("--edit", "edit", metavar="ORG", help="Change ORG's scores instead of listing.")
@click.option(
    "--motivation", type=click.IntRange(1, 5), help="With --edit: how much you want in (1-5)."
)
@click.option(
    "--posting", type=click.IntRange(1, 3), help="With --edit: how relevant its postings are (1-3)."
)
@click.option(
    "--advocacy", metavar="YES|NO|N", help="With --edit: someone there who would help you."
)
@json_option
@pass_app
def lamp(
    app: AppContext,
    as_of: str | None,
    top: int | None,
    edit: str | None,
    motivation: int | None,
    posting: int | None,
    advocacy: str | None,
    as_json: bool,
) -> None:
    """Rank your target organizations (the LAMP list).

    As in *The 2-Hour Job Search*: by motivation, then posting, then
    advocacy, with who you know at each and the next step: find a contact,
    reach out, or, with no reply after 3 business days, reach a second
    person there (after 7: follow up once, then move on)."""
    from vaultkit.errors import UsageError

    if edit is None:
        if motivation is not None or posting is not None or advocacy is not None:
            raise UsageError("--motivation, --posting and --advocacy go with --edit ORG")
    else:
        from vaultkit.cli.done_cmd import _report
        from vaultkit.outputs.loop_edits import record_lamp

        _report(record_lamp(app.career(), edit, motivation, posting, advocacy))
        return
    from vaultkit.domain.lamp import lamp_list

    career = app.career()
    targets = lamp_list(career, app.now(as_of))
    limit = top if top is not None else (0 if as_json else DEFAULT_TOP)
    shown = targets[:limit] if limit else targets
    if as_json:
        from vaultkit.outputs.json_records import lamp_record

        echo_json([lamp_record(rank, t) for rank, t in enumerate(shown, 1)])
        return
    if not targets:
        click.echo("No organization notes yet: `vaultkit new org NAME` makes one.")
        return
    from vaultkit.outputs.tables import lamp_table

    echo_rich(lamp_table(shown, len(targets)))
    if not any(t.motivation for t in targets):
        click.echo("Score them: vaultkit lamp --edit ORG --motivation 1-5 --posting 1-3")
