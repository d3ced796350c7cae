"""Monthly figures: data elements, the values per provider and month, history.

- ``DataElement``: a raw monthly figure such as ``elb`` (the ministry may add
  more in the admin).
- ``ReportingMonth``: one provider's month: its data status (t-0 / t-3), the
  version number that guards against silent overwrites, and whether it is
  complete or accepted (``approval``); ``ReportingMonthEvent`` keeps each
  step of that workflow.
- ``MonthlyValue``: (provider, month, element, sex) → value. Write values
  only through the services (grid, import, demo): they keep the history and
  count the provider's ``FiguresVersion`` up, which stored results rely on.
- ``MonthlyValueChange``: every change of a value (old, new, who, when, why,
  source), never deleted.
- ``Import``: one imported statistics file.
- ``StagedImport``: a file checked in a dry run, kept (with its SHA-256)
  until its uploader imports exactly it.
- ``ReportingCalendar``: when a ministry's providers must report (one per
  ministry; without one the defaults of ``deadlines.py`` apply).
- ``Reminder``: one reminder e-mail about one deadline of one provider's
  month; its unique constraint makes sure it goes out only once.

The indicators a target refers to are listed in registry.py.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zielsteuerung.accounts.models import Organisation, OrganisationKind
from zielsteuerung.numbers import format_decimal

from . import deadlines
from .registry import Unit

VALUE_DIGITS = 16
VALUE_PLACES = 2


class Sex(models.TextChoices):
    TOTAL = "total", _("insgesamt")
    WOMEN = "women", _("Frauen")
    MEN = "men", _("Männer")


# How files and URLs spell the sexes (ASCII, German).
SEX_FILE_CODES = {Sex.TOTAL: "insgesamt", Sex.WOMEN: "frauen", Sex.MEN: "maenner"}
SEX_BY_FILE_CODE = {code: sex for sex, code in SEX_FILE_CODES.items()}


class DataStatus(models.TextChoices):
    PROVISIONAL = "t0", _("t-0 (vorläufig)")
    FINAL = "t3", _("t-3 (endgültig)")


class Source(models.TextChoices):
    MANUAL = "manual", _("Eingabe")
    IMPORT = "import", _("Import")
    DEMO = "demo", _("Demodaten")


ELEMENT_UNITS = [
    (Unit.PERSONS.value, Unit.PERSONS.label),
    (Unit.COUNT.value, Unit.COUNT.label),
    (Unit.EUR.value, Unit.EUR.label),
]


class DataElement(models.Model):
    """A raw monthly figure reported by every provider (Merkmal)."""

    code = models.SlugField(
        _("Kürzel"),
        max_length=40,
        unique=True,
        help_text=_("Wie in der Importdatei (Spalte „merkmal“), z. B. elb"),
    )
    name = models.CharField(_("Bezeichnung"), max_length=200)
    short_name = models.CharField(
        _("Kurzbezeichnung"),
        max_length=30,
        blank=True,
        help_text=_("Für Spaltenköpfe, z. B. „LZB“; leer: die Bezeichnung"),
    )
    unit = models.CharField(_("Einheit"), max_length=20, choices=ELEMENT_UNITS)
    split_by_sex = models.BooleanField(
        _("Nach Geschlecht"),
        default=True,
        help_text=_("Werte auch für Frauen und Männer erfassen"),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    # Admin changes keep old → new (who, when).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Merkmal")
        verbose_name_plural = _("Merkmale")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return self.short_name or self.name

    @property
    def sexes(self):
        if self.split_by_sex:
            return [Sex.TOTAL, Sex.WOMEN, Sex.MEN]
        return [Sex.TOTAL]

    @property
    def whole_numbers(self):
        return self.unit != Unit.EUR

    def display(self, value):
        """``value`` in this element's unit: ``3.489`` or ``1.234,56 €``."""
        if self.whole_numbers:
            return format_decimal(value, 0)
        return format_decimal(value, 2) + " €"


