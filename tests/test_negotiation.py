"""Negotiation: the Jobcenter proposes, the ministry answers; the version diff."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements import negotiation, services
from agreements.diff import compare, document_state, word_diff
from agreements.models import (
    AgreementLockedError,
    AgreementStatus,
    LandTarget,
    Proposal,
    ProposalRound,
    ProposalStatus,
    RoundAction,
    Target,
)
from tests import factories
from tests.conftest import months

pytestmark = pytest.mark.django_db


@pytest.fixture
def negotiating(coesfeld, borken, put_figures, ministry):
    """Coesfeld's 2024 agreement in negotiation; Borken's 2024 one in force.

    Both have a K3 target (change of Ø LZB, lower is better) and figures
    from December 2018 to December 2023; the Land agreed −3,0 % with the Bund.
    """
    agreement = factories.agreement(coesfeld, 2024)
    goal = factories.goal(agreement, number="III", title="Langzeitbezug")
    factories.change_target(goal, "k3", "-2.0", comparator="lte")
    factories.target(
        goal,
        kind="count",
        local=True,
        unit="persons",
        subject="die Zahl der Umwandlungen",
        target_value="20",
        comparator="gte",
    )
    other = factories.agreement(borken, 2024)
    factories.change_target(factories.goal(other), "k3", "-4.0", comparator="lte")
    for provider, stock in ((coesfeld, "3500"), (borken, "6000")):
        values = months(2018, 12, 61, stock)
        values.update(months(2023, 1, 12, str(int(stock) - 100)))
        put_figures(provider, "lzb", values)
    LandTarget.objects.create(
        ministry=ministry,
        year=2024,
        indicator="k3",
        aspect="change",
        comparator="lte",
        target_value=Decimal("-3.0"),
    )
    return agreement


def _k3(agreement):
    return Target.objects.get(goal__agreement=agreement, indicator="k3")


def _url(name, *args):
    return reverse(f"agreements:{name}", args=args)


def _text(response):
    """The page as one line, without the words only screen readers hear."""
    html = response.content.decode().replace("\xa0", " ")
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    return re.sub(r"\s+", " ", html)


def test_coesfeld_proposes_the_ministry_counters_coesfeld_accepts(
    client_for, coesfeld_user, ministry_user, negotiating
):
    agreement, target = negotiating, _k3(negotiating)
    jobcenter = client_for(coesfeld_user)
    page = _text(jobcenter.get(_url("negotiation", agreement.pk)))
    assert "Wert vorschlagen" in page
    assert "Landesziel" not in page  # comparing providers is the ministry's
    response = jobcenter.post(
        _url("proposal_create", agreement.pk, target.pk),
        {"value": "-1,5", "comment": "Der Bestand sinkt langsamer."},
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.OPEN

    ministry = client_for(ministry_user)
    page = _text(ministry.get(_url("negotiation", agreement.pk)))
    # The proposal beside the current value, with reference values.
    assert "Geltender Zielwert: <strong>höchstens −2 %</strong>" in page
    assert "Runde 1: Vorschlag</span> – <strong>−1,5 %</strong>" in page
    assert "Der Bestand sinkt langsamer." in page
    assert "Ergebnis 2023" in page
    assert "Land (2 Träger)" in page
    assert "Verlauf der letzten drei Jahre" in page
    assert "2021: 0,0 % · 2022: 0,0 % · 2023: −2,9 %" in page
    # The Land target implied now and if the proposal were accepted.
    (line,) = page_land(ministry, agreement)
    assert line.implied.computable
    assert line.if_accepted.value > line.implied.value
    assert "Landesziel aus den Trägerzielen" in page

    answer = _url("proposal_answer", agreement.pk, proposal.pk)
    assert ministry.get(answer).status_code == 200
    response = ministry.post(
        answer, {"action": "counter", "value": "-1,8", "comment": "Treffen wir uns."}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.target_value == Decimal("-2.0")  # a counter changes nothing yet

    jobcenter = client_for(coesfeld_user)  # one test client: sign in again
    response = jobcenter.post(answer, {"action": "accept", "comment": "Einverstanden."})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.target_value == Decimal("-1.8")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    rounds = list(proposal.rounds.all())
    assert [(r.number, r.side, r.action, r.value) for r in rounds] == [
        (1, "provider", "propose", Decimal("-1.5")),
        (2, "ministry", "counter", Decimal("-1.8")),
        (3, "provider", "accept", Decimal("-1.8")),
    ]
    assert [r.author for r in rounds] == [coesfeld_user, ministry_user, coesfeld_user]
    assert rounds[2].current_value == Decimal("-2.0")
    history = target.history.first()
    assert history.history_change_reason == "Vorschlag angenommen (Runde 3)"
    assert history.history_user == coesfeld_user

    # The diff shows the value change of round 3.
    ministry = client_for(ministry_user)
    diff = _text(ministry.get(_url("diff", agreement.pk) + f"?runde={rounds[2].pk}"))
    assert "höchstens −2 %</del>" in diff
    assert "höchstens −1,8 %</ins>" in diff
    assert "um mindestens <del>2</del><ins>1,8</ins> % sinkt" in diff
    # … and so does the diff of the state before the negotiation with today.
    first = rounds[0]
    jobcenter = client_for(coesfeld_user)
    since = _text(
        jobcenter.get(
            _url("diff", agreement.pk) + f"?mit={agreement.pk}&stand={first.pk}"
        )
    )
    assert "höchstens −1,8 %</ins>" in since


def page_land(client, agreement):
    response = client.get(_url("negotiation", agreement.pk))
    return response.context["land_lines"]


def test_borken_gets_404_on_all_of_coesfelds_negotiation(
    client_for, coesfeld_user, borken_user, ministry_user, negotiating
):
    target = _k3(negotiating)
    proposal = negotiation.proposal_open(
        agreement=negotiating,
        target=target,
        value=Decimal("-1.5"),
        comment="",
        acting_user=coesfeld_user,
    )
    round_ = proposal.rounds.get()
    borken = client_for(borken_user)
    pk = negotiating.pk
    for url in [
        _url("negotiation", pk),
        _url("proposal_create", pk, target.pk),
        _url("comment_create", pk),
        _url("proposal_answer", pk, proposal.pk),
        _url("diff", pk),
        _url("diff", pk) + f"?mit={pk}&stand={round_.pk}",
        _url("diff", pk) + f"?runde={round_.pk}",
    ]:
        assert borken.get(url).status_code == 404, url
        assert borken.post(url, {"action": "accept", "value": "1"}).status_code == 404
    # Borken's own agreement cannot reach Coesfeld's rounds either.
    own = factories.agreement(borken_user.organisation, 2023)
    assert borken.get(_url("diff", own.pk) + f"?runde={round_.pk}").status_code == 404
    assert borken.get(_url("diff", own.pk) + f"?mit={pk}").status_code == 404
    target.refresh_from_db()
    assert target.target_value == Decimal("-2.0")


@pytest.mark.parametrize(
    ("user_fixture", "page", "propose", "answer"),
    [
        ("ministry_user", 200, 403, 302),
        ("ministry_reader", 200, 403, 403),
        ("coesfeld_user", 200, 302, 200),  # own proposal: only a comment form
        ("borken_user", 404, 404, 404),
    ],
)
def test_negotiation_pages_for_every_user(
    request, client_for, coesfeld_user, negotiating, user_fixture, page, propose, answer
):
    target = _k3(negotiating)
    proposal = negotiation.proposal_open(
        agreement=negotiating,
        target=target,
        value=Decimal("-1.5"),
        comment="",
        acting_user=coesfeld_user,
    )
    client = client_for(request.getfixturevalue(user_fixture))
    pk = negotiating.pk
    assert client.get(_url("negotiation", pk)).status_code == page
    other = Target.objects.get(goal__agreement=negotiating, kind="count")
    response = client.post(_url("proposal_create", pk, other.pk), {"value": "25"})
    assert response.status_code == propose
    response = client.post(
        _url("proposal_answer", pk, proposal.pk), {"action": "reject"}
    )
    assert response.status_code == answer
    proposal.refresh_from_db()
    rejected = user_fixture == "ministry_user"
    assert (proposal.status == ProposalStatus.REJECTED) == rejected
    comment = client.post(
        _url("comment_create", pk), {"place": "section:preamble", "comment": "Kürzer?"}
    )
    assert comment.status_code == propose


def test_the_side_that_made_the_offer_cannot_accept_it(
    client_for, coesfeld_user, ministry_user, negotiating
):
    proposal = negotiation.proposal_open(
        agreement=negotiating,
        target=_k3(negotiating),
        value=Decimal("-1.5"),
        comment="",
        acting_user=coesfeld_user,
    )
    assert negotiation.allowed_actions(proposal, "provider") == [RoundAction.COMMENT]
    with pytest.raises(negotiation.NegotiationError):
        negotiation.proposal_respond(
            proposal=proposal, action="accept", acting_user=coesfeld_user
        )
    response = client_for(coesfeld_user).post(
        _url("proposal_answer", negotiating.pk, proposal.pk), {"action": "accept"}
    )
    assert "ist keine gültige Auswahl" in response.content.decode()
    with pytest.raises(negotiation.NegotiationError, match="schon ein Vorschlag"):
        negotiation.proposal_open(
            agreement=negotiating,
            target=_k3(negotiating),
            value=Decimal("-1.0"),
            comment="",
            acting_user=coesfeld_user,
        )


def test_an_accepted_value_goes_through_the_target_validation(
    client_for, coesfeld_user, ministry_user, negotiating
):
    count = Target.objects.get(goal__agreement=negotiating, kind="count")
    proposal = negotiation.proposal_open(
        agreement=negotiating,
        target=count,
        value=Decimal("-5"),
        comment="",
        acting_user=coesfeld_user,
    )
    response = client_for(ministry_user).post(
        _url("proposal_answer", negotiating.pk, proposal.pk), {"action": "accept"}
    )
    assert response.status_code == 200
    assert "Der Wert lässt sich nicht übernehmen" in response.content.decode()
    assert "Anzahlen können nicht negativ sein" in response.content.decode()
    count.refresh_from_db()
    assert count.target_value == 20
    proposal.refresh_from_db()
    assert proposal.is_open
    assert proposal.rounds.count() == 1  # the failed round left nothing


def test_accepting_a_level_drops_the_change_it_no_longer_means(
    ministry_user, coesfeld_user, agreement
):
    agreement.status = AgreementStatus.NEGOTIATION
    agreement.save()
    target = Target.objects.get(goal__agreement=agreement)  # 22,5 % → 25,4 % (+12,9 %)
    proposal = negotiation.proposal_open(
        agreement=agreement,
        target=target,
        value=Decimal("24.8"),
        comment="",
        acting_user=coesfeld_user,
    )
    negotiation.proposal_respond(
        proposal=proposal, action="accept", acting_user=ministry_user
    )
    target.refresh_from_db()
    assert target.target_value == Decimal("24.8")
    assert target.target_change is None  # +10,2 % now follows from the fields


def test_jobcenter_comments_on_a_text_and_the_ministry_closes_it(
    client_for, coesfeld_user, ministry_user, negotiating
):
    jobcenter = client_for(coesfeld_user)
    form = jobcenter.get(_url("comment_create", negotiating.pk))
    assert "Präambel" in form.content.decode()
    refused = jobcenter.post(_url("comment_create", negotiating.pk), {"place": ""})
    assert refused.status_code == 200
    assert "Fehler: " in refused.content.decode()
    target = _k3(negotiating)
    response = jobcenter.post(
        _url("comment_create", negotiating.pk),
        {"place": f"target:{target.pk}", "comment": "Bitte Ø statt Dezember."},
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.about == "Ziel III: K3 Ø Langzeitbeziehende"
    ministry = client_for(ministry_user)
    answer = _url("proposal_answer", negotiating.pk, proposal.pk)
    response = ministry.post(answer, {"action": "comment", "comment": ""})
    assert "Bitte die Anmerkung eintragen." in response.content.decode()
    ministry.post(answer, {"action": "comment", "comment": "Ist geändert."})
    ministry.post(answer, {"action": "close"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CLOSED
    assert [r.action for r in proposal.rounds.all()] == ["comment", "comment", "close"]


def test_no_proposals_outside_the_negotiation(client_for, coesfeld_user, agreement):
    """A draft is the ministry's: the Jobcenter reads it but proposes nothing."""
    target = Target.objects.get(goal__agreement=agreement)
    client = client_for(coesfeld_user)
    assert client.get(_url("negotiation", agreement.pk)).status_code == 200
    url = _url("proposal_create", agreement.pk, target.pk)
    assert client.post(url, {"value": "25"}).status_code == 403


