"""The sentences a target prints, made from its fields.

One place for a target's wording: the page, the print preview, the PDF and
the archive all take it from here, so a changed target value changes every
sentence that states it. A target's sentence is either generated from its
structured fields, in the style of the agreements ("Das Ziel ist für 2023
erreicht, wenn …"), or written by the users with placeholders such as
``{zielwert}`` that the fields fill. Literal numbers in a target's free text
that contradict its fields are found by ``number_conflicts``.

Pure functions over a target and its agreement's year: no queries.
"""

import hashlib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import registry
from indicators.attainment import rounded
from indicators.registry import Aspect, Period, Unit
from zielsteuerung.numbers import NumberFormatError, format_decimal, parse_decimal

from .models import Comparator, TargetKind

PLACEHOLDERS = {
    "jahr": gettext_lazy("das Jahr der Vereinbarung, z. B. 2024"),
    "vorjahr": gettext_lazy("das Jahr davor, z. B. 2023"),
    "zielwert": gettext_lazy("der Zielwert mit Einheit, z. B. 25,4 % oder −5,2 %"),
    "zielwert_betrag": gettext_lazy("der Zielwert ohne Vorzeichen, z. B. 5,2 %"),
    "ausgangswert": gettext_lazy("der vereinbarte Ausgangswert, z. B. 22,5 %"),
    "ausgangszeitraum": gettext_lazy("sein Zeitraum, z. B. Dezember 2013"),
    "ausgangsdatenstand": gettext_lazy("sein Datenstand, z. B. t-0"),
    "veraenderung": gettext_lazy("die Veränderung, die der Zielwert bedeutet"),
    "veraenderung_betrag": gettext_lazy("dieselbe Veränderung ohne Vorzeichen"),
    "toleranz": gettext_lazy("die Toleranz bei „ungefähr“"),
    "datenstand": gettext_lazy("der Datenstand der Bewertung, z. B. t-0"),
    "kennzahl": gettext_lazy("der Name der Kennzahl"),
    "frist": gettext_lazy("die Frist, z. B. 31.12.2015"),
}
_PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")
_STATUS_TEXT = {"t0": "t-0", "t3": "t-3"}


def unknown_placeholders(text):
    """Placeholder names in ``text`` that no field fills."""
    return sorted(
        {name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS}
    )


def placeholder_help():
    """``{jahr}: das Jahr …`` lines for the form's help text."""
    return [(f"{{{name}}}", text) for name, text in PLACEHOLDERS.items()]


# --- the numbers a target states --------------------------------------------


def _value(target, value, *, sign=False, absolute=False):
    if value is None:
        return ""
    if absolute:
        value = abs(value)
    return registry.format_value(value, target.value_unit, sign=sign)


def change_text(target, *, absolute=False):
    """The change a level target means: stated if given, else computed."""
    change = target.target_change
    if change is None and target.implied_change is not None:
        change = rounded(target.implied_change, 1)
    if change is None:
        return ""
    unit = Unit.PERCENTAGE_POINTS if target.change_in_points else Unit.PERCENT
    if absolute:
        change = abs(change)
    return registry.format_value(change, unit, sign=not absolute)


def placeholder_values(target, year):
    """What each placeholder stands for in ``target`` of an agreement of ``year``."""
    signed = target.aspect == Aspect.CHANGE
    indicator = target.indicator_info
    return {
        "jahr": str(year),
        "vorjahr": str(year - 1),
        "zielwert": _value(target, target.target_value, sign=signed),
        "zielwert_betrag": _value(target, target.target_value, absolute=True),
        "ausgangswert": registry.format_value(
            target.baseline_value, target.baseline_unit
        ),
        "ausgangszeitraum": target.baseline_period,
        "ausgangsdatenstand": _STATUS_TEXT.get(target.baseline_data_status, ""),
        "veraenderung": change_text(target),
        "veraenderung_betrag": change_text(target, absolute=True),
        "toleranz": _value(target, target.tolerance),
        "datenstand": _STATUS_TEXT.get(target.data_status, ""),
        "kennzahl": str(indicator.name) if indicator else "",
        "frist": (
            f"{target.deadline.day}.{target.deadline.month}.{target.deadline.year}"
            if target.deadline
            else ""
        ),
    }


def fill(text, values):
    """``text`` with every known placeholder replaced by its value."""
    return _PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), text or "")


# --- generated sentences ----------------------------------------------------


