"""Final and signed agreements are locked on every ORM path; the workflow's
steps come from one table; the signed copy keeps its SHA-256; users are never
deleted, so every history keeps their names."""

import hashlib
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import services
from agreements.history import agreement_history
from agreements.models import (
    TRANSITIONS,
    Agreement,
    AgreementLockedError,
    AgreementStatus,
    FocusArea,
    Goal,
    Party,
    Step,
    Target,
)
from tests.conftest import SIGNATURES, scanned_pdf_bytes, scanned_upload
from zielsteuerung.accounts import policy
from zielsteuerung.accounts.models import User, UserDeletionRefused


@pytest.fixture(params=["final", "signed"])
def locked_agreement(request):
    return request.getfixturevalue(f"{request.param}_agreement")


def _parts(agreement):
    goal = Goal.objects.get(agreement=agreement)
    return goal, Target.objects.get(goal=goal), agreement.parties.first()


def _refused(change):
    with pytest.raises(AgreementLockedError):
        change()


def test_locked_agreement_refuses_save_and_delete(locked_agreement):
    agreement = Agreement.objects.get(pk=locked_agreement.pk)
    goal, target, party = _parts(agreement)
    agreement.preamble = "Geändert"
    goal.title = "Neu"
    target.target_value = Decimal(30)
    party.representative_name = "Jemand anders"
    for change in (
        agreement.save,
        agreement.delete,
        goal.save,
        goal.delete,
        target.save,
        target.delete,
        party.save,
        party.delete,
        lambda: FocusArea.objects.create(
            ministry=agreement.provider.supervisor, year=agreement.year, title="Neu"
        ),
        lambda: Goal.objects.create(agreement=agreement, number="IX", title="X"),
        lambda: Target.objects.create(goal=goal, kind="qualitative", sentence="X"),
    ):
        _refused(change)
    assert Target.objects.get(pk=target.pk).target_value == Decimal("25.4")


def test_locked_agreement_refuses_every_bulk_path(locked_agreement):
    agreement = locked_agreement
    goal, target, _party = _parts(agreement)
    target.target_value = Decimal(99)
    for change in (
        lambda: Agreement.objects.filter(pk=agreement.pk).update(preamble="x"),
        lambda: Agreement.objects.filter(pk=agreement.pk).delete(),
        lambda: Target.objects.filter(goal=goal).update(sentence="x"),
        lambda: Goal.objects.filter(agreement=agreement).delete(),
        lambda: Party.objects.filter(agreement=agreement).update(signing_place="x"),
        lambda: Target.objects.bulk_update([target], ["target_value"]),
        lambda: Target.objects.bulk_create(
            [Target(goal=goal, kind="qualitative", sentence="neu")]
        ),
        lambda: Goal.objects.bulk_create(
            [Goal(agreement=agreement, number="IX", title="X")], ignore_conflicts=True
        ),
        # The probe's path: an upsert over the signed target's primary key.
        lambda: Target.objects.bulk_create(
            [Target(pk=target.pk, goal=goal, kind="level", target_value=99)],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["target_value"],
        ),
    ):
        _refused(change)
    assert Target.objects.get(pk=target.pk).target_value == Decimal("25.4")


def test_upsert_from_a_draft_cannot_overwrite_a_locked_row(
    locked_agreement, borken_agreement
):
    """The new row names a draft's goal, the row it would overwrite is locked."""
    _goal, target, party = _parts(locked_agreement)
    draft_goal = Goal.objects.create(agreement=borken_agreement, number="I", title="X")
    _refused(
        lambda: Target.objects.bulk_create(
            [Target(pk=target.pk, goal=draft_goal, kind="level", target_value=99)],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["target_value", "goal"],
        )
    )
    _refused(
        lambda: Party.objects.bulk_create(
            [
                Party(
                    agreement=locked_agreement,
                    role=party.role,
                    organisation=party.organisation,
                    name="Überschrieben",
                )
            ],
            update_conflicts=True,
            unique_fields=["agreement", "role"],
            update_fields=["name"],
        )
    )
    assert Target.objects.get(pk=target.pk).goal.agreement_id == locked_agreement.pk
    assert Party.objects.get(pk=party.pk).name == party.name


def test_parts_cannot_be_moved_into_a_locked_agreement(
    locked_agreement, borken_agreement
):
    goal = Goal.objects.create(agreement=borken_agreement, number="I", title="X")
    locked_goal, _target, _party = _parts(locked_agreement)
    _refused(lambda: Goal.objects.filter(pk=goal.pk).update(agreement=locked_agreement))
    _refused(lambda: Target.objects.filter(goal=goal).update(goal_id=locked_goal.pk))
    goal.agreement = locked_agreement
    _refused(lambda: Goal.objects.bulk_update([goal], ["agreement"]))
    _refused(goal.save)


