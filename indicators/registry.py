"""The indicators (Kennzahlen): one record each, consulted by everyone.

An indicator is a quantity measured per provider and year to date: a quota
such as K2, a sum such as the number of integrations, an average stock such
as the long-term recipients behind K3. Its record says everything the rest of
the app needs to know about it — name, short name, the phrase a sentence
uses, the unit of its level, whether its change is in per cent or in
percentage points, how it is computed (its measure), which period its level
describes, and how the Land's value and the Land target are formed — so that
forms, progress, overview, Land totals, PDF and exports never decide these
things themselves and never test an indicator's code.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from zielsteuerung.numbers import format_decimal

from . import measures as m


class Unit(models.TextChoices):
    PERCENT = "percent", _("Prozent (%)")
    PERCENTAGE_POINTS = "points", _("Prozentpunkte")
    PERSONS = "persons", _("Personen")
    COUNT = "count", _("Anzahl")
    EUR = "eur", _("Euro")


# Units a local target (one without an indicator) may be written in.
LOCAL_UNITS = [Unit.PERSONS, Unit.COUNT, Unit.PERCENT, Unit.EUR]

_SYMBOLS = {
    Unit.PERCENT: "%",
    Unit.PERCENTAGE_POINTS: _("Prozentpunkte"),
    Unit.PERSONS: "",
    Unit.COUNT: "",
    Unit.EUR: "€",
}
_PLACES = {
    Unit.PERCENT: 1,
    Unit.PERCENTAGE_POINTS: 1,
    Unit.PERSONS: 0,
    Unit.COUNT: 0,
    Unit.EUR: 0,
}


class Aspect(StrEnum):
    """What a target looks at: the level, or its change."""

    LEVEL = "level"
    CHANGE = "change"


class Period(StrEnum):
    """Which period the year-to-date level describes at the end of a year."""

    DECEMBER = "december"  # a quota as of December: "im Dezember 2014"
    AVERAGE = "average"  # "im Jahresdurchschnitt 2014"
    TOTAL = "total"  # "im Jahr 2014"


class LandRule(StrEnum):
    """How the Land target follows from the providers' targets."""

    WEIGHTED = "weighted"  # quotas: Σ target × weight ÷ Σ weight
    ADDITIVE = "additive"  # counts and average stocks add up
    NONE = "none"  # not aggregable (e.g. a gap between two quotas)


def symbol(unit):
    """``%``, ``Prozentpunkte``, ``€``; empty for persons and counts."""
    return str(_SYMBOLS.get(unit, ""))


def default_places(unit):
    return _PLACES.get(unit, 0)


def format_value(value, unit, places=None, *, sign=False):
    """``25,4 %``, ``+0,4 Prozentpunkte``, ``3.489``, ``1.234 €``; '' for None.

    ``places`` None keeps the digits as written (for target values).
    """
    if value is None:
        return ""
    text = format_decimal(value, places, sign=sign)
    unit_symbol = symbol(unit)
    return f"{text} {unit_symbol}" if unit_symbol else text


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    short_name: str
    subject: str  # nominative phrase with article, as a sentence needs it
    unit: str  # the unit of the level
    measure: m.Measure
    period: Period
    land_rule: LandRule
    change_in_points: bool = False

    def unit_for(self, aspect):
        """The unit of the level, or of its change (per cent or points)."""
        if aspect == Aspect.LEVEL:
            return self.unit
        return Unit.PERCENTAGE_POINTS if self.change_in_points else Unit.PERCENT

    def places_for(self, aspect):
        return default_places(self.unit_for(aspect))

    def format(self, value, aspect, places=None):
        """A value of this indicator as ``aspect``, in German with its unit."""
        if places is None:
            places = self.places_for(aspect)
        sign = aspect == Aspect.CHANGE
        return format_value(value, self.unit_for(aspect), places, sign=sign)

    @property
    def elements(self):
        return self.measure.elements


