"""`new`, `outreach` and `thank-you` on real vaults, as users run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import invoke, invoke_json
from vaultkit.notes.note import parse_note


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A vault made by `vaultkit init`."""
    root = tmp_path / "fresh"
    assert invoke(None, "init", str(root)).exit_code == 0
    (root / ".vaultkit.toml").write_text(
        'timezone = "America/New_York"\n[me]\nname = "Sam Student"\n'
        'school = "a junior at State"\nfield = "public policy"\n'
    )
    return root


def read(root: Path, rel: str) -> dict[str, object]:
    note = parse_note(rel, (root / rel).read_bytes())
    assert note.diagnostics == []
    return note.fields


def test_new_contact_org_interview_on_a_fresh_vault(fresh: Path) -> None:
    assert invoke(fresh, "new", "org", "Acme Corp", "--industry", "Robotics").exit_code == 0
    result = invoke(
        fresh,
        "new",
        "contact",
        "Jane Doe",
        "--org",
        "acme corp",
        "--role",
        "PM: growth",
        "--warmth",
        "warm",
        "--email",
        "jane@acme.example",
    )
    assert result.exit_code == 0
    assert result.stdout == "created  People/Jane Doe.md\n"
    fields = read(fresh, "People/Jane Doe.md")
    assert fields["organization"] == "[[Acme Corp]]"
    assert fields["role"] == "PM: growth"
    assert fields["status"] == "to-contact"
    assert str(fields["id"]).startswith("c-")
    assert '\nrole: "PM: growth"\n' in (fresh / "People/Jane Doe.md").read_text()
    result = invoke(
        fresh,
        "new",
        "interview",
        "Jane Doe",
        "--at",
        "2026-11-25 14:00",
        "--format",
        "video",
        "--duration",
        "45",
    )
    assert result.stdout == "created  Interviews/2026-11-25 Jane Doe.md\n"
    interview = invoke_json(fresh, "list", "interviews")[0]  # type: ignore[index]
    assert interview["contact"] == "Jane Doe" and interview["organization"] == "Acme Corp"
    assert interview["date"] == "2026-11-25T14:00:00-05:00" and interview["duration"] == 45
    assert interview["status"] == "planned" and interview["format"] == "video"
    assert invoke(fresh, "check", "--as-of", "2026-10-30").stdout == ""  # before them


def test_prep_note_sections(sample: Path) -> None:
    result = invoke(
        sample,
        "new",
        "interview",
        "Lucas Ferreira",
        "--at",
        "2026-12-08T11:00-08:00",
        "--questions",
        "8",
        "--style",
        "tiara",
    )
    assert result.exit_code == 0, result.output
    text = (sample / "Interviews" / "2026-12-08 Lucas Ferreira.md").read_text()
    for heading in (
        "## Research",
        "## Questions",
        "### To close",
        "## Notes",
        "## Evaluation",
        "## Next steps",
    ):
        assert f"\n{heading}\n" in text
    assert "Fieldwork Studio: what it does" in text
    assert "- Who else should I talk to?\n" in text
    assert "What gaps are there between my background and the role" in text
    promised = "- [ ] Send Lucas Ferreira anything you promised (a résumé, an article)"
    assert f"{promised} 📅 2026-12-09\n" in text
    questions = text.split("## Questions")[1].split("### To close")[0]
    assert questions.count("\n- ") == 8
    assert "### Trends" in questions
    fields = read(sample, "Interviews/2026-12-08 Lucas Ferreira.md")
    assert fields["date"] == "2026-12-08T11:00-08:00"


