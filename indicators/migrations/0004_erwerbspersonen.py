"""The civilian labour force, the denominator of the SGB II unemployment rate."""

from django.db import migrations

CODE = "erwerbspersonen"


def create_element(apps, schema_editor):
    db = schema_editor.connection.alias
    DataElement = apps.get_model("indicators", "DataElement")
    DataElement.objects.using(db).get_or_create(
        code=CODE,
        defaults={
            "name": "Zivile Erwerbspersonen (Bezugsgröße der Arbeitslosenquote)",
            "short_name": "Erwerbspersonen",
            "unit": "persons",
            "split_by_sex": False,
            "position": 90,
        },
    )


def delete_element(apps, schema_editor):
    db = schema_editor.connection.alias
    apps.get_model("indicators", "DataElement").objects.using(db).filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_element_short_name")]

    operations = [migrations.RunPython(create_element, delete_element)]
