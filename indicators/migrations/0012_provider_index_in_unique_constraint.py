import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_merge_rollover'),
        ('indicators', '0011_commit_count'),
    ]

    # The provider's own index goes (the unique constraint that begins with the
    # provider serves its lookups). Only the index: Django's AlterField would
    # also drop and re-add the foreign key, checking every stored value again
    # under a lock.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='monthlyvalue',
                    name='provider',
                    field=models.ForeignKey(db_index=False, limit_choices_to={'kind': 'provider'}, on_delete=django.db.models.deletion.PROTECT, related_name='monthly_values', to='accounts.organisation', verbose_name='Träger'),
                ),
                migrations.AlterField(
                    model_name='reminder',
                    name='provider',
                    field=models.ForeignKey(db_index=False, limit_choices_to={'kind': 'provider'}, on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to='accounts.organisation', verbose_name='Träger'),
                ),
                migrations.AlterField(
                    model_name='reportingmonth',
                    name='provider',
                    field=models.ForeignKey(db_index=False, limit_choices_to={'kind': 'provider'}, on_delete=django.db.models.deletion.PROTECT, related_name='reporting_months', to='accounts.organisation', verbose_name='Träger'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{table}_provider_id_{digest}"',
                    reverse_sql=(
                        f'CREATE INDEX "{table}_provider_id_{digest}" '
                        f'ON "{table}" ("provider_id")'
                    ),
                )
                for table, digest in [
                    ("indicators_monthlyvalue", "b7bb464e"),
                    ("indicators_reminder", "b542f7ed"),
                    ("indicators_reportingmonth", "96462531"),
                ]
            ],
        ),
    ]
