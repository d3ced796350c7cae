"""The nine data elements of the SGB II statistics the app starts with."""

from django.db import migrations

ELEMENTS = [
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


def create_elements(apps, schema_editor):
    db = schema_editor.connection.alias
    DataElement = apps.get_model("indicators", "DataElement")
    for position, (code, name, unit, split) in enumerate(ELEMENTS):
        DataElement.objects.using(db).update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "split_by_sex": split,
                "position": position * 10,
            },
        )


def delete_elements(apps, schema_editor):
    db = schema_editor.connection.alias
    DataElement = apps.get_model("indicators", "DataElement")
    DataElement.objects.using(db).filter(code__in=[code for code, *_ in ELEMENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(create_elements, delete_elements)]
