"""The state's focus areas move from each agreement to its ministry and year (3/3).

The agreement column goes; ministry and year become required.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("agreements", "0006_rollover_focus_areas_move")]

    operations = [
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
