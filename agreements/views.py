"""Pages for reading and writing agreements.

Every object is fetched through ``Agreement.objects.visible_to(user)``, so an
agreement of another provider answers 404. Whether the user may change it is
asked of the policy module; a reader who tries gets 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView

from zielsteuerung import versioning
from zielsteuerung.accounts import policy
from zielsteuerung.jobs.models import Job
from zielsteuerung.page_cache import cached_page, data_version
from zielsteuerung.versioning import EditConflict, EditGone

from . import pdf, services, wording
from .detail_extras import detail_extras
from .filters import AgreementFilter
from .forms import (
    AgreementCreateForm,
    AgreementForm,
    ConfirmNumbersForm,
    GoalForm,
    PartyFormSet,
    ReopenForm,
    SignForm,
    TargetForm,
)
from .history import agreement_history
from .models import Agreement, AgreementLockedError, Goal, Party, Target
from .printing import print_document


def _agreement_for(request, pk, *, edit=False, keep_input=False):
    """The agreement through the user's scope (404), editable if ``edit`` (403).

    With ``keep_input`` a form posted by the agreement's editors after it was
    frozen gets through: the save service refuses it and the page shows the
    typed values with the reason instead of a bare 403.
    """
    agreement = get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related(
            "provider", "provider__supervisor"
        ),
        pk=pk,
    )
    if edit and not policy.can_edit_agreement(request.user, agreement):
        frozen_meanwhile = (
            keep_input
            and request.method == "POST"
            and policy.edits_content_of(request.user, agreement)
        )
        if not frozen_meanwhile:
            raise PermissionDenied(_("Sie dürfen diese Zielvereinbarung nicht ändern."))
    return agreement


def _not_saved(request, template, context, forms, message):
    """The form again with what was typed and why nothing was saved (409)."""
    versioning.keep_input(forms, message)
    return render(request, template, context, status=409)


class AgreementListView(FilterView):
    filterset_class = AgreementFilter
    template_name = "agreements/agreement_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Agreement.objects.visible_to(self.request.user)
            .select_related("provider")
            .order_by("-year", "provider__name", "version")
        )

    def get_filterset_kwargs(self, filterset_class):
        return {
            **super().get_filterset_kwargs(filterset_class),
            "user": self.request.user,
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "can_create": policy.can_edit_agreements(self.request.user),
        }


def agreement_create(request):
    if not policy.can_edit_agreements(request.user):
        raise PermissionDenied(_("Nur das Ministerium legt Zielvereinbarungen an."))
    form = AgreementCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        agreement = services.agreement_create(
            provider=form.cleaned_data["provider"],
            year=form.cleaned_data["year"],
            copy_previous=form.cleaned_data["copy_previous"],
        )
        messages.success(
            request,
            _(
                "Die Zielvereinbarung wurde angelegt. "
                "Ergänzen Sie jetzt Texte und Ziele."
            ),
        )
        return redirect("agreements:update", pk=agreement.pk)
    return render(request, "agreements/agreement_create.html", {"form": form})


class AgreementDetailView(DetailView):
    """The agreement's page; the finished page comes from the shared cache.

    Everything the page shows is recorded with history (the agreement and its
    parts, proposals, reports, review items, organisations, users), so the
    page is stored under ``data_version()``, today and the user's rights.
    Only while the worker renders the archive the page follows a job's state,
    which history does not see: then it is rendered every time.
    """

    template_name = "agreements/agreement_detail.html"
    context_object_name = "agreement"

    def get_queryset(self):
        return Agreement.objects.visible_to(self.request.user).select_related(
            "provider", "amends"
        )

    def get(self, request, *args, **kwargs):
        self.object = agreement = self.get_object()

        def render_page(extra):
            context = {**self.get_context_data(object=agreement), **extra}
            return self.render_to_response(context).render()

        if agreement.is_signed and not agreement.archive_sha256:
            return render_page({})
        parts = [
            "agreement_detail",
            agreement.pk,
            timezone.localdate(),
            data_version(),
            sorted(_rights(request.user, agreement).items()),
            policy.can_edit_annexes(request.user, agreement),
        ]
        return cached_page(request, parts, render_page)

    def get_context_data(self, **kwargs):
        agreement = self.object
        user = self.request.user
        doc = print_document(agreement)
        in_force = agreement.version_in_force()
        return {
            **super().get_context_data(**kwargs),
            "doc": doc,
            "in_force": in_force,
            "is_in_force": in_force is not None and in_force.pk == agreement.pk,
            **_rights(user, agreement),
            "amendments": list(agreement.amendments.all()),
            "history": agreement_history(agreement),
            **_archive_state(user, agreement),
            **detail_extras(agreement, user),
        }


def _rights(user, agreement):
    """What the page offers ``user``: in its context and its stored key."""
    return {
        "can_edit": policy.can_edit_agreement(user, agreement),
        "can_finalize": policy.can_finalize_agreement(user, agreement),
        "can_reopen": policy.can_reopen_agreement(user, agreement),
        "can_sign": policy.can_sign_agreement(user, agreement),
        "can_amend": policy.can_amend_agreement(user, agreement),
    }


def _archive_state(user, agreement):
    """While the worker renders the archive after signing: its job's state."""
    if not agreement.is_signed or agreement.archive_sha256:
        return {}
    job = Job.objects.filter(subject=services.archive_subject(agreement)).first()
    return {
        "archive_job": job,
        "archive_job_is_mine": job is not None and job.owner_id == user.pk,
        "can_retry_archive": policy.can_sign_agreement_archive(user, agreement),
    }


