"""Generate a deterministic, realistic vaultkit vault for benchmarks and load tests.

Why this exists: vaultkit has to stay fast on a vault that has grown for years,
and the only honest way to measure that is on a vault shaped like a real one —
nested folders, front-matter written by hand in several styles, referral chains,
bodies full of wikilinks and Tasks lines, a long tail of big daily notes. Real
vaults are private, so this script makes one.

Everything comes from ``random.Random(seed)`` and a fixed "today"; nothing reads
the clock or iterates a ``set`` of strings (whose order changes between runs
with hash randomisation), so the same ``--seed`` and ``--notes`` always give
byte-identical files. Only the standard library is used, so the script runs
before vaultkit or its dependencies are installed.

Usage::

    python benchmarks/generate_vault.py OUT_DIR --notes 10000 [--seed 1] [--force]
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random

# The vault's "today". Fixed so output never depends on when the script runs;
# chosen so some follow-ups are overdue and some interviews are still ahead.
TODAY = date(2026, 11, 20)


def items(text: str, sep: str | None = None) -> tuple[str, ...]:
    """Split a word list kept compact in the source (whitespace, or ``sep``)."""
    return tuple(item.strip() for item in text.split(sep) if item.strip())


# Share of the total note count for each kind; ordinary notes take the rest.
SHARE_CONTACTS = 0.30
SHARE_ORGS = 0.05
SHARE_INTERVIEWS = 0.10
SHARE_DAILY = 0.20

# Longest referral chain: a contact can be at most this many referrals away
# from a root contact (someone nobody referred).
MAX_REFERRAL_DEPTH = 6

# Body sizes in characters: 0.5-20 KB, log-normal so most notes are small and a
# few are big, as in a real vault. (median, sigma) per size class.
BODY_MIN = 520
BODY_MAX = 19_000  # leaves room for the last block appended past the target
SMALL_BODY = (900.0, 0.65)
LARGE_BODY = (2_800.0, 0.85)

CONTACT_STATUSES = (
    "to-contact",
    "contacted",
    "scheduled",
    "interviewed",
    "thanked",
    "keep-in-touch",
    "closed",
)
CONTACT_STATUS_WEIGHTS = (15, 20, 10, 15, 10, 20, 10)
MET_STATUSES = ("interviewed", "thanked", "keep-in-touch")

FIRST_NAMES = (
    *items(
        "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
        "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy "
        "Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily "
        "Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa "
        "Timothy Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia "
        "Jacob Kathleen Gary Amy Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda Larry "
        "Pamela Justin Emma Scott Nicole Brandon Helen Benjamin Samantha Samuel Katherine Gregory "
        "Christine Alexander Debra Frank Rachel Patrick Carolyn Raymond Janet Jack Catherine "
        "Dennis Maria Jerry Heather Tyler Diane Aaron Ruth Jose Julie Adam Olivia Nathan Joyce "
        "Henry Virginia Douglas Victoria Zachary Kelly Peter Lauren Kyle Christina Noah Joan "
        "Ethan Evelyn Jeremy Judith Walter Megan Christian Andrea Keith Cheryl Roger Hannah "
        "Terry Jacqueline Austin Martha Sean Gloria Gerald Teresa Carl Ann Harold Sara Dylan "
        "Madison Arthur Frances Lawrence Kathryn Jordan Janice Jesse Jean Bryan Abigail Billy "
        "Alice Bruce Judy Gabriel Sophia Joe Grace Logan Denise Alan Amber Juan Doris Wayne "
        "Marilyn Elijah Danielle Randy Beverly Roy Isabella Vincent Theresa Ralph Diana Eugene "
        "Natalie Russell Brittany Bobby Charlotte Mason Marie Philip Kayla Louis Alexis Priya "
        "Wei Aisha Hiroshi Mei Arjun Fatima Kwame Ingrid Mateo Yuki Omar Leila Sven Anika Raj "
        "Chen Amara Dmitri Elena Kofi Noor Tomas Ana Lucas Camila Hamid Sana Ivan Olga Kenji"
    ),
    *items("José Zoë Chloé Søren Björn Renée Andrés François Łukasz"),
)

LAST_NAMES = (
    *items(
        "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
        "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
        "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
        "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter "
        "Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart "
        "Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed "
        "Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray "
        "Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez "
        "Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales "
        "Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds "
        "Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar "
        "Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington "
        "Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson "
        "Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes "
        "Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice "
        "Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant "
        "Dunn Kelley Spencer Hawkins Arnold Pierce Hansen Peters Santos Hart Bradley Knight "
        "Tanaka Suzuki Sato Wang Zhang Liu Singh Kumar Sharma Okafor Mensah Haddad Khan Ali "
        "Novak Kowalski Petrov Ivanova Larsen Berg Lindqvist Rossi Bianchi Dubois Moreau"
    ),
    *items("O'Brien O'Connor Müller García-López Nguyễn Ødegaard Çelik"),
)

NICKNAMES = {
    "James": "Jim",
    "Robert": "Bob",
    "William": "Bill",
    "Richard": "Rick",
    "Joseph": "Joe",
    "Thomas": "Tom",
    "Christopher": "Chris",
    "Daniel": "Dan",
    "Matthew": "Matt",
    "Anthony": "Tony",
    "Elizabeth": "Liz",
    "Jennifer": "Jen",
    "Margaret": "Maggie",
    "Katherine": "Kate",
    "Patricia": "Pat",
    "Jessica": "Jess",
    "Samantha": "Sam",
    "Alexander": "Alex",
    "Benjamin": "Ben",
    "Nicholas": "Nick",
    "Jonathan": "Jon",
    "Rebecca": "Becky",
    "Victoria": "Tori",
    "Zachary": "Zach",
    "Gregory": "Greg",
    "Stephanie": "Steph",
    "Kimberly": "Kim",
    "Timothy": "Tim",
    "Kenneth": "Ken",
}

ORG_PREFIXES = items(
    "Acme Northwind Blue Harbor Evergreen Summit Redwood Ironclad Bright Path Lumen "
    "Cobalt Meridian Granite Keystone Silverline Oakridge Beacon Cascade Horizon Pioneer "
    "Atlas Vertex Orbit Quantum Nimbus Sterling Harbor Point Crescent Falcon Aurora "
    "Juniper Maple Cedar Willow Copper Sapphire Emerald Onyx Tidewater Riverbend Lakeside "
    "Highland Prairie Coastal Frontier Liberty Union Civic Open Field Clearwater Stonebridge "
    "Brightwater Foxglove Larkspur Kestrel Osprey Heron Bluebird Northstar Southgate "
    "Eastwind Westfield Ember Solstice Equinox Polaris Zenith Apex Catalyst Mosaic Prism "
    "Signal Lattice Vector Kinetic Tandem Parallel Common Ground Fieldstone Hearth Anchor"
)
ORG_SUFFIXES = items(
    "Labs Corp Health Capital Partners Group Systems Analytics Foundation Institute "
    "Consulting Energy Robotics Bio Media Software Networks Logistics Foods Studio Bank "
    "Insurance Pharma Ventures Collective Works Design Learning Security Cloud Therapeutics "
    "Mobility Materials Advisors Trust Alliance Press Games Motors Clinic"
)
ORG_SIZES = ("1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5000+")

INDUSTRIES = items(
    "Software, Healthcare, Finance, Consulting, Education, Nonprofit, Energy, Biotech, "
    "Media, Government, Retail, Manufacturing, Logistics, Insurance, Real Estate, Gaming, "
    "Climate tech, Public policy",
    ",",
)
ROLES = items(
    "Software Engineer| Senior Software Engineer| Staff Engineer| Product Manager| "
    "Senior Product Manager| Data Scientist| Data Analyst| UX Researcher| "
    "Product Designer| Engineering Manager| Director of Engineering| VP Product| "
    "Program Manager| Policy Analyst| Research Scientist| Consultant| Senior Consultant| "
    "Associate| Recruiter| Talent Partner| Founder| CTO| Operations Manager| "
    "Marketing Lead| Account Executive| Financial Analyst| Clinical Research Coordinator| "
    "Grant Writer| Communications Director| Professor| Teacher| "
    "Project Manager, Infrastructure| Head of People",
    "|",
)
CITIES = items(
    "Boston, MA| New York, NY| Brooklyn, NY| Philadelphia, PA| Washington, DC| "
    "Chicago, IL| Austin, TX| Denver, CO| Seattle, WA| San Francisco, CA| Oakland, CA| "
    "Los Angeles, CA| Atlanta, GA| Raleigh, NC| Pittsburgh, PA| Toronto, ON| Montréal, QC| "
    "London, UK| Berlin, Germany| Remote",
    "|",
)
SOURCES_COLD = items(
    "LinkedIn, company website, professional association, conference talk, cold email, "
    "industry newsletter, meetup, job board",
    ",",
)
EVENTS = items(
    "Career Fair 2024, Career Fair 2025, PyCon 2024, Women in Tech 2025, Alumni Mixer, "
    "Hackathon 2023, Policy Summit 2025, Design Week",
    ",",
)
NOTE_TOPICS: dict[str, tuple[str, ...]] = {
    "Career": ("Strategy", "Networking", "Applications", "Negotiation", "Reflections"),
    "Industry Research": ("Software", "Healthcare", "Climate", "Finance", "Public Sector"),
    "Skills": ("Python", "SQL", "Writing", "Public Speaking", "Product Sense"),
    "Reading": ("Books", "Articles", "Podcasts"),
    "Projects": ("Portfolio", "Side Projects", "Volunteering"),
    "Meetings": ("Mentors", "Groups", "Workshops"),
    "Personal": ("Finances", "Health", "Travel"),
    "Archive": ("2023", "2024", "2025"),
}
TITLE_SUBJECTS = items(
    "Product management, Data engineering, UX research, Climate policy, "
    "Healthcare analytics, Consulting, Venture capital, Nonprofit leadership, "
    "Machine learning, Technical writing, Developer relations, Public health, "
    "Supply chain, Fintech, Edtech, Urban planning, Cybersecurity, Cloud infrastructure, "
    "Biotech, Clean energy, Open source, Design systems, Growth marketing, "
    "Sales engineering, Program management, Operations, People analytics, "
    "Customer success, Solutions architecture, Research ops, Accessibility, "
    "Quantitative finance, Government digital service, Impact investing, Higher education, "
    "Robotics, Gaming, Media strategy, Legal tech, Insurtech, Agritech, Mobility, "
    "Hardware startups, Data visualization, Information security, Platform teams, SRE, "
    "Analytics engineering, Content strategy, Brand design, Career pivots, Remote work, "
    "Leadership, Mentoring, Interview prep, Salary negotiation, Personal branding, "
    "Portfolio reviews, Informational interviews, Job search",
    ",",
)
TITLE_FACETS = items(
    "career paths, reading list, open questions, notes, overview, key players, skills gap, "
    "interview questions, salary bands, trends, glossary, day in the life, hiring process, "
    "resources, first impressions, summary, lessons learned, checklist, pros and cons, "
    "comparison, timeline, who to talk to, certifications, typical roles, entry points, "
    "portfolio ideas, talking points, case studies, podcast notes, meetup notes, "
    "course notes, cheat sheet, action plan, retrospective, weekly review, brainstorm, "
    "draft, outline, research log, mind map",
    ",",
)
TITLE_PREFIXES = ("", "", "", "Draft - ", "Reading - ", "Ideas - ", "Old - ")

SENT_SUBJECTS = items(
    "The team, Their manager, She, He, The hiring manager, The hiring committee, My mentor, "
    "The recruiter, One engineer, The director, Our group, The founder, "
    "A former colleague, The panel, Everyone I asked, The new lead",
    ",",
)
SENT_VERBS = items(
    "mentioned, recommended, is focused on, talked a lot about, spends most weeks on, "
    "values, asked about, is worried about, is excited about, keeps coming back to, "
    "suggested reading about, compared it to, described, is hiring for, pushed back on, "
    "explained",
    ",",
)
SENT_OBJECTS = items(
    "stakeholder interviews, the quarterly roadmap, data pipelines, customer research, "
    "the onboarding process, cross-functional work, grant deadlines, budget cycles, "
    "the promotion ladder, remote collaboration, on-call rotations, user testing, "
    "regulatory changes, the product strategy, career ladders, mentoring juniors, "
    "technical debt, the annual review, writing clear memos, public speaking, SQL skills, "
    "portfolio projects, domain knowledge, the interview loop, contract roles, the reorg, "
    "market research, field work, client workshops, the certification exam, "
    "negotiating an offer, the first ninety days",
    ",",
)
SENT_TAILS = (
    "",
    "",
    "",
    " last spring",
    " in the first ninety days",
    " across three offices",
    " every quarter",
    " more than I expected",
    " with some caveats",
    " before the launch",
    " for new hires",
    " when budgets are tight",
    " in the long run",
    " this year",
)
TAGS = items(
    "career, career/networking, career/research, followup, idea, reading, todo, "
    "interview-prep, industry, skills, reflection, important",
    ",",
)
QUESTION_BANK: dict[str, tuple[str, ...]] = {
    "Job description": (
        "What does a typical week look like for you?",
        "Which parts of the job take the most time?",
        "What problems are you solving right now?",
    ),
    "Career path": (
        "How did you get into this field?",
        "What would you do differently if you started again?",
        "Which experiences prepared you best for this role?",
    ),
    "Work environment": (
        "How would you describe the culture of your team?",
        "How are decisions made here?",
        "What kind of people thrive in this environment?",
    ),
    "Industry": (
        "Where do you see the industry going in five years?",
        "Which organizations are doing interesting work?",
        "What are the biggest challenges facing the field?",
    ),
    "Preparation": (
        "Which skills should I build first?",
        "Are there courses or certifications worth doing?",
        "What experience do hiring managers look for?",
    ),
    "Organization": (
        "How is the organization structured?",
        "How does your team measure success?",
        "What are the organization's plans for the next year?",
    ),
    "General": (
        "What do you wish you had known before starting?",
        "What advice would you give someone in my position?",
        "Is there anything I should have asked but did not?",
    ),
}
CLOSING_QUESTIONS = (
    "Who else should I talk to?",
    "May I stay in touch?",
    "May I use your name when I reach out?",
)
TASK_ACTIONS = items(
    "Send résumé to, Email, Follow up with, Share the article with, Thank, "
    "Ask for an intro from, Update notes on, Research, Prepare questions for, "
    "Connect on LinkedIn with",
    ",",
)
PLAIN_SCALAR = re.compile(r"[^\W\d_][\w .,'&()/@+-]*", re.UNICODE)
YAML_RESERVED = frozenset(
    items("y n yes no true false on off null ~"),
)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def yaml_scalar(value: str) -> str:
    """Render a string the way a person would type it in front-matter.

    Plain (unquoted) when YAML reads it back as the same string, double-quoted
    otherwise; JSON string syntax is valid YAML double-quoted syntax.
    """
    if (
        PLAIN_SCALAR.fullmatch(value)
        and value.lower() not in YAML_RESERVED
        and not value.endswith(" ")
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def quoted_link(name: str) -> str:
    """A front-matter wikilink, always quoted: the form vaultkit itself writes."""
    return f'"[[{name}]]"'


def ascii_slug(text: str, sep: str = ".") -> str:
    """Fold accents and punctuation away, for e-mail addresses and URLs."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, folded.lower()).strip(sep)


