"""Work done outside the request, as the people who asked for it see it.

A ``Job`` is what a page shows: its progress, its result or its error, who
asked for it. The queue itself (django-tasks: the database backend, or RQ
with Redis) only carries "run job 17"; everything the user sees lives here,
in the database, whichever queue runs it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("läuft")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


class Job(models.Model):
    kind = models.CharField(_("Art"), max_length=50)
    subject = models.CharField(
        _("Betrifft"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("z. B. „import-check:12“: die Datei, um die es geht"),
    )
    params = models.JSONField(_("Angaben"), default=dict, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Beauftragt von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("Stand"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress_text = models.CharField(_("Fortschritt"), max_length=200, blank=True)
    progress_done = models.PositiveIntegerField(null=True, blank=True)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    result = models.JSONField(_("Ergebnis"), null=True, blank=True)
    error = models.TextField(_("Fehler"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    task_id = models.CharField(_("Auftrag in der Warteschlange"), max_length=64)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    started_at = models.DateTimeField(_("Begonnen am"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Beendet am"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("Letztes Lebenszeichen"), null=True)

    class Meta:
        verbose_name = _("Hintergrundauftrag")
        verbose_name_plural = _("Hintergrundaufträge")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self):
        if not self.progress_total or self.progress_done is None:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))


class PeriodicRun(models.Model):
    """A periodic job enqueued for one day: its unique key makes it once a day,
    however many workers tick."""

    name = models.CharField(max_length=50)
    day = models.DateField()
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True)

    class Meta:
        verbose_name = _("Regelmäßiger Auftrag")
        verbose_name_plural = _("Regelmäßige Aufträge")
        constraints = [
            models.UniqueConstraint(fields=["name", "day"], name="periodic_once_a_day")
        ]

    def __str__(self):
        return f"{self.name} {self.day}"