def agreement_update(request, pk):
    agreement = _agreement_for(request, pk, edit=True, keep_input=True)
    current = services.agreement_version(agreement)
    version = versioning.posted_version(request, current)
    data = request.POST or None
    form = AgreementForm(data, instance=agreement)
    parties = PartyFormSet(data, instance=agreement, prefix="parties")
    context = {
        "agreement": agreement,
        "form": form,
        "parties": parties,
        "version": version,
    }
    template = "agreements/agreement_form.html"
    if request.method != "POST":
        return render(request, template, context)
    try:
        if not agreement.is_editable:
            raise EditGone(_reason(AgreementLockedError(agreement.status)))
        if version != current:
            raise EditConflict(current)
        # Every part is checked, so every error shows at once.
        checked = [item.is_valid() for item in (form, parties)]
        if not all(checked):
            return render(request, template, context)
        services.agreement_texts_save(
            agreement=agreement,
            form=form,
            parties=parties,
            version=version,
            acting_user=request.user,
        )
    except EditGone as gone:
        return _not_saved(request, template, context, [form], str(gone))
    except EditConflict as conflict:
        return _agreement_conflict(request, template, context, conflict.version)
    messages.success(request, _("Die Änderungen wurden gespeichert."))
    return redirect(agreement)


def _agreement_conflict(request, template, context, current):
    """Mark what the other person changed in the texts and parties."""
    since = context["version"]
    form = context["form"]
    pairs = [
        (
            form,
            versioning.their_changes(
                Agreement.history.filter(id=form.instance.pk),
                versioning.part(since, 0),
                form.fields,
            ),
        )
    ]
    for item in context["parties"].forms:
        if item.instance.pk:
            history = Party.history.filter(id=item.instance.pk)
            changes = versioning.their_changes(
                history, versioning.part(since, 1), item.fields
            )
            pairs.append((item, changes))
    versioning.mark_conflicts(pairs)
    return render(request, template, {**context, "version": current}, status=409)


def goal_edit(request, pk, goal_pk=None):
    agreement = _agreement_for(request, pk, edit=True, keep_input=True)
    goal = _part_or_gone(request, agreement.goals, goal_pk)
    form = GoalForm(request.POST or None, instance=goal or Goal(), agreement=agreement)
    current = services.goal_version(goal) if goal else ""
    context = {
        "agreement": agreement,
        "goal": goal if goal and goal.pk else None,
        "form": form,
        "version": versioning.posted_version(request, current),
    }
    template = "agreements/goal_form.html"
    gone = _gone_reason(
        request, agreement, goal, _("Das Ziel wurde inzwischen gelöscht.")
    )
    if gone:
        return _not_saved(request, template, context, [form], gone)
    if request.method != "POST" or not form.is_valid():
        return render(request, template, context)
    try:
        if goal is None:
            goal = services.goal_create(
                goal=form.save(commit=False), acting_user=request.user
            )
            messages.success(request, _("Das Ziel wurde angelegt."))
        else:
            goal = services.goal_update(
                goal=goal,
                form=form,
                version=context["version"],
                acting_user=request.user,
            )
            messages.success(request, _("Das Ziel wurde gespeichert."))
    except (EditGone, AgreementLockedError) as gone:
        return _not_saved(request, template, context, [form], _reason(gone))
    except EditConflict as conflict:
        changes = versioning.their_changes(
            Goal.history.filter(id=goal.pk),
            versioning.part(context["version"], 0),
            form.fields,
        )
        versioning.mark_conflicts([(form, changes)])
        context["version"] = conflict.version
        return render(request, template, context, status=409)
    return redirect(goal)