def test_negotiation_page_queries_do_not_grow_with_proposals(
    client_for, coesfeld_user, ministry_user, negotiating, django_assert_max_num_queries
):
    goal = negotiating.goals.get()
    for number in range(6):
        target = factories.change_target(goal, "k3", f"-{number}.5", comparator="lte")
        negotiation.proposal_open(
            agreement=negotiating,
            target=target,
            value=Decimal("-1.0"),
            comment="",
            acting_user=coesfeld_user,
        )
    client = client_for(ministry_user)
    with django_assert_max_num_queries(13):
        response = client.get(_url("negotiation", negotiating.pk))
    assert len(response.context["threads"]) == 6


def test_rounds_of_a_signed_agreement_are_locked(
    coesfeld_user, ministry_user, agreement
):
    agreement.status = AgreementStatus.NEGOTIATION
    agreement.save()
    proposal = negotiation.proposal_open(
        agreement=agreement,
        target=Target.objects.get(goal__agreement=agreement),
        value=Decimal("25.0"),
        comment="",
        acting_user=coesfeld_user,
    )
    services.agreement_finalize(agreement=agreement, acting_user=ministry_user)
    from .conftest import SIGNATURES, scanned_upload

    services.agreement_sign(
        agreement=agreement,
        acting_user=ministry_user,
        signatures=SIGNATURES,
        signed_copy=scanned_upload(),
    )
    item = proposal.rounds.get()
    for change in [
        item.save,
        item.delete,
        proposal.save,
        lambda: ProposalRound.objects.filter(pk=item.pk).update(comment="x"),
    ]:
        with pytest.raises(AgreementLockedError):
            change()


