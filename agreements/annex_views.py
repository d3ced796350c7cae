"""Annexes of an agreement: upload, download, remove.

Fetched through ``Agreement.objects.visible_to`` (another provider: 404);
writing asks ``policy.can_edit_annexes`` (403 otherwise).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from zielsteuerung.accounts import policy

from . import annexes
from .annex_forms import AnnexForm
from .models import Agreement, Annex


def _agreement_for(request, pk, *, edit=False):
    agreement = get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("provider"), pk=pk
    )
    if edit and not policy.can_edit_annexes(request.user, agreement):
        raise PermissionDenied(_("Sie dürfen die Anlagen nicht ändern."))
    return agreement


def annex_upload(request, pk):
    agreement = _agreement_for(request, pk, edit=True)
    form = AnnexForm(
        request.POST or None,
        request.FILES or None,
        instance=Annex(agreement=agreement),
    )
    if request.method == "POST" and form.is_valid():
        annexes.annex_add(
            agreement=agreement,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            acting_user=request.user,
        )
        messages.success(request, _("Die Anlage wurde hochgeladen."))
        return redirect(f"{agreement.get_absolute_url()}#anlagen")
    return render(
        request,
        "agreements/annexes/upload.html",
        {"agreement": agreement, "form": form},
    )


def annex_download(request, pk, annex_pk):
    """The annex as uploaded; only for those who may read the agreement."""
    agreement = _agreement_for(request, pk)
    annex = get_object_or_404(agreement.annexes, pk=annex_pk)
    return FileResponse(
        annex.file.open("rb"),
        as_attachment=True,
        filename=annexes.attachment_name(annex, annex.position + 1),
        content_type="application/pdf",
    )


def annex_delete(request, pk, annex_pk):
    agreement = _agreement_for(request, pk, edit=True)
    annex = get_object_or_404(agreement.annexes, pk=annex_pk)
    if request.method == "POST":
        annexes.annex_delete(annex=annex, acting_user=request.user)
        messages.success(request, _("Die Anlage wurde entfernt."))
        return redirect(f"{agreement.get_absolute_url()}#anlagen")
    return render(
        request,
        "agreements/confirm_delete.html",
        {"agreement": agreement, "object": annex, "kind": _("die Anlage")},
    )
