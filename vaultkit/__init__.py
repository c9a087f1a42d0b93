"""vaultkit: an Obsidian vault as the database of an informational-interview career search.

The package reads bottom-up: ``notes`` (one file) → ``vault`` (all files, links,
config) → ``domain`` (contacts, interviews, referrals, checks) → ``outputs``
(tables, JSON, calendar, templates) → ``cli``, which only wires them together.
"""

__version__ = "0.1.0"