INDICATORS = (
    Indicator(
        "k1",
        _("K1 – Summe der Leistungen zum Lebensunterhalt"),
        _("K1 Lebensunterhalt"),
        _("die Summe der Leistungen zum Lebensunterhalt (K1)"),
        Unit.EUR,
        m.Total(("llu_eur",)),
        Period.TOTAL,
        LandRule.ADDITIVE,
    ),
    Indicator(
        "kdu",
        _("Leistungen für Unterkunft und Heizung"),
        _("Unterkunft und Heizung"),
        _("die Summe der Leistungen für Unterkunft und Heizung"),
        Unit.EUR,
        m.Total(("luh_eur",)),
        Period.TOTAL,
        LandRule.ADDITIVE,
    ),
    Indicator(
        "k2",
        _("K2 – Integrationsquote"),
        _("K2 Integrationsquote"),
        _("die Integrationsquote (K2)"),
        Unit.PERCENT,
        m.Quota(("integrationen", "elb")),
        Period.DECEMBER,
        LandRule.WEIGHTED,
    ),
    Indicator(
        "k2_abstand",
        _("K2 – Abstand der Integrationsquoten von Männern und Frauen"),
        _("K2 Abstand Männer – Frauen"),
        _("der Abstand der Integrationsquoten von Frauen und Männern"),
        Unit.PERCENTAGE_POINTS,
        m.QuotaGap(("integrationen", "elb")),
        Period.DECEMBER,
        LandRule.NONE,
        change_in_points=True,
    ),
    Indicator(
        "integrationen",
        _("Zahl der Integrationen"),
        _("Integrationen"),
        _("die absolute Zahl der Integrationen"),
        Unit.COUNT,
        m.Total(("integrationen",)),
        Period.TOTAL,
        LandRule.ADDITIVE,
    ),
    Indicator(
        "k3",
        _("K3 – Durchschnittlicher Bestand an Langzeitleistungsbeziehenden"),
        _("K3 Ø Langzeitbeziehende"),
        _("der durchschnittliche Bestand an Langzeitleistungsbeziehenden (K3)"),
        Unit.PERSONS,
        m.Average(("lzb",)),
        Period.AVERAGE,
        LandRule.ADDITIVE,
    ),
    Indicator(
        "lzb_integrationen",
        _("Zahl der Integrationen von Langzeitleistungsbeziehenden"),
        _("Integrationen LZB"),
        _("die absolute Zahl der Integrationen von Langzeitleistungsbeziehenden"),
        Unit.COUNT,
        m.Total(("lzb_integrationen",)),
        Period.TOTAL,
        LandRule.ADDITIVE,
    ),
    Indicator(
        "k3e1",
        _("K3E1 – Integrationsquote der Langzeitleistungsbeziehenden"),
        _("K3E1 Quote LZB"),
        _("die Integrationsquote der Langzeitleistungsbeziehenden (K3E1)"),
        Unit.PERCENT,
        m.Quota(("lzb_integrationen", "lzb")),
        Period.DECEMBER,
        LandRule.WEIGHTED,
    ),
    Indicator(
        "lzb_anteil",
        _("Anteil der Langzeitleistungsbeziehenden an allen eLb"),
        _("Anteil LZB"),
        _(
            "der Anteil der Langzeitleistungsbeziehenden an allen "
            "erwerbsfähigen Leistungsberechtigten"
        ),
        Unit.PERCENT,
        m.AverageShare(("lzb", "elb")),
        Period.AVERAGE,
        LandRule.WEIGHTED,
    ),
    Indicator(
        "alq_sgb2",
        _("Arbeitslosenquote im SGB II"),
        _("Arbeitslosenquote SGB II"),
        _("die Arbeitslosenquote im SGB II"),
        Unit.PERCENT,
        m.AverageShare(("arbeitslose", "erwerbspersonen")),
        Period.AVERAGE,
        LandRule.WEIGHTED,
    ),
    Indicator(
        "bg",
        _("Bedarfsgemeinschaften im Jahresdurchschnitt"),
        _("Ø Bedarfsgemeinschaften"),
        _("die Zahl der Bedarfsgemeinschaften"),
        Unit.COUNT,
        m.Average(("bg",)),
        Period.AVERAGE,
        LandRule.ADDITIVE,
    ),
    Indicator(
        "arbeitslose",
        _("Arbeitslose im Jahresdurchschnitt"),
        _("Ø Arbeitslose"),
        _("die Zahl der Arbeitslosen"),
        Unit.PERSONS,
        m.Average(("arbeitslose",)),
        Period.AVERAGE,
        LandRule.ADDITIVE,
    ),
    Indicator(
        "arbeitslose_u25",
        _("Arbeitslose unter 25 Jahren im Jahresdurchschnitt"),
        _("Ø Arbeitslose unter 25"),
        _("die Zahl der Arbeitslosen unter 25 Jahren"),
        Unit.PERSONS,
        m.Average(("arbeitslose_u25",)),
        Period.AVERAGE,
        LandRule.ADDITIVE,
    ),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
ORDER = {indicator.code: index for index, indicator in enumerate(INDICATORS)}


def indicator_choices():
    """Choices for model and form fields (a callable keeps migrations stable)."""
    return [(indicator.code, indicator.name) for indicator in INDICATORS]


def get(code):
    """The indicator with ``code``, or None for an empty or unknown code."""
    return BY_CODE.get(code)
