"""The desktop around the terminal: the clipboard and opening a note in Obsidian.

Both are conveniences: where no desktop or clipboard tool exists (a server, a
container), vaultkit says so in one line and carries on; the draft or the
note's path has been printed anyway.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

_CLIPBOARD_TOOLS = (
    ("pbcopy",),
    ("wl-copy",),
    ("xclip", "-selection", "clipboard"),
    ("xsel", "--clipboard", "--input"),
    ("clip.exe",),
)


def copy_to_clipboard(text: str) -> str | None:
    """Copy ``text``; return None on success, else why it could not be done."""
    for command in _CLIPBOARD_TOOLS:
        if shutil.which(command[0]) is None:
            continue
        if command[0] in ("xclip", "xsel") and not os.environ.get("DISPLAY"):
            continue
        if command[0] == "wl-copy" and not os.environ.get("WAYLAND_DISPLAY"):
            continue
        # Windows' clip.exe reads UTF-16 (with its BOM); the others read UTF-8.
        data = text.encode("utf-16") if command[0] == "clip.exe" else text.encode("utf-8")
        try:
            subprocess.run(
                command,
                input=data,
                check=True,
                timeout=5,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        return None
    return "no clipboard here (pbcopy, wl-copy, xclip, xsel or clip.exe); copy the draft above"


def open_url(url: str) -> str | None:
    """Hand ``url`` to the desktop; return None on success, else why not."""
    if sys.platform == "darwin":
        command = ["open", url]
    elif os.name == "nt":
        try:
            os.startfile(url)  # type: ignore[attr-defined]
        except OSError as error:
            return f"could not open Obsidian: {error.strerror}"
        return None
    elif os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        command = ["xdg-open", url]
    else:
        return "no desktop here to open Obsidian in"
    try:  # started, not waited for: an opener may linger while the app starts
        subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
    except OSError:
        return f"could not open Obsidian ({command[0]} is not available)"
    return None
