"""`vaultkit import` and `vaultkit export vcard` as a user runs them: the README's
tour on the sample vault, the JSON, dry runs, wrong files, and the round trip
from the vault to a phone's address book and back."""

from __future__ import annotations

import json
from pathlib import Path

import vobject

from tests.conftest import invoke
from vaultkit.notes.note import parse_note

AS_OF = ("--as-of", "2026-11-21")


def notes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.md"))}


def run_json(root: Path, *args: str) -> dict:
    result = invoke(root, *args, "--json", *AS_OF)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_tour_imports_the_sample_connections(sample: Path) -> None:
    before = notes(sample)
    csv_file = str(sample / "Imports/Connections.csv")
    dry = run_json(sample, "import", "linkedin", csv_file, "--dry-run")
    assert notes(sample) == before  # a dry run writes nothing
    assert [(e["name"], e["matched_by"]) for e in dry["existing"]] == [
        ("Priya Raman", "linkedin"),
        ("Ben Adler", "linkedin"),  # another case and a final slash
        ("Leo Novak", "email"),
    ]
    assert [c["path"] for c in dry["created"]] == [
        "People/Irene Castillo.md",
        "People/Wes Tanaka.md",
        "People/Amara Eze.md",
        "People/Daniel Whittaker.md",
    ]
    assert dry["created"][3]["maybe_same_as"] == ["People/Daniel Whitaker.md"]
    assert dry["skipped"] == [] and dry["warnings"] == []

    done = run_json(sample, "import", "linkedin", csv_file)
    assert done["created"] == dry["created"]
    irene = parse_note("x.md", (sample / "People/Irene Castillo.md").read_bytes()).fields
    assert irene["organization"] == "[[Lumen Health]]" and irene["source"] == "LinkedIn"
    assert irene["connected_on"] == "2026-10-18"
    wes = parse_note("x.md", (sample / "People/Wes Tanaka.md").read_bytes()).fields
    assert wes["organization"] == "Harbor & Pine, Inc."  # no note of that name: plain text
    for rel, data in before.items():  # every note that was there is byte for byte the same
        assert (sample / rel).read_bytes() == data

    check = invoke(sample, "check", "--json", *AS_OF)
    assert check.exit_code == 0, check.output
    listed = {
        c["name"] for c in json.loads(invoke(sample, "list", "contacts", "--json", *AS_OF).stdout)
    }
    assert {"Irene Castillo", "Wes Tanaka", "Amara Eze", "Daniel Whittaker"} <= listed

    after = notes(sample)
    again = run_json(sample, "import", "linkedin", csv_file)
    assert again["created"] == [] and len(again["existing"]) == 7
    assert notes(sample) == after


def test_a_table_for_people_and_one_line_errors(sample: Path, tmp_path: Path) -> None:
    csv_file = str(sample / "Imports/Connections.csv")
    shown = invoke(sample, "import", "linkedin", csv_file, "--dry-run", *AS_OF)
    assert shown.exit_code == 0
    assert "4 new, 3 already there, 0 skipped (dry run: nothing written)" in shown.stdout
    assert "maybe the same as People/Daniel Whitaker.md" in shown.stdout

    card = tmp_path / "card.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo Ng\r\nEND:VCARD\r\n", encoding="utf-8")
    wrong = invoke(sample, "import", "linkedin", str(card))
    assert wrong.exit_code == 2
    assert wrong.stderr.count("\n") == 1 and "card.vcf" in wrong.stderr
    assert "Traceback" not in wrong.output
    assert invoke(sample, "import", "csv", csv_file).exit_code == 2  # LinkedIn's, not Google's


def test_formula_cells_are_left_out_and_said_so(vault: Path, tmp_path: Path) -> None:
    connections = tmp_path / "Connections.csv"
    connections.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        'Ada,Quill,javascript:alert(1),,"=HYPERLINK(""http://x"")",Analyst,01 Feb 2025\n',
        encoding="utf-8",
    )
    result = invoke(vault, "import", "linkedin", str(connections), "--json", *AS_OF)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [c["path"] for c in report["created"]] == ["People/Ada Quill.md"]
    assert len(report["warnings"]) == 2 and "line 2" in report["warnings"][0]
    fields = parse_note("x.md", (vault / "People/Ada Quill.md").read_bytes()).fields
    assert not fields.get("organization") and not fields.get("linkedin")
    assert "HYPERLINK" not in (vault / "People/Ada Quill.md").read_text(encoding="utf-8")