_LEVEL_COMPARATORS = {
    Comparator.AT_LEAST: gettext_lazy("mindestens"),
    Comparator.AT_MOST: gettext_lazy("höchstens"),
    Comparator.MORE_THAN: gettext_lazy("mehr als"),
    Comparator.LESS_THAN: gettext_lazy("weniger als"),
    Comparator.ABOUT: gettext_lazy("ungefähr"),
    Comparator.UP_TO: gettext_lazy("bis zu"),
}


def _subject(target):
    indicator = target.indicator_info
    if indicator is not None:
        return str(indicator.subject)
    return target.subject.strip() or _("der Wert")


def _period(target, year):
    indicator = target.indicator_info
    period = indicator.period if indicator else Period.TOTAL
    text = {
        Period.DECEMBER: _("im Dezember %(year)s"),
        Period.AVERAGE: _("im Jahresdurchschnitt %(year)s"),
        Period.TOTAL: _("im Jahr %(year)s"),
    }[period] % {"year": year}
    status = _STATUS_TEXT.get(target.data_status)
    return f"{text} ({status})" if status else text


def _tolerance(target):
    if target.comparator != Comparator.ABOUT or target.tolerance is None:
        return ""
    return " " + _("(± %(tolerance)s)") % {
        "tolerance": _value(target, target.tolerance)
    }


def _baseline_reference(target):
    """``dem Ausgangswert für Dezember 2013 (t-0) von 22,5 %``."""
    status = _STATUS_TEXT.get(target.baseline_data_status)
    period = target.baseline_period
    if status:
        period = f"{period} ({status})"
    return _("dem Ausgangswert für %(period)s von %(value)s") % {
        "period": period,
        "value": registry.format_value(target.baseline_value, target.baseline_unit),
    }


def level_sentence(target, year):
    comparator = str(_LEVEL_COMPARATORS[Comparator(target.comparator)])
    sentence = _(
        "Das Ziel ist für %(year)s erreicht, wenn %(subject)s %(period)s "
        "%(comparator)s %(value)s%(tolerance)s beträgt."
    ) % {
        "year": year,
        "subject": _subject(target),
        "period": _period(target, year),
        "comparator": comparator,
        "value": _value(target, target.target_value),
        "tolerance": _tolerance(target),
    }
    if target.baseline_value is None:
        return sentence
    change = target.target_change
    if change is None and target.implied_change is not None:
        change = target.implied_change
    if change is None:
        meaning = _("Ausgangswert: %(value)s (%(period)s).") % {
            "value": registry.format_value(target.baseline_value, target.baseline_unit),
            "period": target.baseline_period,
        }
    else:
        meaning = _("Gegenüber %(reference)s bedeutet das %(movement)s.") % {
            "reference": _baseline_reference(target),
            "movement": _movement_noun(change, change_text(target, absolute=True)),
        }
    return f"{sentence} {meaning}"


def _movement_noun(change, amount):
    if change > 0:
        return _("einen Anstieg um %(amount)s") % {"amount": amount}
    if change < 0:
        return _("einen Rückgang um %(amount)s") % {"amount": amount}
    return _("keine Veränderung")


# (comparator, sign of the target value) → how the figure moves
_MOVES = {
    (Comparator.AT_LEAST, 1): gettext_lazy("um mindestens %(x)s steigt"),
    (Comparator.AT_LEAST, 0): gettext_lazy("mindestens gleich bleibt"),
    (Comparator.AT_LEAST, -1): gettext_lazy("um höchstens %(x)s sinkt"),
    (Comparator.MORE_THAN, 1): gettext_lazy("um mehr als %(x)s steigt"),
    (Comparator.MORE_THAN, 0): gettext_lazy("steigt"),
    (Comparator.MORE_THAN, -1): gettext_lazy("um weniger als %(x)s sinkt"),
    (Comparator.AT_MOST, 1): gettext_lazy("um höchstens %(x)s steigt"),
    (Comparator.AT_MOST, 0): gettext_lazy("nicht steigt"),
    (Comparator.AT_MOST, -1): gettext_lazy("um mindestens %(x)s sinkt"),
    (Comparator.LESS_THAN, 1): gettext_lazy("um weniger als %(x)s steigt"),
    (Comparator.LESS_THAN, 0): gettext_lazy("sinkt"),
    (Comparator.LESS_THAN, -1): gettext_lazy("um mehr als %(x)s sinkt"),
    (Comparator.ABOUT, 1): gettext_lazy("um ungefähr %(x)s steigt"),
    (Comparator.ABOUT, 0): gettext_lazy("ungefähr gleich bleibt"),
    (Comparator.ABOUT, -1): gettext_lazy("um ungefähr %(x)s sinkt"),
}


