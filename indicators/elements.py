"""The data elements the app ships with (the migration 0002 holds a frozen copy).

``ensure_default_elements`` recreates any that are missing, e.g. after a test
database was flushed between transactional tests; it never changes elements
the ministry has edited in the admin.
"""

from .models import DataElement

DEFAULT_ELEMENTS = [
    ("elb", "Erwerbsfähige Leistungsberechtigte (eLb)", "persons", True),
    ("integrationen", "Integrationen", "count", True),
    ("lzb", "Langzeitleistungsbeziehende (LZB)", "persons", True),
    (
        "lzb_integrationen",
        "Integrationen von Langzeitleistungsbeziehenden",
        "count",
        True,
    ),
    ("llu_eur", "Leistungen zum Lebensunterhalt", "eur", False),
    ("luh_eur", "Leistungen für Unterkunft und Heizung", "eur", False),
    ("bg", "Bedarfsgemeinschaften", "count", False),
    ("arbeitslose", "Arbeitslose", "persons", True),
    ("arbeitslose_u25", "Arbeitslose unter 25 Jahren", "persons", True),
]


def ensure_default_elements():
    """{code: DataElement} with every default element present."""
    existing = {element.code: element for element in DataElement.objects.all()}
    for position, (code, name, unit, split) in enumerate(DEFAULT_ELEMENTS):
        if code not in existing:
            existing[code] = DataElement.objects.create(
                code=code,
                name=name,
                unit=unit,
                split_by_sex=split,
                position=position * 10,
            )
    return existing
