from django.urls import path

from . import (
    annex_views,
    dialogue_views,
    negotiation_views,
    progress_views,
    result_views,
    rollover_views,
    target_report_views,
    views,
)

app_name = "agreements"

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="list"),
    path("neu/", views.agreement_create, name="create"),
    path("jahreswechsel/", rollover_views.rollover_latest, name="rollover_latest"),
    path(
        "jahreswechsel/<year:year>/",
        rollover_views.rollover_page,
        name="rollover",
    ),
    path(
        "<int:pk>/pruefliste/<int:item_pk>/",
        rollover_views.review_item_tick,
        name="review_item_tick",
    ),
    path(
        "schwerpunkte/<year:year>/",
        rollover_views.focus_areas_edit,
        name="focus_areas",
    ),
    path(
        "schwerpunkte/<year:year>/uebernehmen/",
        rollover_views.focus_areas_copy,
        name="focus_areas_copy",
    ),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="detail"),
    path("<int:pk>/bearbeiten/", views.agreement_update, name="update"),
    path("<int:pk>/pdf/", views.agreement_pdf, name="pdf"),
    path(
        "<int:pk>/fortschritt/",
        progress_views.agreement_progress_page,
        name="progress",
    ),
    path(
        "<int:pk>/vorgaben/<int:target_pk>/einschaetzung/",
        progress_views.target_assess,
        name="target_assess",
    ),
    path(
        "<int:pk>/vorgaben/<int:target_pk>/erklaerung/",
        progress_views.target_explain,
        name="target_explain",
    ),
    path(
        "<int:pk>/vorgaben/<int:target_pk>/bericht/",
        target_report_views.target_report,
        name="target_report",
    ),
    path(
        "<int:pk>/vorgaben/<int:target_pk>/bericht/<int:report_pk>/pruefen/",
        target_report_views.target_report_decide,
        name="target_report_decide",
    ),
    path("<int:pk>/druckansicht/", views.agreement_print_preview, name="preview"),
    path("<int:pk>/endfassung/", views.agreement_finalize, name="finalize"),
    path("<int:pk>/zurueck-zum-entwurf/", views.agreement_reopen, name="reopen"),
    path("<int:pk>/unterzeichnen/", views.agreement_sign, name="sign"),
    path("<int:pk>/aenderung/", views.agreement_amend, name="amend"),
    path("<int:pk>/archiv/", views.agreement_archive, name="archive"),
    path(
        "<int:pk>/archiv-erstellen/",
        views.agreement_archive_retry,
        name="archive_retry",
    ),
    path(
        "<int:pk>/unterschriebene-fassung/",
        views.agreement_signed_copy,
        name="signed_copy",
    ),
    path(
        "<int:pk>/verhandlung/",
        negotiation_views.negotiation_page,
        name="negotiation",
    ),
    path(
        "<int:pk>/verhandlung/vorgaben/<int:target_pk>/vorschlag/",
        negotiation_views.proposal_create,
        name="proposal_create",
    ),
    path(
        "<int:pk>/verhandlung/anmerkung/",
        negotiation_views.comment_create,
        name="comment_create",
    ),
    path(
        "<int:pk>/verhandlung/<int:proposal_pk>/antwort/",
        negotiation_views.proposal_answer,
        name="proposal_answer",
    ),
    path("<int:pk>/vergleich/", negotiation_views.agreement_diff, name="diff"),
    path("<int:pk>/anlagen/neu/", annex_views.annex_upload, name="annex_upload"),
    path(
        "<int:pk>/anlagen/<int:annex_pk>/",
        annex_views.annex_download,
        name="annex_download",
    ),
    path(
        "<int:pk>/anlagen/<int:annex_pk>/entfernen/",
        annex_views.annex_delete,
        name="annex_delete",
    ),
    path("<int:pk>/ziele/neu/", views.goal_edit, name="goal_create"),
    path(
        "<int:pk>/ziele/<int:goal_pk>/bearbeiten/", views.goal_edit, name="goal_update"
    ),
    path(
        "<int:pk>/ziele/<int:goal_pk>/loeschen/", views.goal_delete, name="goal_delete"
    ),
    path(
        "<int:pk>/ziele/<int:goal_pk>/verschieben/", views.goal_move, name="goal_move"
    ),
    path(
        "<int:pk>/ziele/<int:goal_pk>/vorgaben/neu/",
        views.target_edit,
        name="target_create",
    ),
    path(
        "<int:pk>/vorgaben/<int:target_pk>/bearbeiten/",
        views.target_edit,
        name="target_update",
    ),
    path(
        "<int:pk>/vorgaben/<int:target_pk>/zahlen-bestaetigen/",
        views.target_confirm_numbers,
        name="target_confirm_numbers",
    ),
    path(
        "<int:pk>/vorgaben/<int:target_pk>/loeschen/",
        views.target_delete,
        name="target_delete",
    ),
    path(
        "<int:pk>/vorgaben/<int:target_pk>/verschieben/",
        views.target_move,
        name="target_move",
    ),
]

