"""The fixed words of the schema: statuses, warmth, formats, and their common
variants. A module of constants only, so the CLI can offer them as choices
without importing the parsing stack (``vaultkit --help`` stays instant).
"""

from __future__ import annotations

CONTACT_STATUSES = (
    "to-contact",
    "contacted",
    "scheduled",
    "interviewed",
    "thanked",
    "keep-in-touch",
    "closed",
)
CONTACT_STATUS_ALIASES = {
    "todo": "to-contact",
    "to-do": "to-contact",
    "new": "to-contact",
    "met": "interviewed",
    "keep-in-contact": "keep-in-touch",
    "kit": "keep-in-touch",
    "done": "closed",
    "archived": "closed",
}
WARMTH = ("warm", "cold")

INTERVIEW_STATUSES = ("planned", "done", "cancelled")
INTERVIEW_STATUS_ALIASES = {
    "scheduled": "planned",
    "upcoming": "planned",
    "held": "done",
    "completed": "done",
    "canceled": "cancelled",
}
FORMATS = ("in-person", "phone", "video")
FORMAT_ALIASES = {
    "inperson": "in-person",
    "coffee": "in-person",
    "call": "phone",
    "zoom": "video",
    "teams": "video",
    "meet": "video",
    "google-meet": "video",
    "online": "video",
}
