"""The computer's own time zone, by IANA name, without another dependency.

An interview at ``2026-11-25 14:00`` means 14:00 where the user lives; the
vault's ``timezone`` setting says where that is, and this is the default when
it is not set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def system_zone() -> tuple[dt.tzinfo, bool]:
    """The computer's zone and whether it has an IANA name.

    ``$TZ``, else ``/etc/timezone``, else the ``/etc/localtime`` link. Without a
    name (Windows, a container with a copied ``/etc/localtime``) only today's
    offset is known, which is wrong across a DST change; the caller reports that.
    """
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if name:
            try:
                return ZoneInfo(name), True
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
    local = dt.datetime.now().astimezone().tzinfo
    return (local if local is not None else dt.UTC), False