def test_drafts_stay_writable_on_every_path(agreement):
    goal = Goal.objects.get(agreement=agreement)
    target = Target.objects.get(goal=goal)
    target.target_value = Decimal(26)
    Target.objects.bulk_update([target], ["target_value"])
    Target.objects.bulk_create(
        [
            Target(
                pk=target.pk,
                goal=goal,
                kind="level",
                indicator="k2",
                comparator="gte",
                target_value=27,
            )
        ],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["target_value"],
    )
    Goal.objects.filter(pk=goal.pk).update(title="Neu")
    assert Target.objects.get(pk=target.pk).target_value == 27


def test_final_agreement_moves_only_along_the_table(final_agreement, ministry_user):
    """Content is frozen, but the steps reopen and sign still work."""
    agreement = Agreement.objects.get(pk=final_agreement.pk)
    agreement.status = AgreementStatus.NEGOTIATION  # not a step of the table
    _refused(agreement.save)
    agreement = services.agreement_reopen(
        agreement=final_agreement, acting_user=ministry_user, reason="Nachverhandelt"
    )
    assert agreement.status == AgreementStatus.DRAFT
    agreement = services.agreement_finalize(
        agreement=agreement, acting_user=ministry_user
    )
    agreement = services.agreement_sign(
        agreement=agreement,
        acting_user=ministry_user,
        signatures=SIGNATURES,
        signed_copy=scanned_upload(),
    )
    assert agreement.status == AgreementStatus.SIGNED
    party = agreement.parties.get(role="ministry")
    assert party.signing_place == "Düsseldorf"


def test_a_draft_cannot_jump_to_signed(agreement):
    agreement.status = AgreementStatus.SIGNED
    _refused(agreement.save)


def test_policy_and_services_read_the_same_table(agreement, ministry_user):
    """Each step is open exactly in the statuses the table names."""
    checks = {
        Step.FINALIZE: policy.can_finalize_agreement,
        Step.REOPEN: policy.can_reopen_agreement,
        Step.SIGN: policy.can_sign_agreement,
    }
    for status in AgreementStatus:
        probe = Agreement(provider=agreement.provider, year=2014, status=status)
        for step in Step:
            expected = status in TRANSITIONS[step][0]
            assert probe.step_open(step) == expected, (status, step)
            if step in checks:
                assert checks[step](ministry_user, probe) == expected, (status, step)


def test_admin_shows_final_agreement_read_only(admin_client, final_agreement):
    change_url = reverse("admin:agreements_agreement_change", args=[final_agreement.pk])
    content = admin_client.get(change_url).content.decode()
    assert 'name="_save"' not in content
    assert 'name="preamble"' not in content
    assert admin_client.post(change_url, {"preamble": "x"}).status_code == 403
    goal = Goal.objects.get(agreement=final_agreement)
    goal_url = reverse("admin:agreements_goal_change", args=[goal.pk])
    assert 'name="_save"' not in admin_client.get(goal_url).content.decode()
    delete_url = reverse("admin:agreements_goal_delete", args=[goal.pk])
    assert admin_client.get(delete_url).status_code == 403


def test_signed_copy_keeps_its_sha256_and_shows_it(
    client_for, ministry_user, final_agreement
):
    content = scanned_pdf_bytes(pages=2)
    services.agreement_sign(
        agreement=final_agreement,
        acting_user=ministry_user,
        signatures=SIGNATURES,
        signed_copy=scanned_upload(content),
    )
    agreement = Agreement.objects.get(pk=final_agreement.pk)
    digest = hashlib.sha256(content).hexdigest()
    assert agreement.signed_copy_sha256 == digest
    client = client_for(ministry_user)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert digest in page
    download = client.get(reverse("agreements:signed_copy", args=[agreement.pk]))
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == digest


def test_users_are_never_deleted_and_history_keeps_their_names(
    agreement, ministry_user
):
    ministry_user.first_name, ministry_user.last_name = "Alice", "Amsel"
    ministry_user.save()
    services.agreement_finalize(agreement=agreement, acting_user=ministry_user)
    with pytest.raises(UserDeletionRefused):
        ministry_user.delete()
    with pytest.raises(UserDeletionRefused):
        User.objects.filter(pk=ministry_user.pk).delete()
    assert User.objects.filter(pk=ministry_user.pk).exists()
    users = {entry.user for entry in agreement_history(agreement)}
    assert "Alice Amsel" in users


def test_a_signed_agreement_takes_its_archive_once_and_nothing_else(
    final_agreement, ministry_user
):
    signed = services.agreement_sign(
        agreement=final_agreement,
        acting_user=ministry_user,
        signatures=SIGNATURES,
        signed_copy=scanned_upload(),
    )
    assert signed.archive_sha256 == ""  # the worker renders it after the commit
    agreement = Agreement.objects.get(pk=signed.pk)
    agreement.archive_sha256, agreement.preamble = "a" * 64, "Geändert"
    _refused(agreement.save)  # not with other content
    services.agreement_archive_render(agreement=signed)
    agreement = Agreement.objects.get(pk=signed.pk)
    first = agreement.archive_sha256
    assert len(first) == 64
    agreement.archive_sha256 = "b" * 64
    _refused(agreement.save)  # and only once
    services.agreement_archive_render(agreement=signed)  # a retry changes nothing
    assert Agreement.objects.get(pk=signed.pk).archive_sha256 == first