def test_existing_notes_are_never_replaced(sample: Path) -> None:
    path = sample / "People" / "Priya Raman.md"
    before = path.read_bytes()
    for name in ("Priya Raman", "priya raman", "Prof. Whitaker"):
        result = invoke(sample, "new", "contact", name)
        assert result.exit_code == 2, name
        assert "nothing was" in result.stderr
    assert path.read_bytes() == before
    (sample / "Archive").mkdir()
    (sample / "Archive" / "Old Friend.md").write_text("old")
    result = invoke(sample, "new", "contact", "Old Friend")
    assert "would become ambiguous" in result.stderr
    assert not (sample / "People" / "Old Friend.md").exists()
    invoke(sample, "new", "interview", "Sam Reyes", "--at", "2026-12-01 10:00")
    again = invoke(sample, "new", "interview", "Sam Reyes", "--at", "2026-12-01 16:00")
    assert again.exit_code == 2 and "already exists" in again.stderr


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/abs/path", "abs-path"),
        ("José: R&D / Ops?", "José- R&D - Ops"),
        ("..", None),
        ("CON", "CON (note)"),
    ],
)
def test_names_become_safe_file_names_inside_the_vault(
    fresh: Path, name: str, stem: str | None
) -> None:
    result = invoke(fresh, "new", "contact", name)
    if stem is None:
        assert result.exit_code == 2
        assert "cannot be used as a note name" in result.stderr
        return
    assert result.exit_code == 0, result.output
    assert result.stdout == f"created  People/{stem}.md\n"
    assert read(fresh, f"People/{stem}.md")["name"] == name
    written = sorted(str(p.relative_to(fresh)) for p in fresh.rglob("*.md"))
    assert written == [f"People/{stem}.md"]


def test_a_people_folder_linking_outside_is_refused(fresh: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (fresh / "People").rmdir()
    (fresh / "People").symlink_to(outside)
    result = invoke(fresh, "new", "contact", "Jane")
    assert result.exit_code == 2
    assert "leads outside the vault" in result.stderr
    assert list(outside.iterdir()) == []


def test_hostile_vault_template_cannot_reach_internals(fresh: Path) -> None:
    template = fresh / "Templates" / "vaultkit" / "contact.md"
    template.write_text("---\nname: {{ ''.__class__.__mro__[1].__subclasses__() }}\n---\n")
    result = invoke(fresh, "new", "contact", "Jane")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "vaultkit: Templates/vaultkit/contact.md:2: templates may not reach '__class__'"
    )
    assert not (fresh / "People" / "Jane.md").exists()


def test_vault_template_override_and_broken_output(fresh: Path) -> None:
    template = fresh / "Templates" / "vaultkit" / "organization.md"
    template.write_text("# {{ organization.name }} ({{date:YYYY}})\n")
    assert invoke(fresh, "new", "org", "Acme").exit_code == 0
    text = (fresh / "Organizations" / "Acme.md").read_text()
    assert text.startswith("---\ntype: organization\nid: org-") and "\n# Acme (20" in text
    template.write_text("---\nname: [unclosed\n---\n")
    result = invoke(fresh, "new", "org", "Beta")
    assert result.exit_code == 1
    assert "does not read back" in result.stderr
    assert not (fresh / "Organizations" / "Beta.md").exists()


def test_unknown_links_are_written_with_a_hint(fresh: Path) -> None:
    result = invoke(
        fresh, "new", "contact", "Li Wei", "--org", "Nowhere Inc", "--referred-by", "Jane Doe"
    )
    assert result.exit_code == 0
    assert "vaultkit new org 'Nowhere Inc'" in result.stderr
    fields = read(fresh, "People/Li Wei.md")
    assert fields["organization"] == "[[Nowhere Inc]]"
    assert fields["referred_by"] == ["[[Jane Doe]]"]


def test_interview_needs_a_known_contact_and_a_time(fresh: Path) -> None:
    result = invoke(fresh, "new", "interview", "Nobody", "--at", "2026-11-25 14:00")
    assert result.exit_code == 2 and "no contact named 'Nobody'" in result.stderr
    invoke(fresh, "new", "contact", "Jane")
    for at, message in (
        ("2026-11-25", "has no time"),
        ("soon", "is not a date-time"),
        ("2026-03-08 02:30", "does not exist"),
    ):
        result = invoke(fresh, "new", "interview", "Jane", "--at", at)
        assert result.exit_code == 2, at
        assert message in result.stderr


