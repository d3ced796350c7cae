"""``manage.py send_reminders [--today JJJJ-MM-TT] [--dry-run]``: for cron."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from indicators.reminders import reminders_due, reminders_send


class Command(BaseCommand):
    help = (
        "Versendet die Erinnerungen an Meldefristen: vor einer Frist an die "
        "Bearbeiterinnen und Bearbeiter des Trägers, nach ihr auch an die des "
        "Ministeriums; jede nur einmal. Für cron, z. B. täglich um 6:15 Uhr."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="Stichtag JJJJ-MM-TT statt heute (zum Nachholen oder Prüfen).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Nur zeigen, welche Erinnerungen fällig sind; nichts versenden.",
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        day = self._day(today)
        if dry_run:
            for provider, items in reminders_due(day).items():
                for item in items:
                    self.stdout.write(
                        f"{provider.regional_key} {item.report.month:%Y-%m} "
                        f"{item.report.deadline_kind} {item.stage} "
                        f"(Frist {item.report.deadline:%d.%m.%Y})"
                    )
            return
        written = reminders_send(today=day)
        providers = {reminder.provider_id for reminder in written}
        self.stdout.write(
            f"{day:%d.%m.%Y}: {len(written)} Erinnerungen für {len(providers)} "
            "Träger versandt."
        )

    def _day(self, text):
        if not text:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError as error:
            raise CommandError(f"Datum bitte als JJJJ-MM-TT: {text}") from error
