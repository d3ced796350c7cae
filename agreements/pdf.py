"""The printed agreement: one template for the PDF and the print preview.

``print_context`` prepares everything the template ``agreements/print/
agreement.html`` shows; ``render_agreement_pdf`` turns it into a tagged
PDF/UA-1 document, ``render_archive_pdf`` into the PDF/A-3b archive copy with
the targets attached as JSON. WeasyPrint is imported inside the functions:
importing it costs half a second, which pages without PDFs should not pay.

WeasyPrint may load stylesheets and fonts from ``static/`` only: the URL
fetcher refuses every other address (other hosts, ``file:``, ``data:``, paths
that climb out of the static folders), so text typed into an agreement can
never make the server read a local file or call out to the network.
"""

import functools
import mimetypes
import posixpath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .printing import print_document

# A host that cannot exist (RFC 2606): relative URLs in the print template
# resolve against it, and the fetcher answers only for its static prefix.
PDF_BASE_URL = "https://zielsteuerung.invalid/"
TEMPLATE = "agreements/print/agreement.html"


class RefusedURL(ValueError):
    """WeasyPrint asked for something outside ``static/``."""


def print_context(agreement, *, printed_on=None, preview=False):
    """What the print template needs; the same for the PDF and the preview."""
    printed_on = printed_on or timezone.localdate()
    context = {
        "doc": print_document(agreement),
        "is_draft": agreement.is_editable,
        "printed_on": printed_on,
        "preview": preview,
    }
    if preview:
        context["agreement_url"] = agreement.get_absolute_url()
        context["pdf_url"] = reverse("agreements:pdf", args=[agreement.pk])
    return context


def render_agreement_html(agreement, *, printed_on=None, preview=False):
    context = print_context(agreement, printed_on=printed_on, preview=preview)
    return render_to_string(TEMPLATE, context)


def render_agreement_pdf(agreement, *, printed_on=None):
    """The agreement as a tagged, accessible PDF (PDF/UA-1), as bytes."""
    html = render_agreement_html(agreement, printed_on=printed_on)
    return html_to_pdf(html, pdf_variant="pdf/ua-1")


def render_archive_pdf(agreement, *, data, name, created, annexes=()):
    """The archive copy: PDF/A-3b with ``data`` (bytes) attached as ``name``.

    ``annexes`` are ``(name, bytes, description)`` of the agreement's annexes,
    attached besides the data as supplements.
    """
    import weasyprint

    html = render_agreement_html(agreement, printed_on=created.date())
    attachments = [
        weasyprint.Attachment(
            string=data,
            name=name,
            description="Zielvorgaben der Vereinbarung (maschinenlesbar, JSON)",
            created=created,
            modified=created,
            relationship="Data",
        )
    ]
    attachments += [
        weasyprint.Attachment(
            string=content,
            name=annex_name,
            description=description,
            created=created,
            modified=created,
            relationship="Supplement",
        )
        for annex_name, content, description in annexes
    ]
    return html_to_pdf(
        html, pdf_variant="pdf/a-3b", pdf_tags=True, attachments=attachments
    )


def html_to_pdf(html, **options):
    """Lay out ``html`` with WeasyPrint, fetching from ``static/`` only."""
    return write_pdf(html, options)


def write_pdf(html, options):
    """The one place WeasyPrint lays out a document: the same ``html`` and
    ``options`` give the same bytes (the tests keep one layout per document)."""
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=static_url_fetcher()
    )
    return document.write_pdf(**options)


@functools.cache
def static_url_fetcher():
    """One fetcher per process; a class built late so weasyprint loads late."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file_for(url)
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            with open(path, "rb") as file:
                body = file.read()
            return URLFetcherResponse(url, body, headers={"Content-Type": content_type})

    return StaticOnlyURLFetcher(fail_on_errors=False)


def static_file_for(url):
    """The file in ``static/`` that ``url`` names; RefusedURL for anything else."""
    prefix = urljoin(PDF_BASE_URL, settings.STATIC_URL)
    if not url.startswith(prefix) or urlsplit(url).query:
        raise RefusedURL(url)
    name = unquote(urlsplit(url).path[len(urlsplit(prefix).path) :])
    normal = posixpath.normpath(name)
    if normal != name or normal.startswith(("/", "..")) or "\\" in name:
        raise RefusedURL(url)
    try:
        path = finders.find(normal)
        if path is None and staticfiles_storage.exists(normal):
            path = staticfiles_storage.path(normal)
    except SuspiciousFileOperation as error:
        raise RefusedURL(url) from error
    if path is None:
        raise RefusedURL(url)
    return path