def test_outreach_names_the_referrer_exactly_when_there_is_one(sample: Path) -> None:
    referred = invoke_json(sample, "outreach", "Hannah Lee")
    assert referred["subject"] == "Samuel Reyes suggested I get in touch"  # type: ignore[index]
    assert "Samuel Reyes suggested I reach out" in referred["body"]  # type: ignore[index]
    assert "20 to 30 minutes" in referred["body"]  # type: ignore[index]
    cold = invoke_json(sample, "outreach", "Lucas Ferreira")
    assert "suggested" not in cold["body"] and "suggested" not in cold["subject"]  # type: ignore[index]
    assert cold["to"] == "lucas@fieldworkstudio.example"  # type: ignore[index]
    assert cold["body"].startswith("Dear Lucas,\n\nMy name is Maya Okafor, a senior")  # type: ignore[index]


def test_thank_you_recalls_the_interview_and_its_referrals(sample: Path) -> None:
    draft = invoke_json(sample, "thank-you", "Aisha Mohammed")
    body = draft["body"]  # type: ignore[index]
    assert "on Friday, November 20" in body
    assert "speak with Kevin O'Neill and Dana Whitfield" in body
    plain = invoke(sample, "thank-you", "Aisha Mohammed")
    assert plain.stdout.startswith("To: aisha@openballot.example\nSubject: Thank you")
    none = invoke(sample, "thank-you", "Leo Novak")
    assert none.exit_code == 2
    assert none.stderr == "vaultkit: no interview with Leo Novak yet; a thank-you follows one\n"


