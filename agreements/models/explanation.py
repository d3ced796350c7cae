"""The Jobcenter's explanation of a target that is at risk or missed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .targets import Target


class TargetExplanation(models.Model):
    """Why a target is at risk or missed, written by the Jobcenter.

    It answers one status (``at_risk`` or ``missed``) as of one month and
    stays valid while the target keeps that status; the progress page, the
    ministry's start page and the steering dialogue's report show it.
    """

    STATUSES = [("at_risk", _("gefährdet")), ("missed", _("verfehlt"))]

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="explanations"
    )
    status = models.CharField(_("Stand"), max_length=20, choices=STATUSES)
    as_of = models.DateField(_("Monatswerte bis"))
    text = models.TextField(
        _("Erklärung"),
        help_text=_(
            "Was hinter der Entwicklung steckt und was das Jobcenter unternimmt, "
            "z. B. „Zuzug aus der Ukraine seit Juni; Sprachkurse vor Vermittlung“."
        ),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Geschrieben von"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("Geschrieben am"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Erklärung zu einer Zielvorgabe")
        verbose_name_plural = _("Erklärungen zu Zielvorgaben")
        ordering = ["target", "-written_at", "-pk"]

    def __str__(self):
        return self.text[:80]