def _part_or_gone(request, queryset, pk):
    """The goal or target ``pk`` of the agreement; None for a new one.

    A form posted for one that was deleted meanwhile gets an unsaved stand-in
    (pk None), so that the page can show what was typed; a GET answers 404.
    """
    if not pk:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        if request.method != "POST":
            raise Http404
        return queryset.model()
    return found


def _gone_reason(request, agreement, part, deleted_message):
    """Why a posted form cannot be saved any more: frozen or deleted meanwhile."""
    if request.method != "POST":
        return ""
    if not agreement.is_editable:
        return _reason(AgreementLockedError(agreement.status))
    if part is not None and part.pk is None:
        return deleted_message
    return ""


def _reason(error):
    return str(error.args[0]) if error.args else str(error)


def goal_delete(request, pk, goal_pk):
    agreement = _agreement_for(request, pk, edit=True)
    goal = get_object_or_404(agreement.goals, pk=goal_pk)
    if request.method == "POST":
        if not _deleted(request, goal):
            return redirect(goal)
        messages.success(
            request, _("Das Ziel %(number)s wurde gelöscht.") % {"number": goal.number}
        )
        return redirect(agreement)
    return render(
        request,
        "agreements/confirm_delete.html",
        {"agreement": agreement, "object": goal, "kind": _("das Ziel")},
    )


@require_POST
def goal_move(request, pk, goal_pk):
    agreement = _agreement_for(request, pk, edit=True)
    goal = get_object_or_404(agreement.goals, pk=goal_pk)
    services.item_move(
        item=goal, siblings=agreement.goals.all(), offset=_offset(request)
    )
    return redirect(goal)


def target_edit(request, pk, goal_pk=None, target_pk=None):
    """Create or change a target; "Vorschau" shows its text without saving."""
    agreement = _agreement_for(request, pk, edit=True, keep_input=True)
    targets = Target.objects.filter(goal__agreement=agreement).select_related("goal")
    target = _part_or_gone(request, targets, target_pk)
    if target is not None:
        goal = target.goal if target.pk else _posted_goal(agreement, goal_pk)
    else:
        goal = get_object_or_404(agreement.goals, pk=goal_pk)
    instance = target if target is not None and target.pk else Target(goal=goal)
    form = TargetForm(request.POST or None, instance=instance)
    current = services.target_version(target) if target and target.pk else ""
    context = {
        "agreement": agreement,
        "goal": goal,
        "target": target if target and target.pk else None,
        "form": form,
        "version": versioning.posted_version(request, current),
        "placeholders": wording.placeholder_help(),
        "preview": None,
    }
    template = "agreements/target_form.html"
    deleted = _("Die Zielvorgabe wurde inzwischen gelöscht.")
    gone = _gone_reason(request, agreement, target, deleted)
    if gone:
        return _not_saved(request, template, context, [form], gone)
    if request.method == "POST" and form.is_valid():
        if "preview" not in request.POST:
            return _save_target(request, form, context)
        context["preview"] = _target_context(form.instance, agreement.year)
    elif target is not None:
        context["preview"] = _target_context(target, agreement.year)
    return render(request, template, context)


def _posted_goal(agreement, goal_pk):
    """The goal of a target deleted meanwhile: a stand-in for the page."""
    return agreement.goals.filter(pk=goal_pk).first() or Goal(agreement=agreement)


