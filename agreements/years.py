"""Years in texts: moving a literal year on to a placeholder, where that is safe.

An agreement of 2023 says "2023 wird für die Jobcenter erneut ein
anspruchsvolles Jahr"; next year's copy must not. The print fills ``{jahr}``
and ``{vorjahr}`` in every text, so the rollover writes them instead of the
literal years. Not every year may move: "seit 2023" stays 2023 for ever,
"vom Dezember 2013" names a baseline, "31.12.2015" a deadline. Pure
functions; what they cannot move, they report.
"""

import re
from dataclasses import dataclass

_YEAR = re.compile(r"(?<![\w§])((?:19|20)\d\d)(?![\w])")
_SENTENCES = re.compile(r"((?<=[.!?])\s+|\n+)")
# German words as the texts are written (not user interface strings).
_MONTHS = {
    "januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
    "september", "oktober", "november", "dezember",
}  # fmt: skip
# Words that make a year a fixed point in time ("seit 2023", "bis Ende 2024",
# "vom Dezember 2013"): moving it on would change what the text says.
_FIXED_BEFORE = {"seit", "bis", "ab", "von", "vom", "vor", "nach", "zwischen", "stand"}
_SKIPPED_BEFORE = {"ende", "anfang", "mitte", "jahr", "jahres", "jahresende", "zum"}
_UNITS_AFTER = re.compile(r"^\s*(?:%|prozent|personen|euro|€)", re.IGNORECASE)


@dataclass(frozen=True)
class MovedText:
    text: str
    unresolved: tuple = ()  # sentences whose years could not be moved
    moved: int = 0  # how many years became placeholders


def _word_before(text, start):
    """The word before ``start``, skipping month names and "Ende", "Jahr" …"""
    words = re.findall(r"[\wäöüÄÖÜß]+", text[:start])
    while words and words[-1].lower() in _MONTHS | _SKIPPED_BEFORE:
        words.pop()
    return words[-1].lower() if words else ""


def _movable(sentence, match, year):
    """Whether the year at ``match`` is this or last year, free to move on."""
    start, end = match.span(1)
    if int(match[1]) not in (year, year - 1):
        return False
    before, after = sentence[:start], sentence[end:]
    if re.search(r"\d[./-]$", before) or re.match(r"^[./-]\d", after):
        return False  # a date (31.12.2015) or a range (2023/2024, 2014-2020)
    if _UNITS_AFTER.match(after):
        return False  # a number, not a year: "2014 Personen"
    return _word_before(sentence, start) not in _FIXED_BEFORE


def _move_sentence(sentence, year):
    matches = [
        match
        for match in _YEAR.finditer(sentence)
        if not _UNITS_AFTER.match(sentence[match.end() :])
    ]
    if not matches:
        return sentence, False, 0
    if not all(_movable(sentence, match, year) for match in matches):
        earlier = all(int(match[1]) < year - 1 for match in matches)
        return sentence, not earlier, 0  # years long past stay as history
    names = {year: "{jahr}", year - 1: "{vorjahr}"}
    moved = _YEAR.sub(lambda m: names.get(int(m[1]), m[0]), sentence)
    return moved, False, len(matches)


def move_years(text, year):
    """``text`` of an agreement of ``year`` with its years as placeholders.

    Works sentence by sentence: a sentence is moved only if every year in it
    is ``year`` or ``year − 1`` and none is a date, part of a range or a
    fixed point in time; otherwise it is left as it is and, unless all its
    years lie further back, reported in ``unresolved``.
    """
    parts = _SENTENCES.split(text or "")
    unresolved, moved = [], 0
    for index in range(0, len(parts), 2):
        parts[index], flagged, count = _move_sentence(parts[index], year)
        moved += count
        if flagged:
            unresolved.append(parts[index].strip())
    return MovedText("".join(parts), tuple(unresolved), moved)


def unmovable_years(text, year):
    """Sentences of a text printed as typed that name this or last year."""
    return tuple(
        sentence.strip()
        for sentence in _SENTENCES.split(text or "")[::2]
        if any(
            int(match[1]) in (year, year - 1)
            and not _UNITS_AFTER.match(sentence[match.end() :])
            for match in _YEAR.finditer(sentence)
        )
    )
