"""The indicators (Kennzahlen) a target can refer to.

Each indicator is a quantity measured per provider and period: a quota such
as K2, a sum such as the number of integrations, or an average stock such as
the long-term recipients behind K3. A target then says whether its level,
its relative change against the previous year, or (for gaps) its change in
percentage points is what counts. How each one is computed from the monthly
figures lives in ``calculations.py``.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    PERCENT = "percent", _("Prozent (%)")
    PERCENTAGE_POINTS = "points", _("Prozentpunkte")
    PERSONS = "persons", _("Personen")
    COUNT = "count", _("Anzahl")
    EUR = "eur", _("Euro")


UNIT_SYMBOLS = {
    Unit.PERCENT: "%",
    Unit.PERCENTAGE_POINTS: "Prozentpunkte",
    Unit.PERSONS: "Personen",
    Unit.COUNT: "",
    Unit.EUR: "€",
}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    higher_is_better: bool | None  # None: no judgement (monitoring)

    @property
    def short_name(self):
        """For table headers: ``K2 Integrationsquote``, ``Ø BG``."""
        return SHORT_NAMES.get(self.code, self.name)


INDICATORS = (
    Indicator(
        "k1", _("K1 – Summe der Leistungen zum Lebensunterhalt"), Unit.EUR, False
    ),
    Indicator("k2", _("K2 – Integrationsquote"), Unit.PERCENT, True),
    Indicator(
        "k2_abstand",
        _("K2 – Abstand der Integrationsquoten von Männern und Frauen"),
        Unit.PERCENTAGE_POINTS,
        False,
    ),
    Indicator("integrationen", _("Zahl der Integrationen"), Unit.COUNT, True),
    Indicator(
        "k3",
        _("K3 – Durchschnittlicher Bestand an Langzeitleistungsbeziehenden"),
        Unit.PERSONS,
        False,
    ),
    Indicator(
        "lzb_integrationen",
        _("Zahl der Integrationen von Langzeitleistungsbeziehenden"),
        Unit.COUNT,
        True,
    ),
    Indicator(
        "k3e1",
        _("K3E1 – Integrationsquote der Langzeitleistungsbeziehenden"),
        Unit.PERCENT,
        True,
    ),
    Indicator(
        "bg", _("Durchschnittliche Zahl der Bedarfsgemeinschaften"), Unit.COUNT, False
    ),
    Indicator(
        "arbeitslose", _("Durchschnittliche Zahl der Arbeitslosen"), Unit.PERSONS, False
    ),
    Indicator(
        "arbeitslose_u25",
        _("Durchschnittliche Zahl der Arbeitslosen unter 25 Jahren"),
        Unit.PERSONS,
        False,
    ),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
SHORT_NAMES = {
    "k1": _("K1 Lebensunterhalt"),
    "k2": _("K2 Integrationsquote"),
    "k2_abstand": _("K2 Abstand Männer – Frauen"),
    "integrationen": _("Integrationen"),
    "k3": _("K3 Ø Langzeitbeziehende"),
    "lzb_integrationen": _("Integrationen LZB"),
    "k3e1": _("K3E1 Quote LZB"),
    "bg": _("Ø Bedarfsgemeinschaften"),
    "arbeitslose": _("Ø Arbeitslose"),
    "arbeitslose_u25": _("Ø Arbeitslose unter 25"),
}


def indicator_choices():
    """Choices for model and form fields (a callable keeps migrations stable)."""
    return [(indicator.code, indicator.name) for indicator in INDICATORS]


def get(code):
    """The indicator with ``code``, or None for an empty or unknown code."""
    return BY_CODE.get(code)