# --- the version diff -------------------------------------------------------------


def test_diff_between_an_amendment_and_the_signed_agreement(
    client_for, ministry_user, coesfeld_user, borken_user, signed_agreement
):
    amendment = services.agreement_amend(
        agreement=signed_agreement, acting_user=ministry_user
    )
    amendment.preamble = "Die Partner arbeiten eng zusammen."
    amendment.save()
    target = Target.objects.get(goal__agreement=amendment)
    target.target_value = Decimal("25.6")
    target.target_change = None
    target.save()
    url = _url("diff", amendment.pk)
    for user in (ministry_user, coesfeld_user):
        response = client_for(user).get(url, follow=True)
        page = _text(response)
        assert f"?mit={signed_agreement.pk}" in response.redirect_chain[0][0]
        assert "Fassung 1 (Unterzeichnet) (alt) → Fassung 2 (Entwurf) (neu)" in page
        assert (
            "<td><del>mindestens 25,4 %</del></td><td><ins>mindestens 25,6 %</ins>"
            in page
        )
        assert "<ins>Die Partner arbeiten eng zusammen.</ins>" in page
        assert "mindestens <del>25,4</del><ins>25,6</ins> % beträgt" in page
    assert client_for(borken_user).get(url).status_code == 404


def test_diff_compares_only_versions_of_the_same_provider_and_year(
    client_for, ministry_user, agreement, borken_agreement, coesfeld
):
    client = client_for(ministry_user)
    later = factories.agreement(coesfeld, 2015)
    for other in (borken_agreement, later):
        url = _url("diff", agreement.pk) + f"?mit={other.pk}"
        assert client.get(url).status_code == 404
    page = client.get(_url("diff", agreement.pk))
    assert page.status_code == 200
    assert "keine andere Fassung" in page.content.decode()


