"""The one way a stored file (an uploaded attachment, a decision letter) is
served: as a download the browser saves, never as a page it renders.

An uploaded PDF may carry scripts that the validators did not recognise, and
a browser that showed it inline would run them on the e-service's own origin.
So the response says ``attachment``, forbids type sniffing, puts anything
opened anyway in a sandbox with nothing allowed, and is kept in no shared
cache.
"""

import unicodedata
import urllib.parse

from django.http import FileResponse

# Characters that cannot stand in a quoted header value or a file name.
UNSAFE_IN_NAME = '"\\/;:*?<>|'


def file_download(file, filename: str, content_type: str = "application/pdf") -> FileResponse:
    """A download of the stored ``file`` (a ``FieldFile``) under ``filename``."""
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def content_disposition(filename: str) -> str:
    """``attachment`` under ``filename``: a name any client reads (ASCII,
    nothing that ends the quoted value) and, when that had to change it, the
    exact name in UTF-8 as well (RFC 6266, RFC 5987). "Intyg för Ale.pdf" is
    ``filename="Intyg for Ale.pdf"; filename*=UTF-8''Intyg%20f%C3%B6r%20Ale.pdf``."""
    name = "".join(c for c in filename if unicodedata.category(c)[0] != "C").strip() or "file"
    decomposed = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = "".join("_" if c in UNSAFE_IN_NAME else c for c in decomposed).strip() or "file"
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=UTF-8''{urllib.parse.quote(name, safe='')}"
    return header
