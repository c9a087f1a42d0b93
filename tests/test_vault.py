"""Finding the vault, reading its config, and which files are notes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from vaultkit.errors import ConfigError, VaultNotFoundError
from vaultkit.vault.config import load_config
from vaultkit.vault.index import VaultIndex
from vaultkit.vault.locate import find_vault
from vaultkit.vault.walk import list_notes


def test_find_vault_by_walking_up(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    deep = tmp_path / "People" / "Alumni"
    deep.mkdir(parents=True)
    assert find_vault(None, cwd=deep) == tmp_path.resolve()


def test_find_vault_explicit_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULTKIT_VAULT", str(tmp_path))
    assert find_vault(None, cwd=Path("/")) == tmp_path.resolve()
    with pytest.raises(VaultNotFoundError, match="--vault"):
        find_vault(tmp_path / "missing")


def test_no_vault_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VAULTKIT_VAULT", raising=False)
    with pytest.raises(VaultNotFoundError, match="vaultkit init"):
        find_vault(None, cwd=tmp_path)


def test_ignored_folders(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    for path in [
        "People/A.md",
        ".obsidian/x.md",
        ".trash/B.md",
        ".git/C.md",
        "vaultkit/Dashboard.md",
        "Templates/vaultkit/contact.md",
        "Meta/Obsidian templates/Daily.md",
        "Archive/Old.md",
        "Templates/Kept.md",
        "notes.txt",
        "Daily/2026-11-20.MD",
    ]:
        write(path, "---\nname: x\n---\n")
    write(".obsidian/templates.json", json.dumps({"folder": "/Meta/Obsidian templates/"}))
    write(".vaultkit.toml", '[folders]\nignore = ["./archive/"]\n')
    paths, problems = list_notes(vault, load_config(vault))
    assert paths == ["Daily/2026-11-20.MD", "People/A.md", "Templates/Kept.md"]
    assert problems == []


def test_symlinks_out_of_the_vault_are_skipped_with_a_warning(
    vault: Path, tmp_path: Path, write
) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\nname: secret\n---\n")
    write("People/A.md", "")
    os.symlink(outside / "secret.md", vault / "People" / "leak.md")
    os.symlink(outside, vault / "Linked")
    os.symlink(vault, vault / "People" / "loop")
    os.symlink(vault / "People" / "A.md", vault / "alias-of-a.md")
    paths, problems = list_notes(vault, load_config(vault))
    assert paths == ["People/A.md", "alias-of-a.md"]
    assert sorted((p.path, p.code) for p in problems) == [
        ("Linked", "outside-vault"),
        ("People/leak.md", "outside-vault"),
    ]


def test_config_defaults_and_values(vault: Path) -> None:
    (vault / ".vaultkit.toml").write_text(
        'timezone = "Europe/Paris"\n[followups]\nnudge_after = 2\nholidays = "FR"\n'
        '[folders]\npeople = "Contacts"\n'
    )
    config = load_config(vault)
    assert config.timezone == "Europe/Paris"
    assert config.followups.nudge_after == 2 and config.followups.move_on_after == 7
    assert config.folders.people == "Contacts" and config.folders.interviews == "Interviews"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[folders]\npeople = "../../etc"', "folders.people must be a path inside the vault"),
        ('[folders]\noutput = "/tmp/out"', "folders.output must be a path inside the vault"),
        ('[calendar]\npath = "C:/cal.ics"', "calendar.path must be a path inside the vault"),
        ('[followups]\nthank_you_within = "soon"', "followups.thank_you_within: 'soon'"),
        ('[followups]\nkeep_in_touch = "often"', "followups.keep_in_touch: 'often'"),
        ("[followups]\nnudge_after = -3", "must be a whole number from 0 to 365"),
        ('timezone = "America"', "not a known time zone"),
        ('timezone = "Mars/Olympus"', "not a known time zone"),
        ('[followups]\nnudge_after = "three"', "followups.nudge_after must be a whole number"),
        ('[folders]\nignore = "Archive"', "folders.ignore must be a list of strings"),
        ("folders = 3", "[folders] must be a table"),
        ("timezone = ", "line 1"),
    ],
)
def test_bad_config_is_one_clear_error(vault: Path, text: str, message: str) -> None:
    (vault / ".vaultkit.toml").write_text(text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(vault)
    assert message in str(caught.value)
    assert str(caught.value).startswith(".vaultkit.toml")


def test_unknown_setting_is_a_warning(vault: Path) -> None:
    (vault / ".vaultkit.toml").write_text("colour = 'blue'\n[calendar]\nnmae = 'x'\n")
    config = load_config(vault)
    assert [d.message.split(":")[0] for d in config.diagnostics] == ["colour", "calendar.nmae"]


def test_kind_from_type_or_folder(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/A.md", "")
    write("People/Alumni/B.md", "")
    write("Inbox/C.md", "---\ntype: Contact\n---\n")
    write("People/D.md", "---\ntype: daily\n---\n")
    write("Companies/E.md", "---\ntype: org\n---\n")
    write("Interviews/2026-11-25 A.md", "")
    index = VaultIndex.load(vault)
    kinds = {path: index.kind(note) for path, note in index.notes.items()}
    assert kinds == {
        "People/A.md": "contact",
        "People/Alumni/B.md": "contact",
        "Inbox/C.md": "contact",
        "People/D.md": "other",
        "Companies/E.md": "organization",
        "Interviews/2026-11-25 A.md": "interview",
    }


def test_folder_settings_are_normalised(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    (vault / ".vaultkit.toml").write_text('[folders]\npeople = "./Contacts/"\n')
    write("Contacts/Jane.md", "")
    index = VaultIndex.load(vault)
    assert index.config.folders.people == "Contacts"
    assert index.kind(index.notes["Contacts/Jane.md"]) == "contact"


def test_a_config_linked_from_outside_is_not_read(vault: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.toml"
    outside.write_text('timezone = "Europe/Paris"\n')
    (vault / ".vaultkit.toml").unlink()
    os.symlink(outside, vault / ".vaultkit.toml")
    with pytest.raises(ConfigError, match="outside the vault"):
        load_config(vault)


def test_empty_type_falls_back_to_the_folder(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/X.md", "---\ntype:\nstatus: contacted\n---\n")
    index = VaultIndex.load(vault)
    assert index.kind(index.notes["People/X.md"]) == "contact"


@pytest.mark.parametrize("value", ["", ".", ".obsidian", "People/.hidden"])
def test_note_folders_must_be_named_and_visible(vault: Path, value: str) -> None:
    (vault / ".vaultkit.toml").write_text(f'[folders]\npeople = "{value}"\n')
    with pytest.raises(ConfigError, match=r"folders\.people must name a folder"):
        load_config(vault)
