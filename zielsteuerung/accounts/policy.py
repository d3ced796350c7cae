"""The one access policy: who may see and change what.

Everything is scoped by provider (Träger). Ministry users see the providers
their ministry supervises; provider users see their own provider only. Views
never test roles themselves: they ask this module, and fetch objects through
the scopes it returns so that an object out of scope answers 404.
"""

from django.db.models import Q

from .models import Organisation, OrganisationKind, Role, User


def _organisation(user):
    if not user.is_authenticated or not user.is_active:
        return None
    return user.organisation


def is_ministry_user(user):
    organisation = _organisation(user)
    return organisation is not None and organisation.is_ministry


def is_editor(user):
    return _organisation(user) is not None and user.role == Role.EDITOR


def providers_visible_to(user):
    """The providers whose agreements and figures ``user`` may read."""
    organisation = _organisation(user)
    if organisation is None:
        return Organisation.objects.none()
    if organisation.is_ministry:
        return Organisation.objects.providers().filter(supervisor=organisation)
    return Organisation.objects.providers().filter(pk=organisation.pk)


def ministries_visible_to(user):
    """The ministries ``user`` may act for or read about."""
    organisation = _organisation(user)
    if organisation is None:
        return Organisation.objects.none()
    if organisation.is_ministry:
        return Organisation.objects.filter(pk=organisation.pk)
    return Organisation.objects.filter(pk=organisation.supervisor_id)


def organisations_visible_to(user):
    """The ministries and providers whose names ``user`` may read."""
    return ministries_visible_to(user) | providers_visible_to(user)


def can_edit_organisation_names(user, organisation):
    """Names and their grammar: the ministry's editors, for it and its providers."""
    if not (is_ministry_user(user) and is_editor(user)):
        return False
    return user.organisation_id in (organisation.pk, organisation.supervisor_id)


def can_view_provider(user, provider):
    return providers_visible_to(user).filter(pk=provider.pk).exists()


def can_edit_agreements(user):
    """Agreements are written by the ministry's editors only."""
    return is_ministry_user(user) and is_editor(user)


def _steers(user, agreement):
    """``user`` is an editor of the ministry that concludes ``agreement``."""
    return (
        can_edit_agreements(user)
        and agreement.provider.supervisor_id == user.organisation_id
    )


def can_view_agreement(user, agreement):
    """Read the agreement, print it, download its archive and signed copy."""
    return can_view_provider(user, agreement.provider)


def can_edit_agreement(user, agreement):
    """Whether ``user`` may change ``agreement`` (which they can already see)."""
    return _steers(user, agreement) and agreement.is_editable


def edits_content_of(user, agreement):
    """Whether ``user`` writes ``agreement``'s content while it is editable.

    Such a user whose form was open when the agreement was frozen gets the
    form back with what they typed and the reason, not a bare 403.
    """
    return _steers(user, agreement)


def can_assess_targets(user, agreement):
    """Record the status of qualitative and local targets, also once signed."""
    return _steers(user, agreement)


def can_explain_targets(user, agreement):
    """The Jobcenter's editors explain their own targets that are at risk."""
    return (
        is_editor(user)
        and not user.organisation.is_ministry
        and agreement.provider_id == user.organisation_id
    )


def can_see_overview(user):
    """The overview of all providers is the ministry's; providers get 404."""
    return is_ministry_user(user)


def can_edit_land_targets(user):
    """The Land's own targets (agreed with the federal ministry): its editors."""
    return can_edit_agreements(user)


# Steering dialogues and the year-end result (progress data, never locked by
# the signature). Everyone who sees the agreement reads its dialogues and
# downloads their reports; the ministry's editors plan, prepare and minute
# them, cancel them or delete one planned by mistake (which step is open in
# which status: ``agreements.models.DIALOGUE_STEPS``, asked through
# ``dialogue.step_open``); the provider's own editors comment before the
# meeting.


