"""The career-search view of a vault: contacts, organizations and interviews,
cross-linked, with lookups by name.

Built from a `VaultIndex` on demand; every command that needs people or
interviews starts here.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from vaultkit.diagnostics import Diagnostic
from vaultkit.domain.contacts import Contact, read_contact
from vaultkit.domain.interviews import Interview, read_interview
from vaultkit.domain.organizations import Organization, read_organization
from vaultkit.domain.remove_sorted import remove_sorted
from vaultkit.domain.resolved_links import Ref
from vaultkit.errors import NameNotFoundError
from vaultkit.notes.note import Note
from vaultkit.notes.wikilinks import links_in_value
from vaultkit.vault.index import ChangeFeed, Kind, VaultIndex
from vaultkit.vault.resolve import fold

if TYPE_CHECKING:
    from vaultkit.domain.referral_graph import ReferralGraph

_FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)


class ContactViews:
    """Every contact, sorted by name, and the tables drawn from them (each
    built on first use). A view of a later index takes this whole object
    when none of its contacts changed: a watcher's save touches one note."""

    def __init__(self, items: list[Contact], by_path: dict[str, Contact] | None = None) -> None:
        self.items = items
        self.by_path = by_path if by_path is not None else {c.path: c for c in items}

    @cached_property
    def by_organization(self) -> dict[str, list[Contact]]:
        """By their organization note's path."""
        table: dict[str, list[Contact]] = defaultdict(list)
        for contact in self.items:
            if contact.organization is not None and contact.organization.path:
                table[contact.organization.path].append(contact)
        return dict(table)

    @cached_property
    def by_organization_name(self) -> dict[str, list[Contact]]:
        """By their organization's folded name, not yet contacted first: the
        nudge's candidate list, built once for all contacts."""
        table: dict[str, list[Contact]] = defaultdict(list)
        for contact in self.items:
            if contact.organization is not None:
                table[fold(contact.organization.name)].append(contact)
        for people in table.values():
            people.sort(key=lambda c: (c.status not in (None, "to-contact"), c.name.casefold()))
        return dict(table)

    @cached_property
    def organization_groups(self) -> dict[str, tuple[Contact, ...]]:
        """`by_organization_name` as tuples: what follow-up inputs hold."""
        return {name: tuple(group) for name, group in self.by_organization_name.items()}

    @cached_property
    def referred_by(self) -> dict[str, list[Contact]]:
        """The contacts each contact (by path) referred you to."""
        table: dict[str, list[Contact]] = defaultdict(list)
        for contact in self.items:
            for ref in contact.referred_by:
                if ref.path:
                    table[ref.path].append(contact)
        return dict(table)


class OrganizationViews:
    """Every organization, sorted by name, and by path."""

    def __init__(
        self, items: list[Organization], by_path: dict[str, Organization] | None = None
    ) -> None:
        self.items = items
        self.by_path = by_path if by_path is not None else {o.path: o for o in items}


class InterviewViews:
    """Every interview, oldest first, by path and by contact."""

    def __init__(self, items: list[Interview], by_path: dict[str, Interview] | None = None) -> None:
        self.items = items
        self.by_path = by_path if by_path is not None else {i.path: i for i in items}

    @cached_property
    def by_contact(self) -> dict[str, list[Interview]]:
        table: dict[str, list[Interview]] = defaultdict(list)
        for interview in self.items:
            if interview.contact is not None and interview.contact.path:
                table[interview.contact.path].append(interview)
        return dict(table)


Views = ContactViews | OrganizationViews | InterviewViews
_VIEW_TYPES: dict[Kind, Callable[..., Any]] = {
    "contact": ContactViews,
    "organization": OrganizationViews,
    "interview": InterviewViews,
}


@dataclass
class _Ids:
    """Each note's ``id`` by path, and the ids more than one note carries."""

    by_path: dict[str, str]

    @cached_property
    def duplicates(self) -> frozenset[str]:
        seen: set[str] = set()
        duplicates: set[str] = set()
        for note_id in self.by_path.values():
            (duplicates if note_id in seen else seen).add(note_id)
        return frozenset(duplicates)


