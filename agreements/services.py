"""Writes that touch several objects: creating, copying, ordering, signing."""

import hashlib

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zielsteuerung import versioning
from zielsteuerung.accounts import policy
from zielsteuerung.accounts.models import Organisation
from zielsteuerung.jobs.services import job_enqueue
from zielsteuerung.versioning import EditGone

from . import annexes, archive, pdf, wording, year_end
from .models import (
    Agreement,
    AgreementLockedError,
    Goal,
    LandTarget,
    Party,
    PartyRole,
    Step,
    Target,
    TargetAssessment,
    TargetExplanation,
    step_target,
)


class AgreementStateError(Exception):
    """The agreement is not in a state that allows this step (German message)."""


_COPIED_TEXT_FIELDS = (
    "legal_basis",
    "preamble",
    "references",
    "focus_heading",
    "goals_heading",
    "goals_intro",
    "cooperation_heading",
    "cooperation",
)
_COPIED_PARTY_FIELDS = (
    "representative_salutation",
    "representative_name",
    "representative_function",
    "in_representation",
    "signing_place",
)


@transaction.atomic
def agreement_create(*, provider, year, copy_previous=False, source=None):
    """Create a draft agreement with both parties under the names valid in ``year``.

    With ``copy_previous`` the latest earlier agreement of the provider lends
    its texts, goals and targets; its representatives are taken
    over in any case, since they rarely change from one year to the next,
    unless the organisation names the current holder of the office.
    ``source`` names the earlier agreement to start from (the rollover takes
    the version in force); by default the latest earlier one.
    """
    previous = source or (
        Agreement.objects.filter(provider=provider, year__lt=year)
        .order_by("-year", "-version")
        .first()
    )
    agreement = Agreement(provider=provider, year=year)
    if previous and copy_previous:
        for field in _COPIED_TEXT_FIELDS:
            setattr(agreement, field, getattr(previous, field))
    agreement.save()
    _create_parties(agreement, previous)
    if previous and copy_previous:
        _copy_structure(previous, agreement)
    return agreement


def _create_parties(agreement, previous):
    organisations = {
        PartyRole.MINISTRY: agreement.provider.supervisor,
        PartyRole.PROVIDER: agreement.provider,
    }
    earlier = (
        {party.role: party for party in previous.parties.all()} if previous else {}
    )
    for role, organisation in organisations.items():
        party = Party(
            agreement=agreement,
            role=role,
            organisation=organisation,
            signing_place=organisation.seat,
        )
        if role in earlier:
            for field in _COPIED_PARTY_FIELDS:
                setattr(party, field, getattr(earlier[role], field))
        _take_current_signatory(party, organisation)
        _take_names(party)
        party.save()


def _take_current_signatory(party, organisation):
    """The current holder of the office signs, where the organisation names one."""
    if organisation.signatory_name.strip():
        party.representative_salutation = organisation.signatory_salutation
        party.representative_function = organisation.signatory_function
        party.representative_name = organisation.signatory_name


def _take_names(party):
    """The names valid on the party's day of signing (before it: today).

    Returns whether anything changed. Grammar the organisation leaves blank
    is guessed from the name (``accounts.grammar``).
    """
    day = party.signing_date or timezone.localdate()
    names = party.organisation.names_on(day)
    forms = names.name_forms()
    values = {
        "name": names.name,
        "short_name": names.short_name,
        "gender": forms.gender,
        "name_nominative": forms.nominative,
        "name_dative": forms.dative,
        "name_accusative": forms.accusative,
    }
    changed = any(getattr(party, key) != value for key, value in values.items())
    for key, value in values.items():
        setattr(party, key, value)
    return changed


def party_names_refresh(*, agreement, acting_user=None):
    """Give the parties the names valid on their signing day (or today).

    Called whenever signing dates may have changed and before the text is
    frozen: the name that counts is the one valid on the day of signing.
    """
    for party in agreement.parties.select_related("organisation"):
        if _take_names(party):
            _record(party, acting_user, _("Name zum Tag der Unterschrift übernommen"))


def _copy_structure(source, target_agreement):
    for goal in source.goals.prefetch_related("targets"):
        targets = list(goal.targets.all())
        goal.pk = None
        goal.agreement = target_agreement
        goal.save()
        for target in targets:
            target.pk = None
            target.goal = goal
            target.save()


def next_position(queryset):
    """The position after the last one in ``queryset``."""
    highest = queryset.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


# --- Edits that must not overwrite anyone (zielsteuerung/versioning.py) ---------
# Each edit form carries the version it was opened at; the service locks the
# agreement's row, checks that it may still be edited (EditGone: frozen or
# deleted meanwhile) and that the version did not move (EditConflict).


