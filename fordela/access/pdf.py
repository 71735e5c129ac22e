"""Checks that an uploaded file really is a PDF (by content, not by name), and
one the agency can open safely: it does not inflate without bound ("zip
bomb") and carries no active content (scripts, automatic actions, embedded
files).

The check reads the PDF's structure with pypdf under tight limits and walks
its objects without decoding them; only the size streams inflate to is
measured, a piece at a time, so neither time nor memory grows with what a
stream claims to hold."""

import io
import zlib
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.filters import decode_stream_data
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

PDF_MAGIC = b"%PDF-"
EOF_MARKER = b"%%EOF"

# What the streams of one PDF may inflate to, all together. Images are not
# counted: only image decoders unpack them, to the size their /Width and
# /Height declare, and scanned pages inflate far.
MAX_UNPACKED_BYTES = 100 * 2**20
# The most pypdf itself inflates of one stream: the cross-reference and
# object streams it reads the structure from, and streams whose filters are
# not Flate alone (those are seldom, and small).
MAX_DECODED_STREAM_BYTES = 8 * 2**20
# The most objects (dictionaries, arrays and their entries) walked in one PDF.
MAX_OBJECTS = 1_000_000

READ_LIMITS = {
    "zlib_maximum_output_length": MAX_DECODED_STREAM_BYTES,
    "lzw_maximum_output_length": MAX_DECODED_STREAM_BYTES,
    "run_length_maximum_output_length": MAX_DECODED_STREAM_BYTES,
    "brotli_maximum_output_length": MAX_DECODED_STREAM_BYTES,
    "array_based_stream_maximum_output_length": MAX_DECODED_STREAM_BYTES,
    "stream_decoding_work_maximum_length": 4 * MAX_DECODED_STREAM_BYTES,
    "jbig2dec_binary": None,  # never start a program on an uploaded file
}

# Active content (ISO 32000-2): entries only scripts, automatic actions,
# embedded files, rich media and XFA forms have ...
ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EF", "/RichMediaContent", "/XFA"}
)
# ... actions (/S) that run something rather than go somewhere ...
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"})
# ... and objects (/Type, /Subtype) that are files or players.
ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment", "/RichMedia"})

FLATE = frozenset({"/FlateDecode", "/Fl"})
IMAGE_CODECS = frozenset(
    {"/DCTDecode", "/DCT", "/JPXDecode", "/CCITTFaxDecode", "/CCF", "/JBIG2Decode"}
)
PIECE_BYTES = 64 * 1024


def validate_pdf(data: bytes, *, max_bytes: int) -> int:
    """Raise ValidationError unless ``data`` is a readable PDF of at most
    ``max_bytes`` that unpacks to a bounded size and has no active content;
    return the number of pages."""
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
    with apply_configuration(**READ_LIMITS):
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise ValidationError(
                    _("The PDF file is password-protected. Upload a copy without a password."),
                    code="encrypted_pdf",
                )
            pages = len(reader.pages)
            _check_objects(reader)
        except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
            if _reached_a_limit(error):
                raise _too_large_unpacked() from error
            raise _unreadable() from error
    if pages == 0:
        raise ValidationError(_("The PDF file has no pages."), code="empty_pdf")
    return pages


def _reached_a_limit(error: BaseException | None) -> bool:
    """Whether ``error`` is, or came from, one of READ_LIMITS (pypdf wraps
    some in a PdfReadError)."""
    while error is not None:
        if isinstance(error, LimitReachedError):
            return True
        error = error.__cause__ or error.__context__
    return False


def _unreadable() -> ValidationError:
    return ValidationError(
        _("The PDF file could not be read. It may be damaged; save it again and retry."),
        code="unreadable_pdf",
    )


def _too_large_unpacked() -> ValidationError:
    return ValidationError(
        _(
            "The PDF is too large when unpacked. Save it again as a new PDF, for example by "
            "printing it to PDF, and try again."
        ),
        code="too_large_unpacked",
    )


def _check_objects(reader: PdfReader) -> None:
    """Refuse active content and streams that inflate past the limit."""
    unpacked = 0
    for dictionary in _dictionaries(reader):
        if _is_active(dictionary):
            raise ValidationError(
                _(
                    "The PDF contains active content (scripts, automatic actions or embedded "
                    "files), which is not accepted. Save it as a new PDF, for example by "
                    "printing it to PDF, and try again."
                ),
                code="active_content",
            )
        if isinstance(dictionary, StreamObject):
            unpacked += _unpacked_size(dictionary, MAX_UNPACKED_BYTES - unpacked)
            if unpacked > MAX_UNPACKED_BYTES:
                raise _too_large_unpacked()


def _dictionaries(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every dictionary (streams included) reachable from the trailer, each
    once, their streams left undecoded."""
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    for _walked in range(MAX_OBJECTS):
        if not stack:
            return
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            yield item
            stack.extend(dict.values(item))  # as stored: references stay references
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    raise _unreadable()


def _name(dictionary: DictionaryObject, key: str) -> str | None:
    value = dictionary.get(key)
    return value if isinstance(value, str) else None


def _is_active(dictionary: DictionaryObject) -> bool:
    return (
        not ACTIVE_KEYS.isdisjoint(dictionary.keys())
        or _name(dictionary, "/S") in ACTIVE_ACTIONS
        or _name(dictionary, "/Type") in ACTIVE_TYPES
        or _name(dictionary, "/Subtype") in ACTIVE_TYPES
    )


def _unpacked_size(stream: StreamObject, budget: int) -> int:
    """The bytes ``stream`` inflates to, counted to at most ``budget`` + 1
    (0 for images and for what cannot be decoded)."""
    filters = stream.get("/Filter")
    filters = [filters] if isinstance(filters, str) else list(filters or ())
    if not filters or _name(stream, "/Subtype") == "/Image" or IMAGE_CODECS.intersection(filters):
        return 0
    raw = stream._data  # the stream's bytes as stored in the file (pypdf has no public name)
    if FLATE.issuperset(filters):
        return _inflated_size(raw, len(filters), budget)
    try:
        return len(decode_stream_data(stream))  # within READ_LIMITS
    except LimitReachedError:
        raise
    except (PyPdfError, zlib.error, ValueError, KeyError, TypeError, NotImplementedError):
        return 0


def _inflated_size(data: bytes, stages: int, budget: int) -> int:
    """What ``stages`` Flate decoders in a row make of ``data``, counted a
    piece at a time up to ``budget`` + 1 bytes and then dropped. A damaged
    stream counts as far as it inflates."""
    pieces: Iterable[bytes] = (
        data[start : start + PIECE_BYTES] for start in range(0, len(data), PIECE_BYTES)
    )
    for _stage in range(stages):
        pieces = _inflate(pieces)
    size = 0
    try:
        for piece in pieces:
            size += len(piece)
            if size > budget:
                break
    except zlib.error:
        pass
    return size


def _inflate(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Inflate a zlib (or gzip) stream given in pieces, in pieces of at most
    PIECE_BYTES."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
    for piece in pieces:
        while piece and not inflater.eof:
            yield inflater.decompress(piece, PIECE_BYTES)
            piece = inflater.unconsumed_tail
        if inflater.eof:
            return
    yield inflater.flush()
