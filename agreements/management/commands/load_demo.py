"""``manage.py load_demo``: the demo organisations, users and agreements."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agreements.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Legt die Demodaten an (MAGS NRW, 18 Träger, drei Benutzer, zwei "
        "Zielvereinbarungen). Vorhandenes bleibt unverändert; mehrfach ausführbar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Auch bei DEBUG=false ausführen (z. B. auf einem Testserver).",
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help=f"Passwort vorhandener Demo-Benutzer auf „{DEMO_PASSWORD}“ setzen.",
        )

    def handle(self, *args, force=False, reset_passwords=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demodaten werden nur mit DEBUG=true geladen, damit sie nicht "
                "versehentlich in einer Produktivdatenbank landen. Wer das wirklich "
                "will, ruft den Befehl mit --force auf."
            )
        quiet = options["verbosity"] == 0
        load_demo(
            reset_passwords=reset_passwords, stdout=None if quiet else self.stdout
        )
        if quiet:
            return
        self.stdout.write(
            self.style.SUCCESS(
                "Demodaten bereit. Demo-Benutzer: ministerium, coesfeld, borken "
                f"(Passwort „{DEMO_PASSWORD}“, sofern nicht geändert)."
            )
        )