def can_edit_dialogues(user, agreement):
    """Plan, prepare, minute a dialogue; record and close agreed actions."""
    return _steers(user, agreement)


def can_comment_dialogue(user, dialogue):
    """The provider's own editors, until the dialogue is held or cancelled."""
    return (
        is_editor(user)
        and not is_ministry_user(user)
        and user.organisation_id == dialogue.agreement.provider_id
        and dialogue.step_open("comment")
    )


def can_prepare_dialogue_again(user, dialogue):
    """A new report before the meeting; the earlier one is kept."""
    return _steers(user, dialogue.agreement) and dialogue.step_open("prepare_again")


def can_cancel_dialogue(user, dialogue):
    """Call off a planned or prepared dialogue, with a reason."""
    return _steers(user, dialogue.agreement) and dialogue.step_open("cancel")


def can_delete_dialogue(user, dialogue):
    """Remove a dialogue planned by mistake (no report yet)."""
    return _steers(user, dialogue.agreement) and dialogue.step_open("delete")


def can_see_dialogue_year(user):
    """Which providers have had their dialogues compares providers: ministry only."""
    return is_ministry_user(user)


def can_record_year_end(user, agreement):
    """The official result of each target: the ministry's editors."""
    return _steers(user, agreement)


# The sign workflow: draft/negotiation → final → signed; final → draft again
# (with a reason); signed → a new version (amendment) that starts as a draft.
# Which step is open in which status is the one table
# ``agreements.models.TRANSITIONS`` (asked through ``agreement.step_open``);
# who may take it is decided here: ministry editors only; Träger staff and
# readers only read and print.


def can_finalize_agreement(user, agreement):
    return _steers(user, agreement) and agreement.step_open("finalize")


def can_reopen_agreement(user, agreement):
    return _steers(user, agreement) and agreement.step_open("reopen")


def can_sign_agreement(user, agreement):
    return _steers(user, agreement) and agreement.step_open("sign")


def can_sign_agreement_archive(user, agreement):
    """Start the archive copy's rendering again (signed, not yet archived)."""
    return (
        _steers(user, agreement)
        and agreement.is_signed
        and not agreement.archive_sha256
    )


def can_amend_agreement(user, agreement):
    """Only the latest signed version can be amended, and only once."""
    return (
        _steers(user, agreement)
        and agreement.step_open("amend")
        and not agreement.has_amendment()
    )


def can_edit_figures(user, provider):
    """Whether ``user`` may enter or correct ``provider``'s monthly figures.

    Provider editors enter their own figures; ministry editors may correct
    those of every provider they supervise, but only with a stated reason
    (see ``figure_changes_need_reason``). Readers only read.
    """
    if not is_editor(user):
        return False
    if user.organisation.is_ministry:
        return provider.supervisor_id == user.organisation_id
    return provider.pk == user.organisation_id


def figure_changes_need_reason(user):
    """Ministry corrections of a provider's figures must say why."""
    return is_ministry_user(user)


def providers_with_editable_figures(user):
    """The providers whose figures ``user`` may enter, correct or import."""
    if not is_editor(user):
        return Organisation.objects.none()
    return providers_visible_to(user)


def needs_second_factor(user):
    """Whether ``user`` must confirm each sign-in with a one-time code (TOTP).

    Staff and superusers always; everyone else when their organisation, or the
    ministry that supervises it, requires it.
    """
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    organisation = user.organisation
    if organisation is None:
        return False
    if organisation.requires_second_factor:
        return True
    supervisor = organisation.supervisor
    return supervisor is not None and supervisor.requires_second_factor


# Reporting calendar and the monthly reporting workflow.


def can_edit_reporting_calendar(user, ministry):
    """A ministry's editors set when its providers must report."""
    return (
        is_editor(user)
        and user.organisation_id == ministry.pk
        and (user.organisation.is_ministry)
    )


