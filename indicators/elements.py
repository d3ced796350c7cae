"""The data elements the app ships with (migrations 0002–0004 hold a frozen copy).

``ensure_default_elements`` recreates any that are missing, e.g. after a test
database was flushed between transactional tests; it never changes elements
the ministry has edited in the admin.
"""

from .models import DataElement

DEFAULT_ELEMENTS = [
    ("elb", "Erwerbsfähige Leistungsberechtigte (eLb)", "eLb", "persons", True),
    ("integrationen", "Integrationen", "Integrationen", "count", True),
    ("lzb", "Langzeitleistungsbeziehende (LZB)", "LZB", "persons", True),
    (
        "lzb_integrationen",
        "Integrationen von Langzeitleistungsbeziehenden",
        "Integrationen LZB",
        "count",
        True,
    ),
    ("llu_eur", "Leistungen zum Lebensunterhalt", "Lebensunterhalt (€)", "eur", False),
    (
        "luh_eur",
        "Leistungen für Unterkunft und Heizung",
        "Unterkunft (€)",
        "eur",
        False,
    ),
    ("bg", "Bedarfsgemeinschaften", "BG", "count", False),
    ("arbeitslose", "Arbeitslose", "Arbeitslose", "persons", True),
    (
        "arbeitslose_u25",
        "Arbeitslose unter 25 Jahren",
        "Arbeitslose U25",
        "persons",
        True,
    ),
    (
        "erwerbspersonen",
        "Zivile Erwerbspersonen (Bezugsgröße der Arbeitslosenquote)",
        "Erwerbspersonen",
        "persons",
        False,
    ),
]


def ensure_default_elements():
    """{code: DataElement} with every default element present."""
    existing = {element.code: element for element in DataElement.objects.all()}
    for position, (code, name, short, unit, split) in enumerate(DEFAULT_ELEMENTS):
        if code not in existing:
            existing[code] = DataElement.objects.create(
                code=code,
                name=name,
                short_name=short,
                unit=unit,
                split_by_sex=split,
                position=position * 10,
            )
    return existing