def _provider_field(related_name):
    # No index of its own: each table with this field has a unique constraint
    # that begins with the provider, whose index serves every lookup by
    # provider. A second index only cost writes (a tenth of a national
    # revision's import).
    return models.ForeignKey(
        Organisation,
        verbose_name=_("Träger"),
        on_delete=models.PROTECT,
        related_name=related_name,
        limit_choices_to={"kind": OrganisationKind.PROVIDER},
        db_index=False,
    )


def _user_field(verbose_name, related_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
    )


class MonthApproval(models.TextChoices):
    """Where a month stands in the workflow (DHIS2: complete, then approve)."""

    OPEN = "open", _("offen")
    COMPLETE = "complete", _("vollständig gemeldet")
    ACCEPTED = "accepted", _("abgenommen")


class MonthAction(models.TextChoices):
    COMPLETE = "complete", _("als vollständig gemeldet")
    ACCEPT = "accept", _("abgenommen")
    REOPEN = "reopen", _("wieder geöffnet")
    WITHDRAW = "withdraw", _("Meldung zurückgenommen, weil Werte geändert wurden")


class ReportingMonth(models.Model):
    """One provider's month: data status, version for optimistic locking and
    its approval (an accepted month is locked)."""

    provider = _provider_field("reporting_months")
    month = models.DateField(_("Monat"), help_text=_("Immer der Erste des Monats"))
    data_status = models.CharField(
        _("Datenstand"),
        max_length=2,
        choices=DataStatus.choices,
        default=DataStatus.PROVISIONAL,
    )
    version = models.PositiveIntegerField(_("Version"), default=0)
    updated_at = models.DateTimeField(_("Zuletzt geändert am"), null=True)
    updated_by = _user_field(_("Zuletzt geändert von"), "+")
    approval = models.CharField(
        _("Meldung"),
        max_length=10,
        choices=MonthApproval.choices,
        default=MonthApproval.OPEN,
    )

    class Meta:
        verbose_name = _("Berichtsmonat")
        verbose_name_plural = _("Berichtsmonate")
        ordering = ["provider", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "month"], name="one_reporting_month"
            ),
        ]

    def __str__(self):
        return f"{self.provider.short_name} {self.month:%Y-%m}"

    @property
    def is_locked(self):
        """An accepted month refuses every change until it is reopened."""
        return self.approval == MonthApproval.ACCEPTED


