"""`check` and `init` as users run them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SAMPLE_VAULT, invoke


def test_sample_vault_passes_check() -> None:
    # As of the sample's own day: later, its planned interviews are past and
    # their contacts' statuses lag (a status-lags warning each).
    result = invoke(SAMPLE_VAULT, "check", "--as-of", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_check_reports_each_problem_with_file_line_and_severity(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Bad YAML.md", "---\nname: X\nrole: [oops\n---\n")
    write("People/Bad Date.md", "---\ncontacted_on: 2026-02-30\nstatus: maybe\n---\n")
    write("People/Dangling.md", '---\nreferred_by: "[[Nobody]]"\n---\n')
    write("People/A.md", '---\nreferred_by: "[[B]]"\n---\n')
    write("People/B.md", '---\nreferred_by: "[[A]]"\n---\n')
    write("People/Self.md", '---\nreferrer: "[[Self]]"\n---\n')
    write("People/Twin.md", "")
    write("Archive/Twin.md", "")
    write("People/Ambiguous.md", '---\nreferred_by: "[[Twin]]"\n---\nSee [[Twin]].\n')
    write("Interviews/2026-11-25 Nobody.md", "---\ndate: 2026-11-25\n---\n")
    write(
        "Interviews/2026-11-26 Twin.md", '---\ncontact: "[[Twin]]"\ndate: 2026-11-26 25:00\n---\n'
    )
    write("Notes/List.md", "---\n- a\n---\n")
    result = invoke(vault, "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    expected = [
        "Interviews/2026-11-25 Nobody.md: error: an interview needs contact:",
        "Interviews/2026-11-25 Nobody.md:2: warning: date: has a day but no time",
        "Interviews/2026-11-26 Twin.md:2: warning: contact: [[Twin]] could mean 2 notes",
        "Interviews/2026-11-26 Twin.md:3: error: date: '2026-11-26 25:00' is not a real date-time",
        "Notes/List.md:2: error: front-matter must be key: value pairs, but it is a list",
        "People/A.md:2: error: referred_by: these contacts refer to each other in a circle: A, B",
        "People/Ambiguous.md:2: warning: referred_by: [[Twin]] could mean 2 notes; "
        "using People/Twin.md (also Archive/Twin.md)",
        "People/Ambiguous.md:4: warning: [[Twin]] could mean 2 notes",
        "People/Bad Date.md:2: error: contacted_on: '2026-02-30' is not a real date",
        "People/Bad Date.md:3: warning: status: 'maybe' is not one of",
        "People/Bad YAML.md:",
        "People/Dangling.md:2: warning: referred_by: no note named 'Nobody'",
        "People/Self.md:2: error: referred_by: Self is listed as their own referrer",
    ]
    assert len(lines) == len(expected), "\n".join(lines)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), (line, start)
    assert "error: front-matter is not valid YAML" in lines[10]
    assert result.stderr.strip() == "12 notes checked: 7 errors, 6 warnings"


def test_check_json_shape_and_exit_code(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Bad.md", "---\nlast_contact: soon\n---\n")
    result = invoke(vault, "check", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": "People/Bad.md",
            "line": 2,
            "severity": "error",
            "code": "bad-date",
            "message": "last_contact: 'soon' is not a date; write it as YYYY-MM-DD",
        }
    ]


def test_warnings_alone_exit_0(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/A.md", '---\norganization: "[[Missing Org]]"\n---\n')
    result = invoke(vault, "check")
    assert result.exit_code == 0
    assert "warning: organization: no note named 'Missing Org'" in result.stdout


def test_one_broken_note_does_not_hide_the_rest(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Broken.md", b"---\nname: [\x00\x01\n---\n")
    write("People/Fine.md", "---\nstatus: contacted\n---\n")
    write("People/Latin.md", "---\nrole: Ingénieur\n---\n".encode("latin-1"))
    result = invoke(vault, "list", "contacts", "--json")
    assert result.exit_code == 0
    assert [row["name"] for row in json.loads(result.stdout)] == ["Broken", "Fine", "Latin"]


def test_init_creates_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "My Vault"
    result = invoke(None, "init", str(target))
    assert result.exit_code == 0
    assert "created  .vaultkit.toml" in result.output
    for folder in ("People", "Organizations", "Interviews", "Templates/vaultkit", "vaultkit"):
        assert (target / folder).is_dir()
    config = (target / ".vaultkit.toml").read_text()
    assert config.startswith("# vaultkit settings")
    import tomllib

    assert tomllib.loads(config) == {
        "folders": {},
        "followups": {},
        "calendar": {},
        "dashboard": {},
        "caldav": {},
        "new": {},
        "me": {"name": "", "school": "", "field": ""},
    }
    (target / ".vaultkit.toml").write_text("timezone = 'Europe/Paris'\n")
    again = invoke(None, "init", str(target))
    assert again.exit_code == 0
    assert "kept     .vaultkit.toml (already there)" in again.output
    assert (target / ".vaultkit.toml").read_text() == "timezone = 'Europe/Paris'\n"
    assert invoke(target, "check").exit_code == 0
