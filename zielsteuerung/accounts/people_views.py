"""``/benutzer/``: a ministry administers its own people and providers.

Only people administrators (``policy.can_manage_people``) use these pages;
other ministry users get 403, provider staff 404 (they have no business
here, like the overview). Users and providers are fetched through the
administrator's scope, so another ministry's people answer 404. Every write
is a service with the acting user and goes into the history.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zielsteuerung import versioning
from zielsteuerung.versioning import EditConflict

from . import policy, services
from .models import Organisation, User
from .people_forms import PersonForm, ProviderForm


def _manager(request):
    """404 for provider staff, 403 for ministry users who manage nobody."""
    if not policy.is_ministry_user(request.user):
        raise Http404(_("Die Benutzerverwaltung ist dem Ministerium vorbehalten."))
    if not policy.can_manage_people(request.user):
        raise PermissionDenied(_("Sie verwalten keine Benutzer."))
    return request.user


def _person(request, pk):
    return get_object_or_404(
        policy.people_visible_to(_manager(request)).select_related("organisation"),
        pk=pk,
    )


def people_list(request):
    user = _manager(request)
    people = policy.people_visible_to(user).select_related("organisation")
    shown = request.GET.get("organisation", "")
    if shown:
        people = people.filter(organisation_id=shown)
    return render(
        request,
        "accounts/people/list.html",
        {
            "people": people.order_by(
                "organisation__kind", "organisation__name", "username"
            ),
            "organisations": policy.organisations_managed_by(user).order_by(
                "kind", "name"
            ),
            "shown": shown,
        },
    )


def person_create(request):
    user = _manager(request)
    form = PersonForm(
        request.POST or None, organisations=policy.organisations_managed_by(user)
    )
    if request.method == "POST" and form.is_valid():
        person = services.user_create(form=form, acting_user=user, request=request)
        messages.success(
            request,
            _(
                "%(name)s ist angelegt. Ein Link zum Festlegen des Passworts ist an "
                "%(email)s unterwegs."
            )
            % {"name": person.username, "email": person.email},
        )
        return redirect("people:detail", pk=person.pk)
    return render(request, "accounts/people/form.html", {"form": form})


def person_detail(request, pk):
    """Change a person; the actions (deactivate, second factor, link) post elsewhere."""
    person = _person(request, pk)
    user = request.user
    form = PersonForm(
        request.POST or None,
        instance=person,
        organisations=policy.organisations_managed_by(user),
    )
    current = services.user_version(person)
    context = {
        "person": person,
        "form": form,
        "version": versioning.posted_version(request, current),
        "history": person.history.select_related("history_user")[:20],
        "devices": person.totpdevice_set.filter(confirmed=True).count(),
        "is_self": person.pk == user.pk,
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                user=person,
                form=form,
                version=context["version"],
                acting_user=user,
                request=request,
            )
        except EditConflict as conflict:
            changes = versioning.their_changes(
                User.history.filter(id=person.pk),
                versioning.part(context["version"], 0),
                form.fields,
            )
            versioning.mark_conflicts([(form, changes)])
            context["version"] = conflict.version
            return render(request, "accounts/people/detail.html", context, status=409)
        except PermissionDenied as refused:
            versioning.keep_input([form], str(refused))
            return render(request, "accounts/people/detail.html", context, status=403)
        messages.success(request, _("Die Angaben sind gespeichert."))
        return redirect("people:detail", pk=person.pk)
    return render(request, "accounts/people/detail.html", context)


@require_POST
def person_deactivate(request, pk):
    return _active(request, pk, active=False)


@require_POST
def person_reactivate(request, pk):
    return _active(request, pk, active=True)


def _active(request, pk, *, active):
    person = _person(request, pk)
    services.user_active_set(
        user=person, active=active, acting_user=request.user, request=request
    )
    message = (
        _("%(name)s ist wieder aktiv.")
        if active
        else _("%(name)s ist deaktiviert und kann sich nicht mehr anmelden.")
    )
    messages.success(request, message % {"name": person.username})
    return redirect("people:detail", pk=person.pk)


@require_POST
def person_second_factor_reset(request, pk):
    person = _person(request, pk)
    services.user_second_factor_reset(
        user=person, acting_user=request.user, request=request
    )
    messages.success(
        request,
        _(
            "Der zweite Faktor von %(name)s ist zurückgesetzt. Bei der nächsten "
            "Anmeldung richtet %(name)s eine Authenticator-App neu ein."
        )
        % {"name": person.username},
    )
    return redirect("people:detail", pk=person.pk)


@require_POST
def person_password_link(request, pk):
    person = _person(request, pk)
    if not person.email:
        messages.error(request, _("Bitte zuerst eine E-Mail-Adresse eintragen."))
        return redirect("people:detail", pk=person.pk)
    services.password_link_send(user=person, request=request, acting_user=request.user)
    messages.success(
        request,
        _("Der Link zum Festlegen des Passworts ist an %(email)s unterwegs.")
        % {"email": person.email},
    )
    return redirect("people:detail", pk=person.pk)


def provider_create(request):
    user = _manager(request)
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider = services.provider_create(
            form=form, acting_user=user, request=request
        )
        messages.success(
            request,
            _("%(name)s ist angelegt. Legen Sie jetzt seine Benutzer an.")
            % {"name": provider.name},
        )
        return redirect("people:provider", pk=provider.pk)
    return render(
        request, "accounts/people/provider_form.html", {"form": form, "provider": None}
    )


def provider_edit(request, pk):
    user = _manager(request)
    provider = get_object_or_404(policy.providers_managed_by(user), pk=pk)
    form = ProviderForm(request.POST or None, instance=provider)
    current = services.organisation_version(provider)
    context = {
        "form": form,
        "provider": provider,
        "version": versioning.posted_version(request, current),
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(
                provider=provider,
                form=form,
                version=context["version"],
                acting_user=user,
            )
        except EditConflict as conflict:
            changes = versioning.their_changes(
                Organisation.history.filter(id=provider.pk),
                versioning.part(context["version"], 0),
                form.fields,
            )
            versioning.mark_conflicts([(form, changes)])
            context["version"] = conflict.version
            return render(
                request, "accounts/people/provider_form.html", context, status=409
            )
        messages.success(request, _("Die Angaben sind gespeichert."))
        return redirect("people:provider", pk=provider.pk)
    return render(request, "accounts/people/provider_form.html", context)


@method_decorator(login_not_required, name="dispatch")
class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The one-time link: a new (or forgetful) user sets a password."""

    template_name = "registration/password_set.html"
    success_url = reverse_lazy("password_set_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordSetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_set_done.html"