class ReportingMonthEvent(models.Model):
    """One step of a month's workflow: completed, accepted, reopened …"""

    reporting_month = models.ForeignKey(
        ReportingMonth,
        verbose_name=_("Berichtsmonat"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    action = models.CharField(_("Schritt"), max_length=10, choices=MonthAction.choices)
    old_approval = models.CharField(
        _("Vorher"), max_length=10, choices=MonthApproval.choices
    )
    new_approval = models.CharField(
        _("Nachher"), max_length=10, choices=MonthApproval.choices
    )
    reason = models.TextField(_("Begründung"), blank=True)
    acted_at = models.DateTimeField(_("Wann"))
    acted_by = _user_field(_("Wer"), "+")

    class Meta:
        verbose_name = _("Schritt der Meldung eines Monats")
        verbose_name_plural = _("Schritte der Meldung eines Monats")
        ordering = ["reporting_month", "-acted_at", "-pk"]

    def __str__(self):
        return f"{self.reporting_month}: {self.get_action_display()}"


class Import(models.Model):
    """One imported statistics file (CSV or XLSX); only complete imports."""

    file_name = models.CharField(_("Dateiname"), max_length=255)
    imported_by = _user_field(_("Importiert von"), "figure_imports")
    imported_at = models.DateTimeField(_("Importiert am"), auto_now_add=True)
    reason = models.TextField(_("Begründung"), blank=True)
    rows = models.PositiveIntegerField(_("Zeilen"), default=0)
    created = models.PositiveIntegerField(_("Neue Werte"), default=0)
    changed = models.PositiveIntegerField(_("Geänderte Werte"), default=0)
    unchanged = models.PositiveIntegerField(_("Unveränderte Werte"), default=0)
    sha256 = models.CharField(_("SHA-256 der Datei"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")
        ordering = ["-imported_at"]

    def __str__(self):
        return self.file_name


class MonthlyValue(models.Model):
    """The current value of one figure for one provider, month and sex."""

    provider = _provider_field("monthly_values")
    month = models.DateField(_("Monat"))
    element = models.ForeignKey(
        DataElement,
        verbose_name=_("Merkmal"),
        on_delete=models.PROTECT,
        related_name="values",
    )
    sex = models.CharField(_("Geschlecht"), max_length=5, choices=Sex.choices)
    value = models.DecimalField(
        _("Wert"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    data_status = models.CharField(
        _("Datenstand"), max_length=2, choices=DataStatus.choices
    )
    source = models.CharField(_("Quelle"), max_length=10, choices=Source.choices)
    source_import = models.ForeignKey(
        Import,
        verbose_name=_("Importdatei"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("Kommentar"), blank=True)
    changed_at = models.DateTimeField(_("Geändert am"))
    changed_by = _user_field(_("Geändert von"), "+")

    class Meta:
        verbose_name = _("Monatswert")
        verbose_name_plural = _("Monatswerte")
        ordering = ["provider", "month", "element", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "month", "element", "sex"],
                name="one_value_per_provider_month_element_sex",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="monthly_value_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.provider.short_name} {self.month:%Y-%m} {self.element.code}"


class MonthlyValueChange(models.Model):
    """One change of a monthly value; the history is kept for good."""

    monthly_value = models.ForeignKey(
        MonthlyValue,
        verbose_name=_("Monatswert"),
        on_delete=models.PROTECT,
        related_name="changes",
    )
    old_value = models.DecimalField(
        _("Alter Wert"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    new_value = models.DecimalField(
        _("Neuer Wert"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    old_data_status = models.CharField(
        _("Alter Datenstand"),
        max_length=2,
        choices=DataStatus.choices,
        blank=True,
        help_text=_("Leer beim ersten Eintrag eines Werts"),
    )
    data_status = models.CharField(
        _("Datenstand"), max_length=2, choices=DataStatus.choices
    )
    source = models.CharField(_("Quelle"), max_length=10, choices=Source.choices)
    source_import = models.ForeignKey(
        Import,
        verbose_name=_("Importdatei"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
    )
    reason = models.TextField(_("Begründung"), blank=True)
    changed_at = models.DateTimeField(_("Geändert am"))
    changed_by = _user_field(_("Geändert von"), "+")

    class Meta:
        verbose_name = _("Änderung eines Monatswerts")
        verbose_name_plural = _("Änderungen von Monatswerten")
        ordering = ["monthly_value", "-changed_at", "-pk"]

    def __str__(self):
        return f"{self.monthly_value}: {self.old_value} → {self.new_value}"

    @property
    def status_changed(self):
        """Whether this change moved the value to another data status."""
        return bool(self.old_data_status) and self.old_data_status != self.data_status


class ReportingCalendar(models.Model):
    """When the providers of one ministry must report their monthly figures."""

    ministry = models.OneToOneField(
        Organisation,
        verbose_name=_("Ministerium"),
        on_delete=models.PROTECT,
        related_name="reporting_calendar",
        limit_choices_to={"kind": OrganisationKind.MINISTRY},
    )
    due_day = models.PositiveSmallIntegerField(
        _("Meldefrist: Tag des Folgemonats"),
        default=deadlines.DEFAULT_DUE_DAY,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Die Werte für Januar sind z. B. bis zum 20. Februar fällig."),
    )
    final_after_months = models.PositiveSmallIntegerField(
        _("Endgültige Werte (t-3): Monate nach der Meldefrist"),
        default=deadlines.DEFAULT_FINAL_AFTER_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("Erinnerung: Tage vor der Frist"),
        default=deadlines.DEFAULT_REMIND_DAYS_BEFORE,
        validators=[MaxValueValidator(27)],
        help_text=_("0: keine Erinnerung vor der Frist, nur nach ihr."),
    )
    reporting_since = models.DateField(
        _("Meldepflicht ab"),
        null=True,
        blank=True,
        help_text=_(
            "Erster Monat, der gemeldet werden muss; leer: ab dem ersten Monat, "
            "für den ein Träger Werte hat."
        ),
    )
    updated_at = models.DateTimeField(_("Zuletzt geändert am"), null=True)
    updated_by = _user_field(_("Zuletzt geändert von"), "+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Meldekalender")
        verbose_name_plural = _("Meldekalender")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_day__gte=1, due_day__lte=28),
                name="calendar_due_day_in_every_month",
            ),
            models.CheckConstraint(
                condition=Q(final_after_months__gte=1, final_after_months__lte=12),
                name="calendar_final_after_1_to_12_months",
            ),
            models.CheckConstraint(
                condition=Q(remind_days_before__lte=27),
                name="calendar_remind_at_most_27_days_before",
            ),
        ]

    def __str__(self):
        return str(self.ministry)

    @property
    def rules(self):
        return deadlines.CalendarRules(
            due_day=self.due_day,
            final_after_months=self.final_after_months,
            remind_days_before=self.remind_days_before,
            reporting_since=self.reporting_since,
        )


class Reminder(models.Model):
    """A reminder about one deadline of one provider's month, sent once."""

    provider = _provider_field("reminders")
    month = models.DateField(_("Monat"))
    deadline_kind = models.CharField(
        _("Frist"), max_length=2, choices=deadlines.Deadline.choices
    )
    stage = models.CharField(
        _("Anlass"), max_length=10, choices=deadlines.ReminderStage.choices
    )
    deadline = models.DateField(_("Fällig am"))
    recipients = models.TextField(
        _("Empfänger"), help_text=_("Name und Adresse, eine Zeile je Empfänger")
    )
    sent_at = models.DateTimeField(_("Versandt am"))

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        ordering = ["provider", "month", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "month", "deadline_kind", "stage"],
                name="one_reminder_per_deadline_and_stage",
            ),
        ]

    def __str__(self):
        return f"{self.provider.short_name} {self.month:%Y-%m} {self.stage}"

    @property
    def recipient_list(self):
        return [line for line in self.recipients.splitlines() if line]


class StagedImport(models.Model):
    """A file checked in a dry run and kept until its uploader imports it.

    The import reads exactly these bytes (checked against ``sha256``), so
    what was checked is what is imported, without a second upload. The file
    lies under MEDIA_ROOT, which is never served.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Hochgeladen von"),
        on_delete=models.PROTECT,
        related_name="staged_imports",
    )
    uploaded_at = models.DateTimeField(_("Hochgeladen am"), auto_now_add=True)
    file_name = models.CharField(_("Dateiname"), max_length=255)
    file = models.FileField(_("Datei"), upload_to="importe/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"))
    imported = models.OneToOneField(
        Import,
        verbose_name=_("Import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staged",
    )

    class Meta:
        verbose_name = _("Geprüfte Importdatei")
        verbose_name_plural = _("Geprüfte Importdateien")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.file_name


class FiguresVersion(models.Model):
    """A counter per provider that moves on whenever one of its figures changes.

    Every write to monthly values (grid, import, demo, a change of data
    status) goes through ``services.figures_changed``, which counts it up;
    results computed from the figures (``agreements.results``) remember the
    version they rest on and are recomputed when it has moved.
    """

    provider = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="figures_version",
    )
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("Stand der Monatswerte")
        verbose_name_plural = _("Stände der Monatswerte")

    def __str__(self):
        return f"{self.provider_id}: {self.version}"


class CommitCount(models.Model):
    """How many transactions that changed recorded data have committed.

    The versions the caches are keyed by are highest ids (``highest_ids``).
    An id is drawn when its row is inserted, not when its transaction
    commits: on PostgreSQL a transaction that drew a lower id and commits
    after one with a higher id leaves the highest id where it was, and a page
    stored between the two commits would stay. Every transaction that writes
    a history row or figures counts here once after it committed
    (``indicators.commits``), so a version that includes these counts moves
    with every commit. One row; ``history`` counts the transactions with
    history rows (the agreement side of the overview), ``changes`` those and the
    ones with figures.
    """

    history = models.PositiveBigIntegerField(default=0)
    changes = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("Zähler der Änderungen")
        verbose_name_plural = _("Zähler der Änderungen")

    def __str__(self):
        return f"{self.history}/{self.changes}"