@dataclass
class Org:
    """An organization note and the facts other notes borrow from it."""

    name: str
    id: str
    industry: str
    location: str
    domain: str
    people: list[int] = field(default_factory=list)


@dataclass
class Contact:
    """A contact note; dates are None when the status has not reached them."""

    name: str
    first: str
    last: str
    folder: str
    id: str
    org: int
    referrers: list[int]
    depth: int
    status: str
    warmth: str
    source: str
    contacted_on: date | None = None
    replied_on: date | None = None
    last_contact: date | None = None
    referred: list[int] = field(default_factory=list)


@dataclass
class Interview:
    """An interview note; named ``YYYY-MM-DD Contact Name``."""

    stem: str
    contact: int
    when: datetime
    status: str


@dataclass
class Plan:
    """How many notes of each kind a vault of ``total`` notes gets."""

    contacts: int
    orgs: int
    interviews: int
    daily: int
    notes: int

    @classmethod
    def for_total(cls, total: int) -> Plan:
        """Split ``total`` by the shares, keeping every link target possible.

        Contacts need an organization to link to and interviews need a contact,
        so tiny vaults get at least one of each when they have dependants.
        """
        contacts = round(total * SHARE_CONTACTS)
        orgs = round(total * SHARE_ORGS)
        interviews = round(total * SHARE_INTERVIEWS)
        daily = round(total * SHARE_DAILY)
        if contacts and not orgs:
            orgs = 1
        if not contacts:
            interviews = 0
        while contacts + orgs + interviews + daily > total:
            # Only reachable for a handful of notes: drop the least needed kind.
            if daily:
                daily -= 1
            elif interviews:
                interviews -= 1
            else:
                contacts -= 1
        return cls(contacts, orgs, interviews, daily, total - contacts - orgs - interviews - daily)


