"""Dates as exports write them: ``15 Mar 2024``, ``15. März 2024``,
``15 de mar. de 2024``, ``2024-03-15``, ``15/03/2024``.

LinkedIn writes "Connected On" in the language of the account, so the same
export format carries English, French, German, Spanish, Portuguese, Italian
or Dutch month names. A numeric date is read only when it can mean one day:
``15/03/2024`` (15 is no month) but not ``03/04/2024`` (March 4 in the US,
April 3 in Europe); guessing would put a wrong date in the vault silently.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# Month names and abbreviations, accents removed, lower case. Where two
# languages share a spelling they mean the same month ("mar", "mai", "set").
_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "janv", "januar", "janner", "enero", "ene",
        "janeiro", "gennaio", "gen", "januari"),
    2: ("february", "feb", "fevrier", "fevr", "fev", "februar", "febrero", "fevereiro",
        "febbraio", "februari"),
    3: ("march", "mar", "mars", "marz", "mrz", "marzo", "marco", "maart", "mrt"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maio", "maggio", "mag", "mei"),
    6: ("june", "jun", "juin", "juni", "junio", "junho", "giugno", "giu"),
    7: ("july", "jul", "juillet", "juil", "juli", "julio", "julho", "luglio", "lug"),
    8: ("august", "aug", "aout", "agosto", "ago", "augustus"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "set",
         "setembro", "settembre"),
    10: ("october", "oct", "octobre", "oktober", "okt", "octubre", "outubro", "out",
         "ottobre", "ott"),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: ("december", "dec", "decembre", "dezember", "dez", "diciembre", "dic", "dezembro",
         "dicembre"),
}  # fmt: skip
MONTHS: dict[str, int] = {word: month for month, words in _MONTH_WORDS.items() for word in words}

# Words between the parts of a date: "15 de marzo de 2024", "le 15 mars 2024".
_FILLER = {"de", "del", "le", "the", "of", "em"}
_ISO = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[T ][0-9:.+\-Z]*)?")
_NUMERIC = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})")


def _plain(text: str) -> str:
    """Lower case without accents: ``März`` → ``marz``, ``déc.`` → ``dec.``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def read_date(text: str) -> dt.date | None:
    """The day ``text`` names, or None when it names none for certain."""
    text = text.strip()
    if match := _ISO.fullmatch(text):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC.fullmatch(text):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if first > 12 >= second or first == second:
            return _date(year, second, first)
        if second > 12 >= first:
            return _date(year, first, second)
        return None
    words = [w for w in re.split(r"[\s.,]+", _plain(text)) if w and w not in _FILLER]
    if len(words) != 3:
        return None
    months = [MONTHS[w] for w in words if w in MONTHS]
    numbers = [w for w in words if w.isascii() and w.isdigit()]
    if len(months) != 1 or len(numbers) != 2:
        return None
    years = [int(n) for n in numbers if len(n) == 4]
    days = [int(n) for n in numbers if len(n) <= 2]
    if len(years) != 1 or len(days) != 1:
        return None
    return _date(years[0], months[0], days[0])


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
