"""The state's focus areas move from each agreement to its ministry and year (2/3).

Nothing is lost: every agreement's focus areas go to the ministry and year
of the agreement. Where several agreements of the same ministry and year
held the same area (same title and text) it is kept once; areas that only
some of them held are kept too, after the others (the union, in order).
The history of each area follows it. The reverse gives every agreement of
the ministry and year a copy of the year's areas; areas of a year without
any agreement cannot go back and are dropped then.
"""

from django.db import migrations


def to_ministry_and_year(apps, schema_editor):
    db = schema_editor.connection.alias
    FocusArea = apps.get_model("agreements", "FocusArea")
    Agreement = apps.get_model("agreements", "Agreement")
    agreements = Agreement.objects.using(db).select_related("provider").order_by(
        "year", "provider__supervisor_id", "-status", "version", "pk"
    )
    seen = {}  # (ministry, year) → {(title, text)}
    for agreement in agreements:
        key = (agreement.provider.supervisor_id, agreement.year)
        known = seen.setdefault(key, set())
        for area in FocusArea.objects.using(db).filter(agreement=agreement).order_by(
            "position", "pk"
        ):
            content = (area.title, area.text)
            if content in known:
                area.delete()
                continue
            known.add(content)
            area.ministry_id, area.year = key
            area.position = len(known) - 1
            area.save(update_fields=["ministry", "year", "position"])
    # The history follows: each record goes to its agreement's ministry and
    # year (from the agreement's own history, so deleted agreements count).
    HistoricalFocusArea = apps.get_model("agreements", "HistoricalFocusArea")
    HistoricalAgreement = apps.get_model("agreements", "HistoricalAgreement")
    Organisation = apps.get_model("accounts", "Organisation")
    supervisors = dict(Organisation.objects.using(db).values_list("pk", "supervisor_id"))
    places = {
        pk: (supervisors.get(provider_id), year)
        for pk, provider_id, year in HistoricalAgreement.objects.using(db).values_list(
            "id", "provider_id", "year"
        )
    }
    for record in HistoricalFocusArea.objects.using(db).all():
        ministry_id, year = places.get(record.agreement_id, (None, None))
        if year is None:
            record.delete()  # history of an agreement that left no trace
            continue
        record.ministry_id, record.year = ministry_id, year
        record.save(update_fields=["ministry", "year"])


def to_agreements(apps, schema_editor):
    db = schema_editor.connection.alias
    FocusArea = apps.get_model("agreements", "FocusArea")
    Agreement = apps.get_model("agreements", "Agreement")
    for area in FocusArea.objects.using(db).order_by("pk"):
        agreements = list(
            Agreement.objects.using(db).filter(
                provider__supervisor_id=area.ministry_id, year=area.year
            ).order_by("pk")
        )
        if not agreements:
            area.delete()
            continue
        area.agreement = agreements[0]
        area.save(update_fields=["agreement"])
        for agreement in agreements[1:]:
            FocusArea.objects.using(db).create(
                agreement=agreement,
                ministry_id=area.ministry_id,
                year=area.year,
                position=area.position,
                title=area.title,
                text=area.text,
            )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0005_rollover_focus_areas")]

    operations = [migrations.RunPython(to_ministry_and_year, to_agreements)]