def agreement_version(agreement):
    """The version of the texts form: the agreement and its parties."""
    return versioning.combined(
        Agreement.history.filter(id=agreement.pk),
        Party.history.filter(agreement_id=agreement.pk),
    )


def goal_version(goal):
    return str(versioning.history_version(Goal.history.filter(id=goal.pk)))


def target_version(target):
    return str(versioning.history_version(Target.history.filter(id=target.pk)))


def assessment_version(target):
    history = TargetAssessment.history.filter(target_id=target.pk)
    return str(versioning.history_version(history))


def _lock_editable(agreement_id):
    """Lock the agreement's row; EditGone unless its content may still change."""
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise EditGone(_("Die Zielvereinbarung wurde inzwischen gelöscht."))
    if not agreement.is_editable:
        raise EditGone(str(AgreementLockedError(agreement.status).args[0]))
    return agreement


@transaction.atomic
def agreement_texts_save(*, agreement, form, parties, version, acting_user):
    """Save the texts and parties of ``agreement`` (valid forms)."""
    _lock_editable(agreement.pk)
    versioning.check_version(version, agreement_version(agreement))
    form.instance._history_user = acting_user
    form.save()
    parties.save()
    party_names_refresh(agreement=agreement, acting_user=acting_user)
    return agreement


def land_targets_version(ministry, year):
    history = LandTarget.history.filter(ministry_id=ministry.pk, year=year)
    return str(versioning.history_version(history))


@transaction.atomic
def land_targets_save(*, ministry, year, formset, version, acting_user):
    """Save the Land's targets of ``year`` (a valid formset) unless changed."""
    if not policy.can_edit_land_targets(acting_user):
        raise PermissionDenied(_("Sie dürfen die Landesziele nicht ändern."))
    Organisation.objects.select_for_update().filter(pk=ministry.pk).exists()
    versioning.check_version(version, land_targets_version(ministry, year))
    for land_target in formset.save(commit=False):
        land_target.ministry, land_target.year = ministry, year
        land_target._history_user = acting_user
        land_target.save()
    for land_target in formset.deleted_objects:
        land_target._history_user = acting_user
        land_target.delete()


@transaction.atomic
def goal_create(*, goal, acting_user=None):
    _lock_editable(goal.agreement_id)
    goal.position = next_position(Goal.objects.filter(agreement=goal.agreement))
    goal._history_user = acting_user
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal, form, version, acting_user):
    """Save ``form`` over ``goal`` unless someone changed or deleted it."""
    _lock_editable(goal.agreement_id)
    if not Goal.objects.filter(pk=goal.pk).exists():
        raise EditGone(_("Das Ziel wurde inzwischen gelöscht."))
    versioning.check_version(version, goal_version(goal))
    form.instance._history_user = acting_user
    return form.save()


@transaction.atomic
def target_create(*, target, acting_user=None):
    _lock_editable(target.goal.agreement_id)
    if not Goal.objects.filter(pk=target.goal_id).exists():
        raise EditGone(_("Das Ziel dieser Zielvorgabe wurde inzwischen gelöscht."))
    target.position = next_position(Target.objects.filter(goal=target.goal))
    target._history_user = acting_user
    target.save()
    return target


@transaction.atomic
def target_update(*, target, form, version, acting_user):
    """Save ``form`` over ``target`` unless someone changed or deleted it."""
    _lock_editable(target.goal.agreement_id)
    if not Target.objects.filter(pk=target.pk).exists():
        raise EditGone(_("Die Zielvorgabe wurde inzwischen gelöscht."))
    versioning.check_version(version, target_version(target))
    form.instance._history_user = acting_user
    return form.save()


@transaction.atomic
def target_assessment_save(*, target, form, version, acting_user):
    """Record the status of ``target`` (progress data: also once signed)."""
    if not policy.can_assess_targets(acting_user, target.goal.agreement):
        raise PermissionDenied(_("Nur das Ministerium trägt Einschätzungen ein."))
    if not Target.objects.select_for_update().filter(pk=target.pk).exists():
        raise EditGone(_("Die Zielvorgabe wurde inzwischen gelöscht."))
    year_end.refuse_if_recorded(target, EditGone)
    versioning.check_version(version, assessment_version(target))
    form.instance.assessed_by = acting_user
    form.instance._history_user = acting_user
    return form.save()