class CareerVault:
    """Typed, cross-linked views over one vault index."""

    def __init__(self, index: VaultIndex, previous: CareerVault | None = None) -> None:
        """``previous``, a view of the same index before a change, lends its
        contacts, organizations and interviews whose notes did not change (the
        watcher's path). After a change that could make a link resolve
        differently (a note added, removed or renamed), only those whose every
        link still resolves to the very same note."""
        self.index = index
        self._resolution_version = index.resolution_version
        self._views: dict[Kind, Views] = {}  # by kind, each built on first use
        self._ids: _Ids | None = None
        self._reusable: dict[str, object] | None = {}
        self._lendable: list[list[Any]] = []  # made into _reusable when first needed
        self._check_links = False
        self._feed: ChangeFeed | None = None
        # Each contact's stage at one moment, by the contact object: the
        # dashboard's pipeline, LAMP list, statistics and map each ask for
        # every contact's (a watcher's save at 50,000 notes asked 58,000 times).
        self._stages: dict[int, tuple[Contact, str]] = {}
        self._stages_at: dt.datetime | None = None
        self._referral_graph: ReferralGraph | None = None
        if previous is not None and previous.index is index:
            self._check_links = previous._resolution_version != index.resolution_version
            self._reusable = None
            self._lendable = [views.items for views in previous._views.values()]
            self._feed = previous._feed
            if self._feed is not None:
                paths, everything = self._feed.drain()
                if not everything and not self._check_links:
                    self._lend_views(previous, paths)
        if self._feed is None:
            self._feed = index.subscribe()

    def _lend_views(self, previous: CareerVault, paths: set[str]) -> None:
        """Take over ``previous``'s views of each kind none of whose notes is
        among the changed ``paths`` (no name, alias or type changed, or this
        would not be called); for a kind with edited notes, patch its list and
        path table (see `_patch`), the other tables of that kind built again
        when asked for. Interviews take their organization from their
        contact, so an edited contact also touches interviews: its interviews
        (the very objects, shared with ``previous``) take it again."""
        touched: set[Kind] = set()
        edited: dict[Kind, set[str]] = defaultdict(set)
        for path in paths:
            note = self.index.notes.get(path)
            if note is not None:
                kind = self.index.kind(note)
                touched.add(kind)
                edited[kind].add(path)
            for kind in _VIEW_TYPES:
                old = previous._views.get(kind)
                if kind not in touched and (old is None or path in old.by_path):
                    touched.add(kind)
        if "contact" in touched:
            touched.add("interview")
        for kind in _VIEW_TYPES:
            old = previous._views.get(kind)
            if kind not in touched:
                if old is not None:
                    self._views[kind] = old
            elif self._patch(previous, kind, edited[kind]) and kind == "interview":
                interviews = self._views["interview"].by_path
                again = [interviews[path] for path in edited["interview"]]
                if edited["contact"]:  # their organization may have moved
                    again += [
                        interview
                        for interview in self.interviews
                        if interview.contact is not None
                        and interview.contact.path in edited["contact"]
                    ]
                for interview in again:
                    self._take_contact_organization(interview)
        if previous._ids is not None:
            ids = dict(previous._ids.by_path)
            for path in paths:
                note = self.index.notes.get(path)
                if note is not None and note.id is not None:
                    ids[path] = note.id
                else:
                    ids.pop(path, None)
            self._ids = previous._ids if ids == previous._ids.by_path else _Ids(ids)

    def _patch(self, previous: CareerVault, kind: Kind, paths: set[str]) -> bool:
        """Make this view's list and path table of ``kind`` from ``previous``'s,
        with only the items of the edited ``paths`` read again and put back in
        order: a save of one interview among thousands then costs a few
        comparisons, not a new sorted list. False when ``previous`` has none to
        start from (it is then built as usual, reusing what it can)."""
        old = previous._views.get(kind)
        if old is None or not paths <= old.by_path.keys():
            return False
        order = self._order(kind)
        items = list(old.items)
        table = dict(old.by_path)
        for path in paths:
            remove_sorted(items, table[path], order)
            fresh = _READERS[kind](self.index.notes[path], self.index)
            bisect.insort(items, fresh, key=order)
            table[path] = fresh
        self._views[kind] = _VIEW_TYPES[kind](items, table)
        return True

    def _order(self, kind: Kind) -> Callable[[Any], tuple[Any, str]]:
        """The sort key of each kind's list."""
        if kind == "interview":
            zone = self.index.config.zone
            return lambda interview: _interview_order(interview, zone)
        return lambda item: (item.name.casefold(), item.path)

    def _built(self, kind: Kind) -> Views:
        """The views of ``kind``, read on first use (reusing what a previous
        view lent); an interview without an organization takes its contact's."""
        views = self._views.get(kind)
        if views is None:
            read = _READERS[kind]
            found = [
                self._reuse(note) or read(note, self.index) for note in self.index.of_kind(kind)
            ]
            if kind == "interview":
                for interview in found:
                    self._take_contact_organization(interview)
            views = self._views[kind] = _VIEW_TYPES[kind](sorted(found, key=self._order(kind)))
        return views

    def _contact_views(self) -> ContactViews:
        return self._built("contact")  # type: ignore[return-value]

    def _organization_views(self) -> OrganizationViews:
        return self._built("organization")  # type: ignore[return-value]

    def _interview_views(self) -> InterviewViews:
        return self._built("interview")  # type: ignore[return-value]

    @property
    def contacts(self) -> list[Contact]:
        """Every contact, sorted by name (case-insensitive)."""
        return self._contact_views().items

    @property
    def organizations(self) -> list[Organization]:
        return self._organization_views().items

    @property
    def interviews(self) -> list[Interview]:
        """Every interview, oldest first; an interview without an organization
        takes its contact's."""
        return self._interview_views().items

    def _take_contact_organization(self, interview: Interview) -> None:
        """An interview whose note names no organization takes its contact's."""
        if (
            interview.organization is None or interview.organization_from_contact
        ) and interview.contact is not None:
            contact = self.contact_at(interview.contact.path)
            if contact is not None:
                interview.organization = contact.organization
                interview.organization_from_contact = True
            elif interview.organization_from_contact:  # a reused one whose contact went
                interview.organization = None
                interview.organization_from_contact = False

    def _reuse(self, note: Note) -> Any:
        if self._reusable is None:  # built only when a list must be built again
            self._reusable = {item.path: item for items in self._lendable for item in items}
            self._lendable = []
        item = self._reusable.get(note.path)
        if item is None or item.note is not note:  # type: ignore[attr-defined]
            return None
        if self._check_links and not all(self._still_resolves(ref) for ref in _refs_of(item)):
            return None
        return item

    def _still_resolves(self, ref: Ref) -> bool:
        """Whether a link resolves now exactly as it did (same note object, so
        the same name; same ambiguity)."""
        now = self.index.resolve(ref.link.target)
        then = ref.resolution
        return (
            now.note is then.note
            and now.via == then.via
            and now.alternatives == then.alternatives
            and now.attachment == then.attachment
        )

    def interview_at(self, path: str | None) -> Interview | None:
        return self._interview_views().by_path.get(path) if path else None

    def contact_at(self, path: str | None) -> Contact | None:
        return self._contact_views().by_path.get(path) if path else None

    def organization_at(self, path: str | None) -> Organization | None:
        return self._organization_views().by_path.get(path) if path else None

    def interviews_with(self, contact: Contact) -> list[Interview]:
        return self._interview_views().by_contact.get(contact.path, [])

    def stage(self, contact: Contact, now: dt.datetime) -> str:
        """``contact``'s stage as of ``now``, from their interviews (see `domain.stage`)."""
        from vaultkit.domain.stage import contact_stage

        at = self._stages_at
        if at is None or now != at or now.tzinfo is not at.tzinfo or now.fold != at.fold:
            self._stages, self._stages_at = {}, now
        known = self._stages.get(id(contact))
        if known is not None and known[0] is contact:  # held: its id is not reused
            return known[1]
        found = contact_stage(contact, self.interviews_with(contact), now)
        self._stages[id(contact)] = (contact, found)
        return found

    def referral_graph(self) -> ReferralGraph:
        """The referral graph of this vault state, built once: the dashboard's
        statistics and the map both walk it on every save of a watcher."""
        if self._referral_graph is None:
            from vaultkit.domain.referral_graph import ReferralGraph

            self._referral_graph = ReferralGraph(self)
        return self._referral_graph

    def forget_derived(self) -> None:
        """Let the stages and the graph go (a watcher keeps the views between
        saves, not what one save derived from them)."""
        self._stages, self._stages_at, self._referral_graph = {}, None, None

    def next_stage_change(self, now: dt.datetime) -> dt.datetime | None:
        """The first moment after ``now`` at which the clock alone changes some
        contact's stage (an interview becomes held): how long an output that
        shows stages stays true."""
        zone = self.index.config.zone
        moments = [
            since
            for interview in self.interviews
            if interview.status != "done"
            and (since := interview.held_from(zone)) is not None
            and since > now
        ]
        return min(moments, default=None)

    def referred_by(self, contact: Contact) -> list[Contact]:
        """The contacts this person referred you to."""
        return self._contact_views().referred_by.get(contact.path, [])

    def organization_group(self, contact: Contact) -> tuple[Contact, ...]:
        """Everyone filed under ``contact``'s organization (``contact`` too), in
        `colleagues` order: what a contact's nudge candidates are drawn from."""
        if contact.organization is None:
            return ()
        return self._contact_views().organization_groups.get(fold(contact.organization.name), ())

    def colleagues(self, contact: Contact, limit: int | None = None) -> list[Contact]:
        """Other open (not closed) contacts at ``contact``'s organization, not yet
        contacted first; stops at ``limit`` so a huge organization stays cheap."""
        return list(
            itertools.islice(open_colleagues(contact, self.organization_group(contact)), limit)
        )

    @property
    def duplicate_ids(self) -> frozenset[str]:
        """``id`` values more than one note carries (a note copied with its id)."""
        if self._ids is None:
            notes = self.index.notes
            self._ids = _Ids({path: n.id for path, n in notes.items() if n.id is not None})
        return self._ids.duplicates

    def people_at(self, organization: Organization) -> list[Contact]:
        return self._contact_views().by_organization.get(organization.path, [])

    def people_known_at(self, organization: Organization) -> list[Contact]:
        """Everyone filed under ``organization``: by a link to its note, or by
        plain text naming it (``company: Acme Corp`` with no link), by name."""
        found = {c.path: c for c in self.people_at(organization)}
        names = self._contact_views().by_organization_name
        for contact in names.get(fold(organization.name), []):
            if contact.organization is not None and contact.organization.path is None:
                found.setdefault(contact.path, contact)
        return sorted(found.values(), key=self._order("contact"))

    def interviews_at(self, organization: Organization) -> list[Interview]:
        """The interviews held or planned at ``organization`` (the interview's own
        organization, else its contact's), oldest first. One pass over the
        interviews: `show` asks once, no watcher keeps it."""
        wanted = fold(organization.name)
        return [
            interview
            for interview in self.interviews
            if interview.organization is not None
            and (
                interview.organization.path == organization.path
                or (
                    interview.organization.path is None
                    and fold(interview.organization.name) == wanted
                )
            )
        ]

    def namesakes(self, name: str, chosen: Note, kinds: tuple[Kind, ...]) -> list[str]:
        """The paths of the other notes that also answer to ``name`` (same file
        name, or a contact or organization of the wanted ``kinds`` with that
        alias or ``name``), besides the ``chosen`` one: `show` says "also ..."
        so the user knows the name is ambiguous."""
        links = links_in_value(name)
        target = links[0].target if len(links) == 1 else name
        others = dict.fromkeys(self.index.resolve(target).alternatives)
        wanted = fold(target.strip())
        groups: list[list[Any]] = []
        if "contact" in kinds:
            groups.append(self.contacts)
        if "organization" in kinds:
            groups.append(self.organizations)
        for group in groups:
            for item in group:
                if fold(item.name) == wanted or any(fold(a) == wanted for a in item.aliases):
                    others[item.path] = None
        others.pop(chosen.path, None)
        return list(others)

    def organization_filter(self, org: str | None) -> Callable[[Ref | None], bool]:
        """A test for "works at / took place at ``org``", as given on a command line:
        its note (by name or alias) when one exists, else the text contact notes
        give. A name matching neither is an error, like an unknown contact name,
        so a typo is not mistaken for an empty result."""
        if org is None:
            return lambda ref: True
        try:
            wanted_path: str | None = self.find_note(org, ("organization",)).path
        except NameNotFoundError:
            wanted_path = None
        wanted_text = fold(org.strip())
        if wanted_path is None and not any(
            c.organization is not None and fold(c.organization.name) == wanted_text
            for c in self.contacts
        ):
            raise NameNotFoundError(f"no organization named {org!r} in this vault")
        return lambda ref: (
            ref is not None
            and (
                (wanted_path is not None and ref.path == wanted_path)
                or fold(ref.name) == wanted_text
            )
        )

    def find_note(self, name: str, kinds: tuple[Kind, ...]) -> Note:
        """Find a note by name as a link would (file name, path tail, alias, ``name``);
        a pasted ``[[link]]`` works too.

        Raises `NameNotFoundError` with a one-line message when nothing of the
        wanted kinds matches, naming the kind it is when it is another one.
        """
        links = links_in_value(name)
        target = links[0].target if len(links) == 1 else name
        note = self.index.resolve(target).note
        if note is not None and self.index.kind(note) in kinds:
            return note
        wanted = fold(target.strip())
        for candidate in self.index.notes.values():
            if self.index.kind(candidate) in kinds and fold(candidate.name) == wanted:
                return candidate
        label = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " or " + kinds[-1]
        if note is not None:
            actual = self.index.kind(note)
            what = "an ordinary note" if actual == "other" else f"a note of kind {actual}"
            article = "an" if label[:1] in "aeiou" else "a"
            raise NameNotFoundError(f"{target!r} is {what} ({note.path}), not {article} {label}")
        raise NameNotFoundError(f"no {label} named {target!r} in this vault")

    def diagnostics(self) -> list[Diagnostic]:
        """Everything reading the vault and its typed fields found."""
        found = self.index.diagnostics()
        for group in (self.contacts, self.organizations, self.interviews):
            for item in group:
                found.extend(item.problems)
        return found


