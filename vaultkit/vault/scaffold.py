"""`vaultkit init`: the folders and the commented config of a new vault.

Nothing that exists is ever overwritten: init on an existing Obsidian vault
only adds what is missing, so running it twice is harmless.
"""

from __future__ import annotations

from pathlib import Path

from vaultkit.atomic import write_atomic
from vaultkit.errors import VaultkitError
from vaultkit.vault.config import CONFIG_NAME, Config

CONFIG_TEXT = """\
# vaultkit settings for this vault. Every setting is optional: a line left
# commented out keeps the default shown. Docs: the README of vaultkit.

# Time zone for interview times written without an offset (default: this
# computer's). Use a name such as "America/New_York" or "Europe/Paris".
# timezone = "America/New_York"

[folders]
# Where each kind of note lives. A note's `type:` key wins over its folder.
# people = "People"
# organizations = "Organizations"
# interviews = "Interviews"
# Your versions of vaultkit's templates (same file names replace the built-in ones).
# templates = "Templates/vaultkit"
# Where vaultkit writes the calendar and dashboards (never read as notes).
# output = "vaultkit"
# Other folders whose notes vaultkit should not read.
# ignore = ["Archive"]

[followups]
# Thank-you due this long after an interview ends (24h or 48h are common).
# thank_you_within = "24h"
# Business days after `contacted_on` without a reply: reach a second contact
# at the same organization (nudge), then follow up once and move on.
# nudge_after = 3
# move_on_after = 7
# How often to reconnect with people you have met, unless a note says otherwise.
# keep_in_touch = "90d"
# Public holidays to skip when counting business days: a country code such as
# "US", "GB", "FR", and optionally a subdivision such as "CA" or "NY".
# holidays = "US"
# holidays_subdivision = ""
# Keep finished follow-ups in the calendar too.
# include_done = false
# Which dated tasks are follow-ups. "career" (the default): tasks in contact,
# organization and interview notes, tasks that link to one or name a contact or
# organization, and tasks in notes dated (file name or `date:`) from 30 days
# before your first `contacted_on` or interview. "all": every dated task.
# A list of #tags and folders counts their notes' tasks too, on top of "career".
# tasks = "career"
# tasks = ["#job", "Projects/Career"]

[calendar]
# path = "vaultkit/followups.ics"
# name = "Career follow-ups"
# The reminder before each interview, and how often subscribed clients re-read the file.
# alarm_before = "30min"
# refresh_every = "1h"

[dashboard]
# path = "vaultkit/Dashboard.md"
# referral_map = "vaultkit/Referral map.md"

[caldav]
# Push the calendar to a CalDAV server (Fastmail, iCloud, Nextcloud, Radicale)
# with `vaultkit calendar push`; the password is never stored here.
# url = "https://caldav.fastmail.com/"
# username = "you@example.com"
# calendar = "Career follow-ups"

[new]
# Open each note `vaultkit new` creates in Obsidian (on a computer with a desktop).
# open = false

[me]
# Fill these in: the outreach and thank-you email drafts introduce you with them.
name = ""      # e.g. "Maya Okafor"
school = ""    # who you are, as a phrase: "a senior at Allegheny State studying economics"
field = ""     # the field you are exploring: "UX research"
"""


def init_vault(root: Path, config: Config | None = None) -> tuple[list[str], list[str]]:
    """Create missing folders and the config in ``root``.

    Returns (created, kept): vault-relative paths made now, and ones that
    already existed and were left as they were.
    """
    config = config or Config()
    created: list[str] = []
    kept: list[str] = []
    if not root.exists():
        root.mkdir(parents=True)
    folders = config.folders
    for folder in (
        folders.people,
        folders.organizations,
        folders.interviews,
        folders.templates,
        folders.output,
    ):
        target = root / folder
        if target.is_dir():
            kept.append(folder + "/")
        elif target.exists():
            raise VaultkitError(f"{folder} exists but is a file, not a folder; rename it first")
        else:
            target.mkdir(parents=True, exist_ok=True)
            created.append(folder + "/")
    config_path = root / CONFIG_NAME
    try:
        write_atomic(config_path, CONFIG_TEXT, exclusive=True)
        created.append(CONFIG_NAME)
    except FileExistsError:
        kept.append(CONFIG_NAME)
    return created, kept
