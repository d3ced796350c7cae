"""Writes about organisations and users, each with the acting user."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from zielsteuerung import versioning

from . import policy
from .models import Organisation


def organisation_version(organisation):
    history = Organisation.history.filter(id=organisation.pk)
    return str(versioning.history_version(history))


@transaction.atomic
def organisation_names_update(*, organisation, form, version, acting_user):
    """Save the names and grammar of ``organisation`` unless changed meanwhile."""
    if not policy.can_edit_organisation_names(acting_user, organisation):
        raise PermissionDenied(
            _("Sie dürfen die Namen dieser Organisation nicht ändern.")
        )
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    versioning.check_version(version, organisation_version(organisation))
    form.instance._history_user = acting_user
    return form.save()