_READERS: dict[Kind, Callable[[Note, VaultIndex], Any]] = {
    "contact": read_contact,
    "organization": read_organization,
    "interview": read_interview,
}


def _refs_of(item: object) -> list[Ref]:
    """The links a contact, interview or organization was read with."""
    if isinstance(item, Contact):
        return ([item.organization] if item.organization else []) + item.referred_by
    if isinstance(item, Interview):
        found = [item.contact] if item.contact else []
        if item.organization is not None and not item.organization_from_contact:
            found.append(item.organization)
        return found + item.referrals
    return []


def _interview_order(interview: Interview, zone: dt.tzinfo) -> tuple[dt.datetime, str]:
    """By start time; an interview with only a day sorts at the start of that day
    in the vault's zone; one without a date sorts last."""
    if interview.start is None:
        return (_FAR_FUTURE, interview.path)
    at = interview.start.at
    if at is None:
        at = dt.datetime.combine(interview.start.day, dt.time(), tzinfo=zone)
    return (at, interview.path)


def open_colleagues(contact: Contact, group: Iterable[Contact]) -> Iterator[Contact]:
    """The others in ``contact``'s organization group who are not closed, in
    the group's order (not yet contacted first): the nudge's candidates."""
    return (c for c in group if c.path != contact.path and c.status != "closed")
