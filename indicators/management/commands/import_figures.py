"""``manage.py import_figures FILE --user NAME [--dry-run] [--reason TEXT]``."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from indicators.import_service import figures_import
from zielsteuerung.accounts.models import User


class Command(BaseCommand):
    help = (
        "Importiert Monatswerte aus dem Statistik-Export (CSV oder XLSX mit den "
        "Spalten regionalschluessel;monat;merkmal;geschlecht;wert;datenstand). "
        "Alles oder nichts: bei einer fehlerhaften Zeile wird nichts gespeichert."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV- oder XLSX-Datei")
        parser.add_argument(
            "--user",
            required=True,
            help="Benutzername, dem die Änderungen zugeschrieben werden; seine "
            "Rechte bestimmen, für welche Träger importiert werden darf.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Nur prüfen und zeigen, was sich ändern würde.",
        )
        parser.add_argument(
            "--reason",
            default="",
            help="Grund der Korrektur (für Benutzer des Ministeriums Pflicht).",
        )
        parser.add_argument(
            "--warnings-reason",
            default="",
            help="Begründung für alle Hinweise der Datei (Sprünge über 30 %%, "
            "t-0 über t-3); ohne sie wird eine Datei mit Hinweisen nicht importiert.",
        )

    def handle(self, *args, file, user, dry_run=False, reason="", **options):
        warnings_reason = options.get("warnings_reason", "")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {file}")
        acting_user = User.objects.filter(username=user, is_active=True).first()
        if acting_user is None:
            raise CommandError(f"Benutzer nicht gefunden: {user}")
        try:
            report = figures_import(
                content=path.read_bytes(),
                file_name=path.name,
                acting_user=acting_user,
                dry_run=dry_run,
                reason=reason,
                file_reason=warnings_reason,
                progress=self._progress,
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        self._print(report)
        if not report.ok:
            raise CommandError(
                f"{report.bad_lines} fehlerhafte Zeilen ({len(report.errors)} Fehler): "
                "nichts gespeichert."
            )
        if report.unexplained:
            raise CommandError(
                f"{len(report.unexplained)} Hinweise ohne Begründung: nichts "
                "gespeichert. Mit --warnings-reason begründen."
            )

    def _progress(self, message, done=None, **_total):
        if done is None or done % 10_000 == 0:
            self.stdout.write(f"… {message}")

    def _print(self, report):
        for error in report.errors:
            self.stderr.write(f"Zeile {error.line}, {error.column}: {error.reason}")
        for warning in report.warnings:
            self.stdout.write(f"Hinweis Zeile {warning.line}: {warning.message}")
        for summary in report.summary_list():
            self.stdout.write(
                f"{summary.provider.regional_key} {summary.month:%Y-%m}: "
                f"{summary.created} neu, {summary.changed} geändert, "
                f"{summary.unchanged} unverändert"
            )
        mode = "Probelauf" if report.dry_run else "Import"
        self.stdout.write(
            f"{mode} {report.file_name}: {report.rows} Zeilen, {report.created} neu, "
            f"{report.changed} geändert, {report.unchanged} unverändert, "
            f"{report.bad_lines} fehlerhaft."
        )