def _save_target(request, form, context):
    target, template = context["target"], "agreements/target_form.html"
    try:
        if target is None:
            target = services.target_create(
                target=form.save(commit=False), acting_user=request.user
            )
            messages.success(request, _("Die Zielvorgabe wurde angelegt."))
        else:
            target = services.target_update(
                target=target,
                form=form,
                version=context["version"],
                acting_user=request.user,
            )
            messages.success(request, _("Die Zielvorgabe wurde gespeichert."))
    except (EditGone, AgreementLockedError) as gone:
        return _not_saved(request, template, context, [form], _reason(gone))
    except EditConflict as conflict:
        history = Target.history.filter(id=target.pk)
        since = versioning.part(context["version"], 0)
        changes = versioning.their_changes(history, since, form.fields)
        versioning.mark_conflicts([(form, changes)])
        context["version"] = conflict.version
        return render(request, template, context, status=409)
    goal = target.goal
    if wording.unconfirmed_conflicts(target, goal.agreement.year):
        messages.warning(
            request,
            _(
                "Im Text der Zielvorgabe stehen Zahlen, die nicht zu ihren Feldern "
                "passen. Bitte prüfen: vor der Endfassung müssen sie korrigiert oder "
                "begründet bestätigt werden."
            ),
        )
    return redirect(f"{goal.agreement.get_absolute_url()}#vorgabe-{target.pk}")


def _target_context(target, year):
    """What the pages show of a target: its text and its unconfirmed conflicts."""
    return {
        "target": target,
        "text": wording.target_text(target, year),
        "rule": wording.short_rule(target),
        "conflicts": wording.unconfirmed_conflicts(target, year),
    }