@transaction.atomic
def item_move(*, item, siblings, offset):
    """Move ``item`` ``offset`` places (−1 up, +1 down) among ``siblings``.

    Positions are renumbered 0, 1, 2 … so gaps and ties from older data
    cannot make a move jump or do nothing. Returns whether anything moved.
    """
    ordered = list(siblings.select_for_update().order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    new_index = index + offset
    if not 0 <= new_index < len(ordered):
        return False
    ordered.insert(new_index, ordered.pop(index))
    for position, sibling in enumerate(ordered):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    return True


# --- The sign workflow ----------------------------------------------------------
# Each step locks the agreement's row, checks its state (AgreementStateError)
# and then the policy (PermissionDenied), and records who did it and why in
# the history (simple-history's history_user and change reason).


def _lock(agreement):
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("provider", "amends")
        .get(pk=agreement.pk)
    )


def _require(allowed):
    if not allowed:
        raise PermissionDenied(_("Sie dürfen diesen Schritt nicht ausführen."))


def _record(instance, acting_user, reason=None):
    instance._history_user = acting_user
    instance._change_reason = reason
    instance.save()


@transaction.atomic
def agreement_finalize(*, agreement, acting_user):
    """Freeze the content: the agreement is printed for signature."""
    agreement = _lock(agreement)
    if not agreement.step_open(Step.FINALIZE):
        raise AgreementStateError(
            _("Nur ein Entwurf oder eine Vereinbarung in Verhandlung wird Endfassung.")
        )
    _require(policy.can_finalize_agreement(acting_user, agreement))
    if agreement.review_items.filter(done_at=None).exists():
        raise AgreementStateError(
            _(
                "Die Endfassung kann noch nicht festgelegt werden: Auf der "
                "Prüfliste des Jahreswechsels sind noch Punkte offen."
            )
        )
    blocking = number_conflicts_of(agreement)
    if blocking:
        raise AgreementStateError(
            _(
                "Die Endfassung kann noch nicht festgelegt werden: In %(n)s "
                "Zielvorgaben stehen Zahlen, die nicht zu ihren Feldern passen. "
                "Korrigieren Sie sie oder bestätigen Sie sie mit einer Begründung."
            )
            % {"n": len(blocking)}
        )
    party_names_refresh(agreement=agreement, acting_user=acting_user)
    agreement.status = step_target(Step.FINALIZE)
    _record(agreement, acting_user, _("Endfassung festgelegt"))
    return agreement


def number_conflicts_of(agreement):
    """``[(target, conflicts)]`` of targets whose numbers are not confirmed."""
    targets = Target.objects.filter(goal__agreement=agreement).select_related("goal")
    result = []
    for target in targets:
        conflicts = wording.unconfirmed_conflicts(target, agreement.year)
        if conflicts:
            result.append((target, conflicts))
    return result


@transaction.atomic
def target_numbers_confirm(*, target, acting_user, reason):
    """Confirm the literal numbers in ``target``'s texts as they stand, with reason."""
    if not policy.can_edit_agreement(acting_user, target.goal.agreement):
        raise PermissionDenied(_("Sie dürfen diese Zielvorgabe nicht ändern."))
    if not (reason or "").strip():
        raise AgreementStateError(_("Bitte einen Grund angeben."))
    target.numbers_confirmed_reason = reason.strip()
    target.numbers_confirmed_digest = wording.conflicts_digest(
        target, target.goal.agreement.year
    )
    _record(target, acting_user, _("Zahlen im Text bestätigt"))
    return target


@transaction.atomic
def agreement_reopen(*, agreement, acting_user, reason):
    """Back from final to draft; ``reason`` goes into the history."""
    agreement = _lock(agreement)
    if not agreement.step_open(Step.REOPEN):
        raise AgreementStateError(
            _("Nur eine Endfassung kann zurück zum Entwurf gesetzt werden.")
        )
    if not (reason or "").strip():
        raise AgreementStateError(_("Bitte einen Grund angeben."))
    _require(policy.can_reopen_agreement(acting_user, agreement))
    agreement.status = step_target(Step.REOPEN)
    _record(agreement, acting_user, reason.strip())
    return agreement


@transaction.atomic
def agreement_sign(*, agreement, acting_user, signatures, signed_copy):
    """Record the signatures and keep the scanned copy with its SHA-256.

    ``signatures`` maps a party role to ``(place, date)``. The PDF/A archive
    is rendered by the worker once this has committed
    (``agreement_archive_render``): the signed content can no longer change,
    so the archive shows exactly what was signed, and a failing renderer
    cannot undo a signature that happened on paper.
    """
    agreement = _lock(agreement)
    if not agreement.step_open(Step.SIGN):
        raise AgreementStateError(
            _("Unterzeichnet werden kann nur die Endfassung einer Vereinbarung.")
        )
    _require(policy.can_sign_agreement(acting_user, agreement))
    try:  # the archive will embed the annexes: refuse now if one was altered
        annexes.archive_attachments(agreement)
    except annexes.AnnexChangedError as error:
        raise AgreementStateError(str(error)) from error
    for party in agreement.parties.select_related("organisation"):
        party.signing_place, party.signing_date = signatures[party.role]
        _take_names(party)
        _record(party, acting_user, _("Unterzeichnung erfasst"))
    agreement.signed_at = timezone.now()
    agreement.signed_copy_sha256 = _sha256_of(signed_copy)
    # Written before the row that names it, so a saved row never points to a
    # missing file; removed again if saving fails.
    agreement.signed_copy.save("unterschrieben.pdf", signed_copy, save=False)
    agreement.status = step_target(Step.SIGN)
    try:
        _record(agreement, acting_user, _("Unterzeichnet"))
    except Exception:
        _delete_files(agreement)
        raise
    _archive_later(agreement, acting_user)
    return agreement