def test_words_are_marked_as_inserted_and_deleted():
    assert word_diff("um mindestens 12,6 % steigt", "um mindestens 13,0 % steigt") == [
        ("", "um mindestens "),
        ("del", "12,6"),
        ("ins", "13,0"),
        ("", " % steigt"),
    ]
    assert word_diff("Die Quote steigt.", "Die Quote sinkt deutlich.") == [
        ("", "Die Quote "),
        ("del", "steigt"),
        ("ins", "sinkt deutlich"),
        ("", "."),
    ]
    assert word_diff("", "neu") == [("ins", "neu")]


def test_compare_aligns_blocks_by_what_they_are(ministry_user, agreement):
    before = document_state(agreement)
    goal = factories.goal(agreement, number="III", title="Neu")
    factories.target(goal, kind="qualitative", sentence="Ein Konzept.")
    after = document_state(agreement)
    comparison = compare(before, after)
    assert [(b.label, b.change) for b in comparison.changed] == [
        ("Ziel III", "added"),
        ("Ziel III: Ein Konzept.", "added"),
    ]
    assert compare(after, after).changed == []


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("ministry_user", 200),
        ("ministry_reader", 200),
        ("coesfeld_user", 200),
        ("borken_user", 404),
    ],
)
def test_diff_for_every_user(
    request, client_for, ministry_user, signed_agreement, user_fixture, status
):
    amendment = services.agreement_amend(
        agreement=signed_agreement, acting_user=ministry_user
    )
    client = client_for(request.getfixturevalue(user_fixture))
    url = _url("diff", amendment.pk) + f"?mit={signed_agreement.pk}"
    assert client.get(url).status_code == status