def change_sentence(target, year):
    value = target.target_value
    sign = (value > 0) - (value < 0)
    move = str(_MOVES[(Comparator(target.comparator), sign)]) % {
        "x": _value(target, value, absolute=True)
    }
    reference = (
        _baseline_reference(target)
        if target.baseline_value is not None
        else _("dem Vorjahr")
    )
    sentence = _(
        "Das Ziel ist für %(year)s erreicht, wenn %(subject)s %(year)s gegenüber "
        "%(reference)s %(move)s%(tolerance)s"
    ) % {
        "year": year,
        "subject": _subject(target),
        "reference": reference,
        "move": move,
        "tolerance": _tolerance(target),
    }
    if sign == 0:
        sentence += " " + _("(Veränderung: %(value)s)") % {
            "value": _value(target, value)
        }
    return sentence + "."


def monitoring_sentence(target):
    indicator = target.indicator_info
    if indicator is None:
        return _("Die Erreichung dieses Ziels wird durch ein Monitoring beobachtet.")
    return _(
        "Die Erreichung dieses Ziels wird anhand der Kennzahl „%(name)s“ durch ein "
        "Monitoring beobachtet; ein Zielwert wird nicht vereinbart."
    ) % {"name": indicator.name}


def generated_sentence(target, year):
    """The sentence the fields make, or '' where only people can word it."""
    if target.kind == TargetKind.MONITORING:
        return monitoring_sentence(target)
    if not target.is_numeric or target.target_value is None or not target.comparator:
        return ""
    if target.kind == TargetKind.CHANGE:
        return change_sentence(target, year)
    return level_sentence(target, year)


# --- the rule in a few words, for progress pages and tables -----------------


def short_rule(target):
    """``mindestens +12,6 % gegenüber dem Vorjahr``, ``höchstens 4.400`` …"""
    if target.kind == TargetKind.MONITORING:
        return _("Beobachtung ohne Zielwert")
    if target.kind == TargetKind.QUALITATIVE:
        if target.deadline:
            return _("Umsetzung bis %(date)s") % {
                "date": placeholder_values(target, target.deadline.year)["frist"]
            }
        return _("Umsetzung im Vereinbarungsjahr")
    if target.target_value is None or not target.comparator:
        return ""
    signed = target.aspect == Aspect.CHANGE
    comparator = _LEVEL_COMPARATORS[Comparator(target.comparator)]
    value = _value(target, target.target_value, sign=signed)
    text = f"{comparator} {value}{_tolerance(target)}"
    if target.kind != TargetKind.CHANGE:
        return text
    if target.baseline_value is None:
        return _("%(rule)s gegenüber dem Vorjahr") % {"rule": text}
    return _("%(rule)s gegenüber %(value)s (%(period)s)") % {
        "rule": text,
        "value": registry.format_value(target.baseline_value, target.baseline_unit),
        "period": target.baseline_period,
    }


# --- the whole text of a target ---------------------------------------------


@dataclass(frozen=True)
class TargetText:
    label: str
    intro: str
    sentence: str
    closing: str
    generated: bool  # whether the sentence was made from the fields


def target_text(target, year):
    """Label, intro, sentence and closing with every placeholder filled."""
    values = placeholder_values(target, year)
    own = target.sentence.strip()
    return TargetText(
        label=fill(target.label, values),
        intro=fill(target.intro, values),
        sentence=fill(own, values) if own else generated_sentence(target, year),
        closing=fill(target.closing, values),
        generated=not own,
    )


# --- literal numbers that contradict the fields -----------------------------

# A number as people write it (3.489, 25,4, −5,2), not part of a word (K2, U25)
# and not a section (§ 16a). The unit behind it decides how it is checked.
_NUMBER = re.compile(
    r"(?<![\w§{.,])(?<!§ )([+\-−]?\d{1,3}(?:\.\d{3})+(?:,\d+)?|[+\-−]?\d+(?:,\d+)?)"
    r"(?![\w.,]\d)(\s*(?:%|Prozentpunkte|Prozent|Pp\.|€|Euro))?"
)
_TIME_WORDS = re.compile(r"^\s*(?:Jahr|Monat|Woche|Tag|Stunde)", re.IGNORECASE)
_PERCENT_UNITS = ("%", "Prozent", "Prozentpunkte", "Pp.")