def _archive_later(agreement, acting_user):
    job_enqueue(
        kind="agreement_archive",
        params={"agreement": agreement.pk},
        owner=acting_user,
        subject=archive_subject(agreement),
    )


def archive_subject(agreement):
    return f"agreement-archive:{agreement.pk}"


@transaction.atomic
def agreement_archive_render(*, agreement):
    """Render the signed agreement once as PDF/A-3b and keep its SHA-256.

    Run by the worker after signing (and again if that failed); a second run
    finds the archive and leaves it as it is: downloads always serve the
    same bytes.
    """
    agreement = _lock(agreement)
    if not agreement.is_signed:
        raise AgreementStateError(_("Archiviert wird nur eine unterzeichnete Fassung."))
    if agreement.archive_sha256:
        return agreement
    try:
        attached = annexes.archive_attachments(agreement)
    except annexes.AnnexChangedError as error:
        raise AgreementStateError(str(error)) from error
    data = pdf.render_archive_pdf(
        agreement,
        data=archive.targets_json(agreement),
        name=archive.ATTACHMENT_NAME,
        created=agreement.signed_at,
        annexes=attached,
    )
    agreement.archive_pdf.save("archiv.pdf", ContentFile(data), save=False)
    agreement.archive_sha256 = hashlib.sha256(data).hexdigest()
    try:
        _record(agreement, None, _("Archivexemplar (PDF/A) erstellt"))
    except Exception:
        agreement.archive_pdf.storage.delete(agreement.archive_pdf.name)
        raise
    return agreement


@transaction.atomic
def agreement_archive_retry(*, agreement, acting_user):
    """Start the archive's rendering again after it failed."""
    _require(policy.can_sign_agreement_archive(acting_user, agreement))
    _archive_later(agreement, acting_user)


def _sha256_of(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _delete_files(agreement):
    for file in (agreement.signed_copy, agreement.archive_pdf):
        if file:
            file.storage.delete(file.name)


@transaction.atomic
def agreement_amend(*, agreement, acting_user):
    """Start an amendment: a new version, as a draft copy of the signed one."""
    agreement = _lock(agreement)
    if not agreement.step_open(Step.AMEND):
        raise AgreementStateError(
            _("Eine Änderungsvereinbarung setzt eine unterzeichnete Fassung voraus.")
        )
    if agreement.has_amendment():
        raise AgreementStateError(
            _("Zu dieser Fassung gibt es schon eine Änderungsvereinbarung.")
        )
    _require(policy.can_amend_agreement(acting_user, agreement))
    amendment = Agreement(
        provider=agreement.provider,
        year=agreement.year,
        version=_next_version(agreement),
        amends=agreement,
    )
    for field in _COPIED_TEXT_FIELDS:
        setattr(amendment, field, getattr(agreement, field))
    _record(
        amendment,
        acting_user,
        _("Änderungsvereinbarung zu Fassung %(version)s angelegt")
        % {"version": agreement.version},
    )
    _copy_parties(agreement, amendment)
    _copy_structure(agreement, amendment)
    annexes.annexes_copy(source=agreement, target=amendment)
    return amendment


def _next_version(agreement):
    versions = Agreement.objects.filter(
        provider=agreement.provider, year=agreement.year
    )
    return versions.aggregate(highest=Max("version"))["highest"] + 1


def _copy_parties(source, target_agreement):
    """The parties with the names and signatories as signed; no signing dates."""
    for party in source.parties.all():
        party.pk = None
        party.agreement = target_agreement
        party.signing_date = None
        party.save()


@transaction.atomic
def target_explanation_create(*, target, status, as_of, text, acting_user):
    """The Jobcenter explains why ``target`` is at risk or missed."""
    if not policy.can_explain_targets(acting_user, target.goal.agreement):
        raise PermissionDenied(_("Nur das Jobcenter erklärt seine Zielvorgaben."))
    return TargetExplanation.objects.create(
        target=target,
        status=status,
        as_of=as_of,
        text=text.strip(),
        written_by=acting_user,
    )
