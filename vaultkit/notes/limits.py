"""How much of a note vaultkit reads: a constant the config needs as its
default, kept apart from the parser so reading the config (all a warm,
stored answer needs) does not import YAML and the Markdown scanners."""

MAX_NOTE_BYTES = 5 * 1024 * 1024
"""The default ``max_note_size``: a note larger than this (a pasted log, an
export) has its front-matter read and its body skipped (no tasks, no links),
so one such file costs bounded memory and time instead of gigabytes."""