def test_export_then_import_vcard_changes_nothing(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "contacts.vcf"
    result = invoke(sample, "export", "vcard", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    cards = list(vobject.readComponents(text))
    contacts = json.loads(invoke(sample, "list", "contacts", "--json", *AS_OF).stdout)
    assert len(cards) == len(contacts)
    by_name = {card.fn.value: card for card in cards}
    priya = by_name["Priya Raman"]
    assert priya.n.value.family == "Raman" and priya.n.value.given == "Priya"
    assert priya.email.value == "priya.raman@threerivers-city.example"
    assert priya.org.value == ["Three Rivers Digital Service"]
    uids = [card.uid.value for card in cards]
    assert len(set(uids)) == len(uids)

    # the same notes give the same file, and it is not written again
    again = invoke(sample, "export", "vcard", "--out", str(out))
    assert "unchanged" in again.stdout and out.read_text(encoding="utf-8") == text

    before = notes(sample)
    back = run_json(sample, "import", "vcard", str(out), "--update")
    assert back["created"] == [] and back["skipped"] == []
    assert len(back["existing"]) == len(cards)
    assert all(entry["filled"] == [] for entry in back["existing"])
    assert notes(sample) == before


def test_a_vdir_keeps_other_programs_cards(sample: Path, tmp_path: Path) -> None:
    vdir = tmp_path / "contacts"
    vdir.mkdir()
    theirs = vdir / "someone-else.vcf"
    theirs.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pat\r\nN:;Pat;;;\r\nEND:VCARD\r\n")
    assert invoke(sample, "export", "vcard", "--vdir", str(vdir)).exit_code == 0
    written = sorted(p.name for p in vdir.glob("*.vcf") if p != theirs)
    assert len(written) == len(json.loads(invoke(sample, "list", "contacts", "--json").stdout))
    (sample / "People/Leo Novak.md").unlink()
    second = invoke(sample, "export", "vcard", "--vdir", str(vdir))
    assert "removed" in second.stdout and theirs.exists()
    assert len([p for p in vdir.glob("*.vcf") if p != theirs]) == len(written) - 1


def test_export_never_replaces_a_note_or_a_card_changed_elsewhere(
    sample: Path, tmp_path: Path
) -> None:
    note = sample / "People/Priya Raman.md"
    before = note.read_bytes()
    refused = invoke(sample, "export", "vcard", "--out", str(note))
    assert refused.exit_code == 2 and "not a vCard file vaultkit wrote" in refused.stderr
    assert note.read_bytes() == before
    assert (
        invoke(sample, "export", "vcard", "--out", str(tmp_path / "no/such/x.vcf")).exit_code == 2
    )
    assert not (tmp_path / "no").exists()

    vdir = tmp_path / "cards"
    assert invoke(sample, "export", "vcard", "--vdir", str(vdir)).exit_code == 0
    card = sorted(vdir.glob("*.vcf"))[0]
    synced = card.read_bytes().replace(b"END:VCARD", b"TEL;TYPE=CELL:+1 555 0100\r\nEND:VCARD")
    card.write_bytes(synced)
    kept = invoke(sample, "export", "vcard", "--vdir", str(vdir))
    assert "kept" in kept.stdout and card.read_bytes() == synced


def test_export_leaves_out_what_an_import_would_refuse(vault: Path) -> None:
    (vault / "People").mkdir()
    (vault / "People/Wes Odd.md").write_text(
        "---\ntype: contact\nlinkedin: javascript:alert(1)\nrole: =SUM(A1)\nphone: call me\n---\n",
        encoding="utf-8",
    )
    text = invoke(vault, "export", "vcard", "--out", "-").stdout
    assert "javascript" not in text and "SUM" not in text and "call me" not in text
    assert "FN:Wes Odd" in text