@dataclass(frozen=True)
class NumberConflict:
    field: str  # the field the number stands in
    text: str  # the number as written
    message: str


def _years(target, year):
    years = {year, year - 1}
    if target.baseline_year:
        years.add(target.baseline_year)
    if target.deadline:
        years.add(target.deadline.year)
    return years


def _stated_numbers(target):
    """The numbers the fields state, as they may be written (absolute values)."""
    change = target.target_change
    if change is None and target.implied_change is not None:
        change = rounded(target.implied_change, 1)
    percent, counts = set(), set()
    for value, unit in (
        (target.target_value, target.value_unit),
        (target.tolerance, target.value_unit),
        (target.baseline_value, target.baseline_unit),
        (change, Unit.PERCENT),
    ):
        if value is None:
            continue
        group = percent if unit in (Unit.PERCENT, Unit.PERCENTAGE_POINTS) else counts
        group.add(abs(value).normalize())
    return percent, counts


def _free_texts(target):
    texts = [
        ("label", target.label),
        ("intro", target.intro),
        ("closing", target.closing),
    ]
    texts.append(("sentence", target.sentence))
    return [(field, _PLACEHOLDER.sub(" ", text or "")) for field, text in texts]


def number_conflicts(target, year):
    """Literal numbers in the free texts of ``target`` that its fields contradict.

    Per cent figures must be one of the target's per cent values; a year must
    be the agreement's year, the year before, the baseline's or the
    deadline's; for targets counted in persons, counts or euros a larger
    number must be the target value or the baseline. Anything else is
    reported: it is either wrong or should be a placeholder — or the users
    confirm it with a reason.
    """
    percent, counts = _stated_numbers(target)
    years = _years(target, year)
    conflicts = []
    for field, text in _free_texts(target):
        for match in _NUMBER.finditer(text):
            conflict = _check(match, text, percent, counts, years, field)
            if conflict:
                conflicts.append(conflict)
    return conflicts


def _check(match, text, percent, counts, years, field):
    written, unit = match[1], (match[2] or "").strip()
    try:
        number = abs(parse_decimal(written.replace("−", "-"))).normalize()
    except NumberFormatError:
        return None
    if unit in _PERCENT_UNITS:
        if number in percent:
            return None
        return NumberConflict(
            field,
            f"{written} {unit}",
            _("%(number)s steht nicht in den Feldern der Zielvorgabe (%(known)s).")
            % {"number": f"{written} {unit}", "known": _known(percent, "%")},
        )
    if _looks_like_year(written) and not unit:
        if int(number) in years:
            return None
        return NumberConflict(
            field,
            written,
            _("Das Jahr %(year)s passt nicht zum Jahr der Vereinbarung.")
            % {"year": written},
        )
    if counts and number >= 10 and not _TIME_WORDS.match(text[match.end() :]):
        if number in counts:
            return None
        return NumberConflict(
            field,
            written,
            _("%(number)s steht nicht in den Feldern der Zielvorgabe (%(known)s).")
            % {"number": written, "known": _known(counts, "")},
        )
    return None


def _looks_like_year(written):
    return re.fullmatch(r"(19|20)\d\d", written) is not None


def _known(numbers, suffix):
    if not numbers:
        return _("dort steht keine solche Zahl")
    shown = ", ".join(
        (format_decimal(n) + (" " + suffix if suffix else "")) for n in sorted(numbers)
    )
    return _("dort stehen: %(numbers)s") % {"numbers": shown}


def conflicts_digest(target, year):
    """A fingerprint of the texts and values a confirmation was given for."""
    parts = [
        str(year),
        target.label,
        target.intro,
        target.sentence,
        target.closing,
        *(
            _plain(getattr(target, name))
            for name in ("target_value", "baseline_value", "target_change", "tolerance")
        ),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _plain(number):
    """``20`` for 20, 20.000 and 2E+1 alike: the stored and the typed value agree."""
    return "" if number is None else f"{number.normalize():f}"


def unconfirmed_conflicts(target, year):
    """The conflicts of ``target`` unless people confirmed exactly this text."""
    conflicts = number_conflicts(target, year)
    if conflicts and target.numbers_confirmed_digest == conflicts_digest(target, year):
        return []
    return conflicts