def test_drafts_without_me_hint_and_copy_without_a_clipboard(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (fresh / ".vaultkit.toml").write_text("")
    invoke(fresh, "new", "contact", "Jane")
    monkeypatch.setenv("PATH", "/nonexistent")
    result = invoke(fresh, "outreach", "Jane", "--copy")
    assert result.exit_code == 0
    assert "My name is [your name]" in result.stdout
    assert "fill in [me]" in result.stderr and "no clipboard here" in result.stderr
    assert json.loads(invoke(fresh, "outreach", "Jane", "--json").stdout)["to"] is None


def test_a_name_another_kind_answers_to_is_refused(sample: Path) -> None:
    for args in (("org", "Prof. Whitaker"), ("contact", "Cascadia"), ("contact", "KFB")):
        result = invoke(sample, "new", *args)
        assert result.exit_code == 2, args
        assert "would become ambiguous" in result.stderr
    assert invoke(sample, "check", "--as-of", "2026-11-21").stdout == ""


def test_wrong_kind_for_org_or_referrer(sample: Path) -> None:
    result = invoke(sample, "new", "contact", "New Person", "--org", "Sam Reyes")
    assert result.exit_code == 2
    assert "'Sam Reyes' is People/Sam Reyes.md, a note of kind contact, not organization" in (
        result.stderr
    )


def test_control_characters_in_a_name_are_refused(fresh: Path) -> None:
    result = invoke(fresh, "new", "contact", "new\nline")
    assert result.exit_code == 2 and "control characters" in result.stderr
    assert (
        invoke(fresh, "new", "contact", "  Jane   Doe ").stdout == "created  People/Jane Doe.md\n"
    )


def test_a_template_starting_with_a_comment_keeps_its_front_matter(fresh: Path) -> None:
    template = fresh / "Templates" / "vaultkit" / "organization.md"
    template.write_text(
        "{# my template #}\n---\nindustry: {{ organization.industry | yaml }}\n---\n"
    )
    assert invoke(fresh, "new", "org", "Acme", "--industry", "Robotics").exit_code == 0
    assert invoke_json(fresh, "list", "orgs")[0]["industry"] == "Robotics"  # type: ignore[index]


def test_interview_times_with_offsets_and_dst(fresh: Path) -> None:
    invoke(fresh, "new", "contact", "Jane")
    result = invoke(fresh, "new", "interview", "Jane", "--at", "2026-12-22T02:00+14:00")
    assert result.stdout == "created  Interviews/2026-12-21 Jane.md\n"  # the vault's day
    twice = invoke(fresh, "new", "interview", "Jane", "--at", "2026-11-01 01:30")
    assert "happens twice" in twice.stderr
    assert read(fresh, "Interviews/2026-11-01 Jane.md")["date"] == "2026-11-01T01:30-04:00"
    assert invoke(fresh, "check", "--as-of", "2026-10-30").stdout == ""  # before them
    far = invoke(fresh, "new", "interview", "Jane", "--at", "9999-12-31 23:59")
    assert far.exit_code == 2 and "out of range" in far.stderr


def test_seed_picks_the_same_questions(fresh: Path) -> None:
    invoke(fresh, "new", "contact", "Ann")
    invoke(fresh, "new", "contact", "Bo")
    invoke(fresh, "new", "interview", "Ann", "--at", "2026-12-01 10:00", "--seed", "7")
    invoke(fresh, "new", "interview", "Bo", "--at", "2026-12-01 10:00", "--seed", "7")

    def questions(name: str) -> str:
        text = (fresh / "Interviews" / f"2026-12-01 {name}.md").read_text()
        return text.split("## Questions")[1].split("### To close")[0]

    assert questions("Ann") == questions("Bo")


def test_a_file_appearing_before_the_write_is_kept(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultkit.outputs import new_notes

    real = new_notes.write_atomic

    def racing(path, data, *, exclusive=False):  # type: ignore[no-untyped-def]
        path.write_text("the user's own note\n")
        return real(path, data, exclusive=exclusive)

    monkeypatch.setattr(new_notes, "write_atomic", racing)
    result = invoke(fresh, "new", "contact", "Jane")
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert (fresh / "People" / "Jane.md").read_text() == "the user's own note\n"


def test_thank_you_never_comes_before_the_interview(sample: Path) -> None:
    result = invoke(sample, "thank-you", "José Martínez", "--as-of", "2026-11-22")
    assert result.exit_code == 2
    assert "still to come on 2026-11-23" in result.stderr
    cancelled = invoke(sample, "thank-you", "Derek Olsen", "--as-of", "2026-11-22")
    assert "was cancelled" in cancelled.stderr


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Jane Doe", "Jane"),
        ("Prof. Wei Chen", "Prof. Chen"),
        ("O'Brien, Pat", "Pat"),
        ("Dr. Martin Luther King Jr.", "Dr. King"),
        ("Prof. Jane Smith, PhD", "Prof. Smith"),
        ("Sir Ken Robinson", "Sir Ken"),
        ("Zoë", "Zoë"),
    ],
)
def test_greetings(name: str, greeting: str) -> None:
    from vaultkit.outputs.note_context import greeting_name

    assert greeting_name(name) == greeting


@pytest.mark.parametrize(
    ("source", "phrase"),
    [
        ("LinkedIn", "on LinkedIn"),
        ("alumni directory", "through our alumni network"),
        ("career fair", "at a career fair"),
        ("my aunt", "through my aunt"),
    ],
)
def test_source_phrases(source: str, phrase: str) -> None:
    from vaultkit.outputs.note_context import source_phrase

    assert source_phrase(source) == phrase


def test_obsidian_url() -> None:
    from vaultkit.outputs.links import obsidian_url

    assert obsidian_url(Path("/x/My Vault"), "People/Zoë Chen.md") == (
        "obsidian://open?vault=My%20Vault&file=People%2FZo%C3%AB%20Chen.md"
    )
