"""The state's focus areas move from each agreement to its ministry and year (1/3).

The schema first: the new columns, nullable, beside the agreement. The data
moves in ``0006`` and the agreement column goes in ``0007``: each step is its
own transaction, as PostgreSQL will not alter a table whose rows the same
transaction changed (pending foreign key checks).
"""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