def can_complete_months(user, provider):
    """A provider's own editors report a month as complete (DHIS2: complete)."""
    return (
        is_editor(user)
        and not user.organisation.is_ministry
        and provider.pk == user.organisation_id
    )


def can_accept_months(user, provider):
    """The supervising ministry's editors accept a complete month (approve)."""
    return (
        is_ministry_user(user)
        and is_editor(user)
        and provider.supervisor_id == user.organisation_id
    )


def can_reopen_months(user, provider):
    """Reopening a complete or accepted month is the ministry's, with a reason."""
    return can_accept_months(user, provider)


def figure_editors(organisations):
    """The active editors of ``organisations``: who is reminded of deadlines.

    A provider's editors enter its figures; a ministry's editors chase
    overdue ones.
    """
    return User.objects.filter(
        organisation__in=organisations, role=Role.EDITOR, is_active=True
    )


def can_import_figures(user):
    """Whether the import is offered (navigation): every editor may import.

    Provider editors import their own figures, ministry editors those of the
    providers they supervise; the import itself checks each row's provider.
    """
    return is_editor(user)


# The ministry's own administration of people (``/benutzer/``): a ministry
# user with ``manages_users`` administers the users of the ministry and of
# its providers, and creates providers. Staff and superusers are left to the
# technical admin.


def can_manage_people(user):
    """Whether ``user`` administers the people of their ministry."""
    return is_ministry_user(user) and user.manages_users


def organisations_managed_by(user):
    """The ministry of a people administrator and its providers."""
    if not can_manage_people(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(pk=user.organisation_id) | Q(supervisor=user.organisation_id)
    )


def people_visible_to(user):
    """The users a people administrator may see and change."""
    if not can_manage_people(user):
        return User.objects.none()
    return User.objects.filter(
        organisation__in=organisations_managed_by(user),
        is_staff=False,
        is_superuser=False,
    )


def providers_managed_by(user):
    """The providers whose basic data a people administrator keeps."""
    return organisations_managed_by(user).filter(kind=OrganisationKind.PROVIDER)


# The steering year: rollover, the state's focus areas, negotiation, annexes,
# reports of the Jobcenters on their qualitative and local targets.


def can_see_year_pages(user):
    """Pages about all providers of a year (rollover, focus areas): the ministry's."""
    return is_ministry_user(user)


def can_roll_over(user):
    """Create next year's agreements for the ministry's providers."""
    return can_edit_agreements(user)


def can_edit_focus_areas(user, ministry):
    """The state's focus areas of a year: the ministry's own editors."""
    return can_edit_agreements(user) and user.organisation_id == ministry.pk


def can_edit_annexes(user, agreement):
    """Upload and remove annexes while the content may still change.

    Ministry editors while the agreement is a draft or in negotiation; the
    provider's own editors while it is in negotiation (the Lokales
    Planungsdokument is theirs).
    """
    if _steers(user, agreement):
        return agreement.is_editable
    return _own_provider_editor(user, agreement) and agreement.is_in_negotiation


def _own_provider_editor(user, agreement):
    return (
        is_editor(user)
        and not is_ministry_user(user)
        and user.organisation_id == agreement.provider_id
    )


def can_propose(user, agreement):
    """Propose target values and comment: the Jobcenter's editors, in negotiation."""
    return _own_provider_editor(user, agreement) and agreement.is_in_negotiation


def negotiation_side(user, agreement):
    """For whom ``user`` may answer in the negotiation: "ministry", "provider"
    or None (readers, and anyone while the agreement is not in negotiation)."""
    if _steers(user, agreement) and agreement.is_in_negotiation:
        return "ministry"
    if can_propose(user, agreement):
        return "provider"
    return None


def can_report_on_targets(user, agreement):
    """Report progress on qualitative and local targets: the Jobcenter's editors.

    The ministry confirms or corrects each report (``can_assess_targets``).
    """
    return _own_provider_editor(user, agreement)