# Steering dialogues and the year-end result (issue 9, items 4 and 5).
urlpatterns += [
    path("dialoge/<year:year>/", dialogue_views.dialogue_year, name="dialogue_year"),
    path("<int:pk>/dialoge/", dialogue_views.dialogue_list, name="dialogues"),
    path(
        "<int:pk>/dialoge/neu/", dialogue_views.dialogue_create, name="dialogue_create"
    ),
    path(
        "<int:pk>/dialoge/<int:dialogue_pk>/",
        dialogue_views.dialogue_detail,
        name="dialogue",
    ),
    path(
        "<int:pk>/dialoge/<int:dialogue_pk>/bearbeiten/",
        dialogue_views.dialogue_update,
        name="dialogue_update",
    ),
    path(
        "<int:pk>/dialoge/<int:dialogue_pk>/vorbereiten/",
        dialogue_views.dialogue_prepare,
        name="dialogue_prepare",
    ),
    path(
        "<int:pk>/dialoge/<int:dialogue_pk>/bericht.pdf",
        dialogue_views.dialogue_report,
        name="dialogue_report",
    ),
    path(
        "<int:pk>/dialoge/<int:dialogue_pk>/neu-erstellen/",
        dialogue_views.dialogue_prepare_again,
        name="dialogue_prepare_again",
    ),
    path(
        "<int:pk>/dialoge/<int:dialogue_pk>/berichte/<int:version_pk>.pdf",
        dialogue_views.dialogue_report_version,
        name="dialogue_report_version",
    ),
    path(
        "<int:pk>/dialoge/<int:dialogue_pk>/absagen/",
        dialogue_views.dialogue_cancel,
        name="dialogue_cancel",
    ),
    path(
        "<int:pk>/dialoge/<int:dialogue_pk>/loeschen/",
        dialogue_views.dialogue_delete,
        name="dialogue_delete",
    ),
    path(
        "<int:pk>/dialoge/<int:dialogue_pk>/anmerkung/",
        dialogue_views.dialogue_comment,
        name="dialogue_comment",
    ),
    path(
        "<int:pk>/dialoge/<int:dialogue_pk>/protokoll/",
        dialogue_views.dialogue_minutes,
        name="dialogue_minutes",
    ),
    path(
        "<int:pk>/dialoge/<int:dialogue_pk>/massnahmen/neu/",
        dialogue_views.action_create,
        name="action_create",
    ),
    path(
        "<int:pk>/dialoge/<int:dialogue_pk>/massnahmen/<int:action_pk>/stand/",
        dialogue_views.action_status,
        name="action_status",
    ),
    path("<int:pk>/jahresergebnis/", result_views.year_end_page, name="year_end"),
    path(
        "<int:pk>/jahresergebnis/<int:target_pk>/korrigieren/",
        result_views.year_end_correct,
        name="year_end_correct",
    ),
]
