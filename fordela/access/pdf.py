"""Checks that an uploaded file really is a PDF (by content, not by name)."""

import io

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

PDF_MAGIC = b"%PDF-"
EOF_MARKER = b"%%EOF"


def validate_pdf(data: bytes, *, max_bytes: int) -> int:
    """Raise ValidationError unless ``data`` is a readable PDF of at most
    ``max_bytes``; return the number of pages."""
    if len(data) > max_bytes:
        raise ValidationError(
            _("The file is too large. The largest size allowed is %(limit)s.")
            % {"limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if not data.startswith(PDF_MAGIC) or EOF_MARKER not in data[-2048:]:
        raise ValidationError(
            _("The file is not a PDF. Scan all pages into one PDF file and try again."),
            code="not_pdf",
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ValidationError(
            _("The PDF file could not be read. It may be damaged; save it again and retry."),
            code="unreadable_pdf",
        ) from error
    if reader.is_encrypted:
        raise ValidationError(
            _("The PDF file is password-protected. Upload a copy without a password."),
            code="encrypted_pdf",
        )
    if pages == 0:
        raise ValidationError(_("The PDF file has no pages."), code="empty_pdf")
    return pages