class Words:
    """Pre-built sentences, so filling megabytes of bodies stays cheap.

    Composing each sentence word by word for every note is what makes naive
    generators slow; a few thousand sentences, drawn from per note, read just
    as well and cost one ``choices`` call per paragraph.
    """

    def __init__(self, rng: Random, count: int = 3000) -> None:
        self.sentences = [
            f"{rng.choice(SENT_SUBJECTS)} {rng.choice(SENT_VERBS)} "
            f"{rng.choice(SENT_OBJECTS)}{rng.choice(SENT_TAILS)}."
            for _ in range(count)
        ]

    def paragraph(self, rng: Random, low: int = 2, high: int = 6) -> str:
        """A paragraph of ``low``-``high`` sentences."""
        return " ".join(rng.choices(self.sentences, k=rng.randint(low, high)))


class VaultGenerator:
    """Decides every name and relation first, then writes the notes.

    Naming everything before writing any body means every link a body or a
    front-matter key makes can point at a note that exists (except the few
    dangling body links added on purpose, as real vaults have them).
    """

    def __init__(self, total: int, seed: int, windows_share: float = 0.0) -> None:
        self.rng = Random(seed)
        self.seed = seed
        self.total = total
        self.windows_share = windows_share
        self.plan = Plan.for_total(total)
        self.words = Words(self.rng)
        self.used_stems: set[str] = set()  # lower-cased; membership tests only
        self.used_ids: set[int] = set()
        self.orgs: list[Org] = []
        self.contacts: list[Contact] = []
        self.interviews: list[Interview] = []
        self.daily_dates: list[date] = []
        self.notes: list[tuple[str, str]] = []  # (folder, title)
        self.link_pool: list[tuple[str, str, str]] = []  # (stem, rel path w/o .md, heading)
        self.org_cum_weights: list[float] = []
        self.bytes_written = 0
        self.files_written = 0
        self.made_dirs: set[str] = set()

    # ----------------------------------------------------------------- naming

    def unique_stem(self, make: Callable[[], str], attempts: int = 8) -> str:
        """Draw names from ``make`` until one is unused, then fall back to a number.

        Stems are unique across the whole vault (case-insensitively), so no
        link is ambiguous unless a benchmark wants it to be.
        """
        candidate = make()
        for _ in range(attempts):
            if candidate.lower() not in self.used_stems:
                self.used_stems.add(candidate.lower())
                return candidate
            candidate = make()
        for n in itertools.count(2):
            numbered = f"{candidate} {n}"
            if numbered.lower() not in self.used_stems:
                self.used_stems.add(numbered.lower())
                return numbered
        raise AssertionError("unreachable")

    def new_id(self, prefix: str) -> str:
        """A unique, stable-looking note id such as ``c-5f3a9b01d2``."""
        while True:
            bits = self.rng.getrandbits(40)
            if bits not in self.used_ids:
                self.used_ids.add(bits)
                return f"{prefix}-{bits:010x}"

    def person_name(self) -> tuple[str, str, str]:
        """A plausible unique name; a middle initial, then a number, on collision."""
        rng = self.rng
        for _ in range(12):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            for name in (f"{first} {last}", f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"):
                if name.lower() not in self.used_stems:
                    self.used_stems.add(name.lower())
                    return name, first, last
        name = self.unique_stem(lambda: f"{first} {last}", attempts=0)
        return name, first, last

    def plan_orgs(self) -> None:
        """Name the organizations; a Zipf-like weight makes a few of them big."""
        rng = self.rng
        for _ in range(self.plan.orgs):
            name = self.unique_stem(
                lambda: f"{rng.choice(ORG_PREFIXES)} {rng.choice(ORG_SUFFIXES)}"
            )
            self.orgs.append(
                Org(
                    name=name,
                    id=self.new_id("o"),
                    industry=rng.choice(INDUSTRIES),
                    location=rng.choice(CITIES),
                    domain=ascii_slug(name, "") + rng.choice((".com", ".com", ".org", ".io")),
                )
            )
        self.org_cum_weights = list(
            itertools.accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(self.orgs)))
        )

    def pick_org(self) -> int:
        """An organization index, favouring the big ones."""
        x = self.rng.random() * self.org_cum_weights[-1]
        return bisect.bisect_left(self.org_cum_weights, x)

    def pick_referrers(self, index: int, eligible: list[int], shallow: list[int]) -> list[int]:
        """Who referred contact ``index``: none for roots, usually one, sometimes two.

        The first seven contacts form one chain of the maximum depth, so every
        vault with seven contacts has a chain to test against. Later contacts
        lean toward shallow referrers, so deep chains stay the exception.
        """
        rng = self.rng
        if 1 <= index <= MAX_REFERRAL_DEPTH:
            return [index - 1]
        if index == 0 or not eligible or rng.random() < 0.3:
            return []
        pool = shallow if shallow and rng.random() < 0.55 else eligible
        first = rng.choice(pool)
        if len(eligible) > 1 and rng.random() < 0.08:
            second = rng.choice(eligible)
            if second != first:
                return [first, second]
        return [first]

    def contact_dates(self, contact: Contact) -> None:
        """Dates consistent with the status, most of them recent enough to be due."""
        rng = self.rng
        status = contact.status
        if status == "to-contact":
            return
        if status == "contacted":
            contact.contacted_on = TODAY - timedelta(days=rng.randint(0, 21))
            if rng.random() < 0.15:
                contact.replied_on = contact.contacted_on + timedelta(days=rng.randint(1, 4))
                contact.replied_on = min(contact.replied_on, TODAY)
            contact.last_contact = contact.replied_on or contact.contacted_on
            return
        if status == "scheduled":
            contact.contacted_on = TODAY - timedelta(days=rng.randint(5, 40))
        else:
            contact.contacted_on = TODAY - timedelta(days=rng.randint(14, 720))
        contact.replied_on = min(TODAY, contact.contacted_on + timedelta(days=rng.randint(1, 7)))
        if status == "scheduled":
            contact.last_contact = contact.replied_on
        else:
            since_reply = (TODAY - contact.replied_on).days
            later = rng.randint(min(3, since_reply), min(since_reply, 240))
            contact.last_contact = contact.replied_on + timedelta(days=later)

    def contact_folder(self, org: Org) -> tuple[str, str, str]:
        """(folder, warmth, source): where the note lives says how we met."""
        rng = self.rng
        r = rng.random()
        if r < 0.55:
            warmth = "warm" if rng.random() < 0.25 else "cold"
            return "People", warmth, rng.choice(SOURCES_COLD)
        if r < 0.72:
            year = rng.randint(2008, 2024)
            return f"People/Alumni/{year}", "warm", "alumni directory"
        if r < 0.82:
            return f"People/Colleagues/{org.name}", "warm", "former co-worker"
        if r < 0.90:
            return "People/Friends & Family", "warm", rng.choice(("friend", "family", "neighbour"))
        event = rng.choice(EVENTS)
        return f"People/Events/{event}", "cold", f"event: {event}"

    def plan_contacts(self) -> None:
        """Name the contacts, place them in folders, and wire the referral chains."""
        rng = self.rng
        eligible: list[int] = []  # depth < MAX: may still refer someone
        shallow: list[int] = []  # depth <= 1
        for index in range(self.plan.contacts):
            name, first, last = self.person_name()
            org_index = self.pick_org()
            folder, warmth, source = self.contact_folder(self.orgs[org_index])
            referrers = self.pick_referrers(index, eligible, shallow)
            depth = 1 + max(self.contacts[r].depth for r in referrers) if referrers else 0
            if referrers:
                source = "referral"
                warmth = "warm"
            status = rng.choices(CONTACT_STATUSES, weights=CONTACT_STATUS_WEIGHTS)[0]
            contact = Contact(
                name=name,
                first=first,
                last=last,
                folder=folder,
                id=self.new_id("c"),
                org=org_index,
                referrers=referrers,
                depth=depth,
                status=status,
                warmth=warmth,
                source=source,
            )
            self.contact_dates(contact)
            self.contacts.append(contact)
            self.orgs[org_index].people.append(index)
            for r in referrers:
                self.contacts[r].referred.append(index)
            if depth < MAX_REFERRAL_DEPTH:
                eligible.append(index)
            if depth <= 1:
                shallow.append(index)

    def plan_interviews(self) -> None:
        """Schedule interviews with contacts who got that far, on weekday hours."""
        rng = self.rng
        met = [i for i, c in enumerate(self.contacts) if c.status in (*MET_STATUSES, "closed")]
        scheduled = [i for i, c in enumerate(self.contacts) if c.status == "scheduled"]
        everyone = list(range(len(self.contacts)))
        for _ in range(self.plan.interviews):
            r = rng.random()
            if scheduled and r < 0.15:
                contact_index = rng.choice(scheduled)
                day = TODAY + timedelta(days=rng.randint(-2, 21))
            else:
                contact_index = rng.choice(met or everyone)
                contact = self.contacts[contact_index]
                base = contact.replied_on or TODAY - timedelta(days=rng.randint(0, 400))
                day = min(base + timedelta(days=rng.randint(2, 14)), TODAY + timedelta(days=30))
            if day.weekday() >= 5:  # move weekend meetings to the Monday
                day += timedelta(days=7 - day.weekday())
            name = self.contacts[contact_index].name
            while f"{day.isoformat()} {name}".lower() in self.used_stems:
                day += timedelta(days=1)
            stem = f"{day.isoformat()} {name}"
            self.used_stems.add(stem.lower())
            when = datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.choice((0, 30)))
            if day > TODAY:
                status = "cancelled" if rng.random() < 0.05 else "planned"
            else:
                status = rng.choices(("done", "cancelled", "planned"), weights=(85, 7, 8))[0]
            self.interviews.append(Interview(stem, contact_index, when, status))

    def plan_daily(self) -> None:
        """Daily-note dates, walking back from today; weekends are often skipped."""
        rng = self.rng
        day = TODAY
        while len(self.daily_dates) < self.plan.daily:
            keep = 0.95 if day.weekday() < 5 else 0.55
            if rng.random() < keep:
                self.daily_dates.append(day)
                self.used_stems.add(day.isoformat())
            day -= timedelta(days=1)

    def plan_notes(self) -> None:
        """Ordinary notes in ``Notes/Topic/`` or ``Notes/Topic/Sub/``."""
        rng = self.rng
        topics = list(NOTE_TOPICS)
        for _ in range(self.plan.notes):
            topic = rng.choice(topics)
            if rng.random() < 0.75:
                folder = f"Notes/{topic}/{rng.choice(NOTE_TOPICS[topic])}"
            else:
                folder = f"Notes/{topic}"
            title = self.unique_stem(
                lambda: (
                    f"{rng.choice(TITLE_PREFIXES)}{rng.choice(TITLE_SUBJECTS)} "
                    f"{rng.choice(TITLE_FACETS)}"
                )
            )
            self.notes.append((folder, title))

    def plan_links(self) -> None:
        """Everything a body may link to, with a heading that note really has."""
        pool = self.link_pool
        pool.extend((c.name, f"{c.folder}/{c.name}", "Notes") for c in self.contacts)
        pool.extend((o.name, f"Organizations/{o.name}", "Overview") for o in self.orgs)
        pool.extend((i.stem, f"Interviews/{i.stem}", "Notes") for i in self.interviews)
        pool.extend(
            (d.isoformat(), f"Daily/{d.year}/{d.isoformat()}", "Log") for d in self.daily_dates
        )
        pool.extend((title, f"{folder}/{title}", "Summary") for folder, title in self.notes)

    # ----------------------------------------------------------- body pieces

    def body_target(self, large: bool) -> int:
        """A body length in characters, log-normal and clamped to 0.5-20 KB."""
        median, sigma = LARGE_BODY if large else SMALL_BODY
        size = self.rng.lognormvariate(0.0, sigma) * median
        return int(min(BODY_MAX, max(BODY_MIN, size)))

    def link(self, stem: str, path: str, heading: str, display: str | None = None) -> str:
        """A wikilink in one of the forms Obsidian users write."""
        r = self.rng.random()
        if r < 0.68:
            return f"[[{stem}]]"
        if r < 0.83:
            shown = display or stem.lower()
            return f"[[{stem}|{shown if shown != stem else 'notes'}]]"
        if r < 0.93:
            return f"[[{stem}#{heading}]]"
        if r < 0.98:
            return f"![[{stem}]]"
        return f"[[{path}]]"

    def random_link(self) -> str:
        """A link to any note; about one in a hundred dangles, as in real vaults."""
        if not self.link_pool or self.rng.random() < 0.01:
            return f"[[{self.rng.choice(TITLE_SUBJECTS)} someday]]"
        return self.link(*self.rng.choice(self.link_pool))

    def contact_link(self, index: int) -> str:
        """A body link to a contact, sometimes shown by first name."""
        c = self.contacts[index]
        return self.link(c.name, f"{c.folder}/{c.name}", "Notes", c.first)

    def org_link(self, index: int) -> str:
        """A body link to an organization, sometimes to its overview heading."""
        o = self.orgs[index]
        return self.link(o.name, f"Organizations/{o.name}", "Overview")

    def due(self, around: date, spread: int = 10) -> date:
        """A date near ``around``, for task due and done stamps."""
        return around + timedelta(days=self.rng.randint(-2, spread))

    def task(self, around: date, who: str | None = None) -> str:
        """An Obsidian Tasks or Dataview action line, open or done."""
        rng = self.rng
        target = who or self.random_link()
        text = f"{rng.choice(TASK_ACTIONS)} {target}"
        due = self.due(around)
        r = rng.random()
        if r < 0.45:
            return f"- [ ] {text} 📅 {due.isoformat()}"
        if r < 0.60:
            return f"- [ ] {text} [due:: {due.isoformat()}]"
        if r < 0.92:
            done = min(due, TODAY) - timedelta(days=rng.randint(0, 2))
            return f"- [x] {text} 📅 {due.isoformat()} ✅ {done.isoformat()}"
        return f"- [ ] {text}"

    def filler_block(self, around: date, rich: bool) -> str:
        """One block of body text: prose, a list, tasks, or (rarely) code."""
        rng = self.rng
        r = rng.random()
        if r < 0.45:
            text = self.words.paragraph(rng)
            if rng.random() < 0.6:
                text += f" See {self.random_link()}."
            if rng.random() < 0.25:
                text += f" #{rng.choice(TAGS)}"
            return text
        if r < 0.70:
            items = [
                f"- {rng.choice(self.words.sentences)} {self.random_link()}"
                for _ in range(rng.randint(2, 6))
            ]
            return "\n".join(items)
        if r < 0.85:
            return "\n".join(self.task(around) for _ in range(rng.randint(1, 4)))
        if r < 0.93 or not rich:
            return f"### {rng.choice(TITLE_FACETS).capitalize()}\n\n{self.words.paragraph(rng)}"
        return self.code_block(around)

    def code_block(self, around: date) -> str:
        """A fenced block; its task-like and link-like lines must not count."""
        rng = self.rng
        r = rng.random()
        if r < 0.4:
            return (
                '```dataview\nTABLE status, last_contact\nFROM "People"\n'
                f'WHERE status = "{rng.choice(CONTACT_STATUSES)}"\nSORT last_contact DESC\n```'
            )
        if r < 0.75:
            return (
                '```python\nimport csv\n\nwith open("contacts.csv") as f:\n'
                '    for row in csv.DictReader(f):\n        print(row["name"])\n```'
            )
        return (
            "```markdown\n- [ ] Not a real task, just an example 📅 "
            f"{around.isoformat()}\n[[Not a real link]]\n```"
        )

    def fill(self, parts: list[str], target: int, around: date, rich: bool) -> str:
        """Append filler blocks until the body reaches ``target`` characters."""
        size = sum(len(p) + 2 for p in parts)
        while size < target:
            block = self.filler_block(around, rich)
            parts.append(block)
            size += len(block) + 2
        return "\n\n".join(parts) + "\n"

    # ------------------------------------------------------------ the notes

    def contact_note(self, index: int) -> tuple[str, str]:
        """Path and text of one contact note."""
        rng = self.rng
        c = self.contacts[index]
        org = self.orgs[c.org]
        fm: list[str] = []
        if rng.random() < 0.3:
            fm.append("type: contact")
        if rng.random() < 0.85:
            fm.append(f"name: {yaml_scalar(c.name)}")
        if rng.random() < 0.15:
            alias = NICKNAMES.get(c.first, f"{c.first[0]}. {c.last}")
            if rng.random() < 0.5:
                fm.append(f"aliases:\n  - {yaml_scalar(alias)}")
            else:
                fm.append(f"aliases: [{yaml_scalar(alias)}]")
        fm.append(f"organization: {quoted_link(org.name)}")
        fm.append(f"role: {yaml_scalar(rng.choice(ROLES))}")
        fm.append(f"industry: {yaml_scalar(org.industry)}")
        fm.append(f"location: {yaml_scalar(rng.choice((org.location, rng.choice(CITIES))))}")
        slug = ascii_slug(f"{c.first} {c.last}")
        domain = org.domain if rng.random() < 0.8 else "gmail.com"
        fm.append(f"email: {slug}@{domain}")
        r = rng.random()
        if r < 0.45:
            fm.append(f'phone: "+1 {rng.randint(201, 989)}-555-{rng.randint(100, 199):04d}"')
        elif r < 0.60:
            fm.append(f"phone: ({rng.randint(201, 989)}) 555-{rng.randint(100, 199):04d}")
        elif r < 0.63:
            # Typed by hand, unquoted: YAML 1.1 reads this as an octal number.
            fm.append(f"phone: 06{rng.randint(0, 0o7777777):08o}")
        if rng.random() < 0.7:
            fm.append(f"linkedin: https://www.linkedin.com/in/{ascii_slug(c.name, '-')}")
        fm.append(f"warmth: {c.warmth}")
        fm.append(f"source: {yaml_scalar(c.source)}")
        if len(c.referrers) == 1 and rng.random() < 0.8:
            fm.append(f"referred_by: {quoted_link(self.contacts[c.referrers[0]].name)}")
        elif c.referrers:
            items = "".join(f"\n  - {quoted_link(self.contacts[r].name)}" for r in c.referrers)
            fm.append(f"referred_by:{items}")
        elif rng.random() < 0.1:
            fm.append("referred_by: []")
        fm.append(f"status: {c.status}")
        if c.contacted_on:
            fm.append(f"contacted_on: {c.contacted_on.isoformat()}")
        if c.replied_on:
            fm.append(f"replied_on: {c.replied_on.isoformat()}")
        if c.last_contact:
            fm.append(f"last_contact: {c.last_contact.isoformat()}")
        if c.status in MET_STATUSES and rng.random() < 0.8:
            fm.append(f"keep_in_touch: {rng.choice(('90d', '8w', '3m', '3m', 'no'))}")
            if c.last_contact and rng.random() < 0.08:
                nxt = c.last_contact + timedelta(days=rng.randint(20, 120))
                fm.append(f"next_contact: {nxt.isoformat()}")
        fm.append(f"id: {c.id}")
        if rng.random() < 0.3:
            fm.append("tags: [person, networking]")

        around = c.last_contact or TODAY
        parts = [f"# {c.name}", "## Background", self.words.paragraph(rng, 1, 4)]
        if c.referrers:
            names = " and ".join(self.contact_link(r) for r in c.referrers)
            parts.append(f"Introduced by {names}; works at {self.org_link(c.org)}.")
        parts.append("## Notes")
        if c.contacted_on:
            parts.append(f"- {c.contacted_on.isoformat()}: sent the request email.")
        for _ in range(rng.randint(0, 3)):
            parts.append(self.task(around, self.contact_link(index)))
        body = self.fill(parts, self.body_target(large=False), around, rich=False)
        return f"{c.folder}/{c.name}.md", self.frame(fm, body)

    def org_note(self, index: int) -> tuple[str, str]:
        """Path and text of one organization note."""
        rng = self.rng
        o = self.orgs[index]
        fm = []
        if rng.random() < 0.3:
            fm.append("type: organization")
        fm.append(f"name: {yaml_scalar(o.name)}")
        if rng.random() < 0.2:
            acronym = "".join(w[0] for w in o.name.split())
            fm.append(f"aliases: [{yaml_scalar(acronym)}]")
        fm.append(f"industry: {yaml_scalar(o.industry)}")
        fm.append(f"website: https://www.{o.domain}")
        fm.append(f"location: {yaml_scalar(o.location)}")
        fm.append(f'size: "{rng.choice(ORG_SIZES)}"')
        fm.append(f"id: {o.id}")
        parts = [f"# {o.name}", "## Overview", self.words.paragraph(rng, 2, 5)]
        if o.people:
            parts.append("## People")
            shown = o.people[:25]
            parts.append("\n".join(f"- {self.contact_link(p)}" for p in shown))
        parts.append("## Open roles")
        parts.append(f"- {rng.choice(ROLES)} ({rng.choice(CITIES)})")
        body = self.fill(parts, self.body_target(large=False), TODAY, rich=False)
        return f"Organizations/{o.name}.md", self.frame(fm, body)

    def interview_note(self, index: int) -> tuple[str, str]:
        """Path and text of one interview note: prep, questions, notes, next steps."""
        rng = self.rng
        iv = self.interviews[index]
        c = self.contacts[iv.contact]
        org = self.orgs[c.org]
        fm: list[str] = []
        if rng.random() < 0.3:
            fm.append("type: interview")
        fm.append(f"contact: {quoted_link(c.name)}")
        if rng.random() < 0.6:
            fm.append(f"organization: {quoted_link(org.name)}")
        stamp = iv.when.strftime("%Y-%m-%dT%H:%M" if rng.random() < 0.5 else "%Y-%m-%d %H:%M")
        fm.append(f'date: "{stamp}"' if rng.random() < 0.2 else f"date: {stamp}")
        if rng.random() < 0.85:
            fm.append(f"duration: {rng.choice((20, 30, 30, 30, 45, 60))}")
        fmt = rng.choice(("video", "video", "phone", "in-person"))
        fm.append(f"format: {fmt}")
        if fmt == "video":
            code = ascii_slug(c.name, "-")[:12]
            fm.append(f"location: https://meet.example.com/{code}-{rng.randint(100, 999)}")
        elif fmt == "in-person":
            fm.append(f"location: {yaml_scalar(org.location)}")
        fm.append(f"status: {iv.status}")
        day = iv.when.date()
        if iv.status == "done" and rng.random() < 0.7:
            sent = min(TODAY, day + timedelta(days=rng.choice((0, 0, 1, 1, 2))))
            fm.append(f"thank_you_sent: {sent.isoformat()}")
        referrals = c.referred[:3] if iv.status == "done" else []
        if referrals:
            items = "".join(f"\n  - {quoted_link(self.contacts[r].name)}" for r in referrals)
            fm.append(f"referrals:{items}")
        elif rng.random() < 0.5:
            fm.append("referrals: []")
        fm.append(f"id: {self.new_id('i')}")

        parts = [f"# Interview with {self.contact_link(iv.contact)}", "## Research"]
        parts.append(
            f"- Organization: {self.org_link(c.org)}\n"
            f"- Industry: {org.industry}\n- {self.words.paragraph(rng, 1, 2)}"
        )
        parts.append("## Questions")
        questions = []
        for category in rng.sample(list(QUESTION_BANK), k=5):
            questions.extend(rng.sample(QUESTION_BANK[category], k=2))
        questions.extend(CLOSING_QUESTIONS)
        parts.append("\n".join(f"{n}. {q}" for n, q in enumerate(questions, 1)))
        parts.append("## Notes")
        parts.append(self.words.paragraph(rng))
        if referrals:
            names = ", ".join(self.contact_link(r) for r in referrals)
            parts.append(f"Suggested I talk to {names}.")
        parts.append("## Evaluation")
        parts.append(self.words.paragraph(rng, 1, 3))
        parts.append("## Next steps")
        parts.append(self.task(day + timedelta(days=1), self.contact_link(iv.contact)))
        body = self.fill(parts, self.body_target(large=False), day, rich=False)
        return f"Interviews/{iv.stem}.md", self.frame(fm, body)

    def daily_note(self, index: int) -> tuple[str, str]:
        """Path and text of one daily note: a log of the day and its tasks."""
        rng = self.rng
        day = self.daily_dates[index]
        fm = []
        if rng.random() < 0.6:
            fm.append(f"date: {day.isoformat()}")
            fm.append("tags: [daily]")
        parts = [f"# {WEEKDAY_NAMES[day.weekday()]}, {day.day} {day:%B %Y}", "## Log"]
        log = []
        for _ in range(rng.randint(1, 5)):
            who = rng.randrange(len(self.contacts)) if self.contacts else None
            mention = self.contact_link(who) if who is not None else self.random_link()
            log.append(
                f"- {rng.choice(('Coffee with', 'Call with', 'Emailed', 'Met'))} "
                f"{mention}: {rng.choice(self.words.sentences)}"
            )
        parts.append("\n".join(log))
        parts.append("## Tasks")
        parts.append("\n".join(self.task(day) for _ in range(rng.randint(1, 5))))
        if rng.random() < 0.1:
            parts.append(f"![[{rng.choice(self.link_pool)[0]}]]")
        body = self.fill(parts, self.body_target(large=True), day, rich=True)
        return f"Daily/{day.year}/{day.isoformat()}.md", self.frame(fm, body)

    def ordinary_note(self, index: int) -> tuple[str, str]:
        """Path and text of one ordinary note, the bulk of any real vault."""
        rng = self.rng
        folder, title = self.notes[index]
        fm = []
        if rng.random() < 0.7:
            tags = rng.sample(TAGS, k=rng.randint(1, 3))
            created = TODAY - timedelta(days=rng.randint(0, 1500))
            fm.append(f"tags: [{', '.join(tags)}]")
            fm.append(f"created: {created.isoformat()}")
            if rng.random() < 0.1:
                fm.append(f"aliases: [{yaml_scalar(title.lower())}]")
        around = TODAY - timedelta(days=rng.randint(0, 400))
        parts = [f"# {title}", "## Summary", self.words.paragraph(rng)]
        if rng.random() < 0.15:
            parts.append(self.code_block(around))
        body = self.fill(parts, self.body_target(large=True), around, rich=True)
        return f"{folder}/{title}.md", self.frame(fm, body)

    def frame(self, fm: list[str], body: str) -> str:
        """Join front-matter and body; a note without keys has no front-matter."""
        if not fm:
            return body
        return "---\n" + "\n".join(fm) + "\n---\n" + body

    # --------------------------------------------------------------- output

    def write(self, root: Path, rel: str, text: str) -> None:
        """Write one note; a few, on request, the way Windows editors save them."""
        folder = rel.rpartition("/")[0]
        if folder not in self.made_dirs:
            (root / folder).mkdir(parents=True, exist_ok=True)
            self.made_dirs.add(folder)
        if self.windows_share and self.rng.random() < self.windows_share:
            data = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
        else:
            data = text.encode("utf-8")
        # os.open/os.write: fewer system calls than Path.write_bytes, which
        # matters when file creation, not Python, is the bottleneck.
        fd = os.open(root / rel, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        self.bytes_written += len(data)
        self.files_written += 1

    def generate(self, root: Path) -> None:
        """Plan everything, then write every note, the config and ``.obsidian/``."""
        self.plan_orgs()
        self.plan_contacts()
        self.plan_interviews()
        self.plan_daily()
        self.plan_notes()
        self.plan_links()
        root.mkdir(parents=True, exist_ok=True)
        (root / ".obsidian").mkdir(exist_ok=True)
        config = (
            f"# Benchmark vault: generate_vault.py --notes {self.total} --seed {self.seed}\n"
            'timezone = "America/New_York"\n'
        )
        (root / ".vaultkit.toml").write_text(config, encoding="utf-8")
        makers: Sequence[tuple[int, Callable[[int], tuple[str, str]]]] = (
            (len(self.orgs), self.org_note),
            (len(self.contacts), self.contact_note),
            (len(self.interviews), self.interview_note),
            (len(self.daily_dates), self.daily_note),
            (len(self.notes), self.ordinary_note),
        )
        for count, make in makers:
            for index in range(count):
                self.write(root, *make(index))


def generate(out_dir: Path, notes: int, seed: int = 1, windows_share: float = 0.0) -> Plan:
    """Write a vault of ``notes`` notes into ``out_dir``; the library entry point.

    ``bench_list.py --generate`` imports this rather than shelling out, so a
    benchmark run pays for one Python start-up, not two.
    """
    generator = VaultGenerator(notes, seed, windows_share)
    generator.generate(out_dir)
    return generator.plan


def folder_is_empty(path: Path) -> bool:
    """True when ``path`` does not exist or holds nothing at all."""
    return not path.exists() or next(path.iterdir(), None) is None


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(
        description="Generate a deterministic, realistic vaultkit vault for benchmarks.",
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="folder to write into")
    parser.add_argument("--notes", type=int, default=10_000, help="number of notes (10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty folder (overwrites notes of the same name, deletes nothing)",
    )
    parser.add_argument(
        "--windows",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of notes saved with a BOM and CRLF line ends, 0-1 (0)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out_dir
    if args.notes < 1:
        parser.error("--notes must be at least 1")
    if not 0.0 <= args.windows <= 1.0:
        parser.error("--windows must be between 0 and 1")
    if out.exists() and not out.is_dir():
        print(f"error: {out} exists and is not a folder", file=sys.stderr)
        return 2
    if not args.force and not folder_is_empty(out):
        print(f"error: {out} is not empty; pass --force to write into it", file=sys.stderr)
        return 2
    started = time.perf_counter()
    generator = VaultGenerator(args.notes, args.seed, args.windows)
    generator.generate(out)
    elapsed = time.perf_counter() - started
    p = generator.plan
    print(
        f"wrote {generator.files_written} notes ({p.contacts} contacts, {p.orgs} organizations, "
        f"{p.interviews} interviews, {p.daily} daily, {p.notes} other) to {out}: "
        f"{generator.bytes_written / 1e6:.1f} MB in {elapsed:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