def target_confirm_numbers(request, pk, target_pk):
    """Confirm literal numbers that contradict a target's fields, with a reason."""
    agreement = _agreement_for(request, pk, edit=True)
    target = get_object_or_404(Target, goal__agreement=agreement, pk=target_pk)
    conflicts = wording.unconfirmed_conflicts(target, agreement.year)
    form = ConfirmNumbersForm(request.POST or None)
    if request.method == "POST" and conflicts and form.is_valid():
        services.target_numbers_confirm(
            target=target, acting_user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Die Zahlen sind bestätigt."))
        return redirect(f"{agreement.get_absolute_url()}#vorgabe-{target.pk}")
    return render(
        request,
        "agreements/target_confirm_numbers.html",
        {
            "agreement": agreement,
            "target": target,
            "item": _target_context(target, agreement.year),
            "form": form,
        },
    )


def target_delete(request, pk, target_pk):
    agreement = _agreement_for(request, pk, edit=True)
    target = get_object_or_404(Target, goal__agreement=agreement, pk=target_pk)
    if request.method == "POST":
        if _deleted(request, target):
            messages.success(request, _("Die Zielvorgabe wurde gelöscht."))
        return redirect(target.goal)
    return render(
        request,
        "agreements/confirm_delete.html",
        {"agreement": agreement, "object": target, "kind": _("die Zielvorgabe")},
    )


def _deleted(request, item):
    """Delete ``item``; a year-end result recorded for it keeps it (message)."""
    try:
        item.delete()
    except ProtectedError:
        messages.error(
            request,
            _(
                "Für diese Zielvorgabe ist schon ein Jahresergebnis festgehalten; "
                "sie bleibt daher Teil der Vereinbarung."
            ),
        )
        return False
    return True


@require_POST
def target_move(request, pk, target_pk):
    agreement = _agreement_for(request, pk, edit=True)
    target = get_object_or_404(Target, goal__agreement=agreement, pk=target_pk)
    services.item_move(
        item=target, siblings=target.goal.targets.all(), offset=_offset(request)
    )
    return redirect(target.goal)


def _offset(request):
    return -1 if request.POST.get("direction") == "up" else 1


def agreement_pdf(request, pk):
    """The agreement as PDF; drafts carry the ENTWURF mark."""
    agreement = _agreement_for(request, pk)
    response = HttpResponse(
        pdf.render_agreement_pdf(agreement), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(agreement)}"'
    return response


def agreement_print_preview(request, pk):
    """The print template in the browser: same template, same context."""
    agreement = _agreement_for(request, pk)
    return HttpResponse(pdf.render_agreement_html(agreement, preview=True))


def pdf_filename(agreement, suffix=""):
    """``Zielvereinbarung-2023-Borken-Fassung-1.pdf``: ASCII, no quotes."""
    name = slugify(agreement.provider.short_name).title() or "Traeger"
    return (
        f"Zielvereinbarung-{agreement.year}-{name}"
        f"-Fassung-{agreement.version}{suffix}.pdf"
    )


def _require(allowed):
    if not allowed:
        raise PermissionDenied(_("Sie dürfen diesen Schritt nicht ausführen."))


def _confirm(request, agreement, template, **context):
    return render(
        request, f"agreements/{template}", {"agreement": agreement, **context}
    )


def _step(request, agreement, action, success):
    """Run a workflow service; a state that changed meanwhile becomes a message."""
    try:
        result = action()
    except services.AgreementStateError as error:
        messages.error(request, str(error))
        return redirect(agreement)
    messages.success(request, success)
    return redirect(result)


def agreement_finalize(request, pk):
    agreement = _agreement_for(request, pk)
    _require(policy.can_finalize_agreement(request.user, agreement))
    if request.method != "POST":
        return _confirm(request, agreement, "agreement_finalize.html")
    return _step(
        request,
        agreement,
        lambda: services.agreement_finalize(
            agreement=agreement, acting_user=request.user
        ),
        _(
            "Die Zielvereinbarung ist jetzt die Endfassung. Der Inhalt ist "
            "eingefroren; drucken Sie das PDF zur Unterschrift aus."
        ),
    )


def agreement_reopen(request, pk):
    agreement = _agreement_for(request, pk)
    _require(policy.can_reopen_agreement(request.user, agreement))
    form = ReopenForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _confirm(request, agreement, "agreement_reopen.html", form=form)
    return _step(
        request,
        agreement,
        lambda: services.agreement_reopen(
            agreement=agreement,
            acting_user=request.user,
            reason=form.cleaned_data["reason"],
        ),
        _("Die Zielvereinbarung ist wieder ein Entwurf und kann bearbeitet werden."),
    )


def agreement_sign(request, pk):
    agreement = _agreement_for(request, pk)
    _require(policy.can_sign_agreement(request.user, agreement))
    parties = {party.role: party for party in agreement.parties.all()}
    form = SignForm(request.POST or None, request.FILES or None, parties=parties)
    if request.method != "POST" or not form.is_valid():
        return _confirm(request, agreement, "agreement_sign.html", form=form)
    return _step(
        request,
        agreement,
        lambda: services.agreement_sign(
            agreement=agreement,
            acting_user=request.user,
            signatures=form.signatures(),
            signed_copy=form.cleaned_data["signed_copy"],
        ),
        _(
            "Die Unterzeichnung ist erfasst und die unterschriebene Fassung "
            "gespeichert. Das Archivexemplar (PDF/A) wird im Hintergrund erstellt."
        ),
    )


def agreement_amend(request, pk):
    agreement = _agreement_for(request, pk)
    _require(policy.can_amend_agreement(request.user, agreement))
    if request.method != "POST":
        return _confirm(request, agreement, "agreement_amend.html")
    return _step(
        request,
        agreement,
        lambda: services.agreement_amend(agreement=agreement, acting_user=request.user),
        _(
            "Die Änderungsvereinbarung ist als Entwurf angelegt, mit dem Inhalt "
            "der unterzeichneten Fassung. Ändern Sie jetzt, was sich ändert."
        ),
    )


@require_POST
def agreement_archive_retry(request, pk):
    """Start the archive's rendering again after it failed."""
    agreement = _agreement_for(request, pk)
    _require(policy.can_sign_agreement_archive(request.user, agreement))
    services.agreement_archive_retry(agreement=agreement, acting_user=request.user)
    messages.success(request, _("Das Archivexemplar wird erneut erstellt."))
    return redirect(agreement)


def agreement_archive(request, pk):
    """The PDF/A archive copy, exactly the bytes stored at signing."""
    agreement = _agreement_for(request, pk)
    return _stored_file(agreement, agreement.archive_pdf, "-Archiv")


def agreement_signed_copy(request, pk):
    """The scanned copy with both signatures, as uploaded."""
    agreement = _agreement_for(request, pk)
    return _stored_file(agreement, agreement.signed_copy, "-unterschrieben")


def _stored_file(agreement, file, suffix):
    if not file:
        raise Http404(_("Für diese Zielvereinbarung ist keine Datei gespeichert."))
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=pdf_filename(agreement, suffix),
        content_type="application/pdf",
    )
