"""The state's focus areas move from each agreement to its ministry and year.

Nothing is lost: every agreement's focus areas go to the ministry and year
of the agreement. Where several agreements of the same ministry and year
held the same area (same title and text) it is kept once; areas that only
some of them held are kept too, after the others (the union, in order).
The history of each area follows it. The reverse gives every agreement of the ministry and year a copy of the
year's areas; areas of a year without any agreement cannot go back and are
dropped then.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def to_ministry_and_year(apps, schema_editor):
    FocusArea = apps.get_model("agreements", "FocusArea")
    Agreement = apps.get_model("agreements", "Agreement")
    agreements = Agreement.objects.select_related("provider").order_by(
        "year", "provider__supervisor_id", "-status", "version", "pk"
    )
    seen = {}  # (ministry, year) → {(title, text)}
    for agreement in agreements:
        key = (agreement.provider.supervisor_id, agreement.year)
        known = seen.setdefault(key, set())
        for area in FocusArea.objects.filter(agreement=agreement).order_by(
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
    supervisors = dict(Organisation.objects.values_list("pk", "supervisor_id"))
    places = {
        pk: (supervisors.get(provider_id), year)
        for pk, provider_id, year in HistoricalAgreement.objects.values_list(
            "id", "provider_id", "year"
        )
    }
    for record in HistoricalFocusArea.objects.all():
        ministry_id, year = places.get(record.agreement_id, (None, None))
        if year is None:
            record.delete()  # history of an agreement that left no trace
            continue
        record.ministry_id, record.year = ministry_id, year
        record.save(update_fields=["ministry", "year"])


def to_agreements(apps, schema_editor):
    FocusArea = apps.get_model("agreements", "FocusArea")
    Agreement = apps.get_model("agreements", "Agreement")
    for area in FocusArea.objects.order_by("pk"):
        agreements = list(
            Agreement.objects.filter(
                provider__supervisor_id=area.ministry_id, year=area.year
            ).order_by("pk")
        )
        if not agreements:
            area.delete()
            continue
        area.agreement = agreements[0]
        area.save(update_fields=["agreement"])
        for agreement in agreements[1:]:
            FocusArea.objects.create(
                agreement=agreement,
                ministry_id=area.ministry_id,
                year=area.year,
                position=area.position,
                title=area.title,
                text=area.text,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_organisation_signatory"),
        ("agreements", "0004_one_truth_per_target"),
    ]

    operations = [
        migrations.AlterField(
            model_name="focusarea",
            name="agreement",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="focus_areas",
                to="agreements.agreement",
            ),
        ),
        migrations.AddField(
            model_name="focusarea",
            name="ministry",
            field=models.ForeignKey(
                null=True,
                limit_choices_to={"kind": "ministry"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="focus_areas",
                to="accounts.organisation",
                verbose_name="Ministerium",
            ),
        ),
        migrations.AddField(
            model_name="focusarea",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="Jahr"),
        ),
        migrations.AddField(
            model_name="historicalfocusarea",
            name="ministry",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                limit_choices_to={"kind": "ministry"},
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.organisation",
                verbose_name="Ministerium",
            ),
        ),
        migrations.AddField(
            model_name="historicalfocusarea",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="Jahr"),
        ),
        migrations.RunPython(to_ministry_and_year, to_agreements),
        migrations.RemoveField(model_name="focusarea", name="agreement"),
        migrations.RemoveField(model_name="historicalfocusarea", name="agreement"),
        migrations.AlterField(
            model_name="focusarea",
            name="ministry",
            field=models.ForeignKey(
                limit_choices_to={"kind": "ministry"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="focus_areas",
                to="accounts.organisation",
                verbose_name="Ministerium",
            ),
        ),
        migrations.AlterField(
            model_name="focusarea",
            name="year",
            field=models.PositiveSmallIntegerField(
                validators=[
                    django.core.validators.MinValueValidator(2005),
                    django.core.validators.MaxValueValidator(2100),
                ],
                verbose_name="Jahr",
            ),
        ),
        migrations.AlterField(
            model_name="historicalfocusarea",
            name="year",
            field=models.PositiveSmallIntegerField(
                validators=[
                    django.core.validators.MinValueValidator(2005),
                    django.core.validators.MaxValueValidator(2100),
                ],
                verbose_name="Jahr",
            ),
        ),
        migrations.AlterModelOptions(
            name="focusarea",
            options={
                "ordering": ["ministry", "year", "position", "pk"],
                "verbose_name": "Schwerpunkt",
                "verbose_name_plural": "Schwerpunkte",
            },
        ),
        migrations.AddConstraint(
            model_name="focusarea",
            constraint=models.CheckConstraint(
                condition=models.Q(("year__gte", 2005), ("year__lte", 2100)),
                name="focus_area_year_in_range",
            ),
        ),
    ]
