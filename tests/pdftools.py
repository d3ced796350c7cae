"""Reading PDFs in tests: text per page (poppler's pdftotext) and metadata (pypdf)."""

import io
import re
import subprocess

from pypdf import PdfReader


def pdf_pages(data):
    """The text of each page, as pdftotext lays it out."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    pages = result.stdout.decode().split("\f")
    return [page for page in pages if page.strip()]


def normalise(text):
    """Undo line breaks and hyphenation so sentences can be searched for."""
    text = re.sub(r"\u2010\s*\n\s*", "", text)  # hyphenation WeasyPrint added
    text = re.sub(r"-\s*\n\s*", "-", text)  # a real hyphen at the end of a line
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(data):
    return normalise("\n".join(pdf_pages(data)))


def pdf_reader(data):
    return PdfReader(io.BytesIO(data))


def xmp(data):
    """The XMP metadata packet of the document, as text."""
    metadata = pdf_reader(data).trailer["/Root"]["/Metadata"].get_object()
    return metadata.get_data().decode()
