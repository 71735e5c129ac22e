"""For the upload and download tests: PDFs (a plain one, "zip bombs", ones
with active content), a large upload sent with memory traced, and the headers
every uploaded file is served with."""

import functools
import io
import tracemalloc
import zlib
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart
from pypdf import PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    EncodedStreamObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

MiB = 2**20


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _one_page() -> tuple[PdfWriter, object]:
    writer = PdfWriter()
    return writer, writer.add_blank_page(width=595, height=842)


def plain_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return _written(writer)


def _page_with_contents(compressed: bytes, flate_steps: int) -> bytes:
    stream = EncodedStreamObject()
    stream._data = compressed  # the raw (still compressed) bytes, as a reader would hold them
    filters = [NameObject("/FlateDecode")] * flate_steps
    stream[NameObject("/Filter")] = filters[0] if flate_steps == 1 else ArrayObject(filters)
    writer, page = _one_page()
    page.replace_contents(stream)
    return _written(writer)


@functools.cache
def zip_bomb_pdf(inflated_mib: int = 200, flate_steps: int = 1) -> bytes:
    """One page whose content stream is ``inflated_mib`` MiB of zeros,
    Flate-compressed to about a thousandth of that (piece by piece, so the
    test never holds the inflated data), ``flate_steps`` times over."""
    compressor = zlib.compressobj(9)
    zeros = bytes(MiB)
    compressed = b"".join(compressor.compress(zeros) for _ in range(inflated_mib))
    compressed += compressor.flush()
    for _step in range(flate_steps - 1):
        compressed = zlib.compress(compressed, 9)
    return _page_with_contents(compressed, flate_steps)


def compressed_page_pdf(text_mib: int = 2) -> bytes:
    """An ordinary page: ``text_mib`` MiB of text operators, Flate-compressed."""
    line = b"BT /F1 12 Tf 72 712 Td (Ansokan om statsbidrag) Tj ET\n"
    return _page_with_contents(zlib.compress(line * (text_mib * MiB // len(line))), 1)


@functools.cache
def xref_bomb_pdf(inflated_mib: int = 200) -> bytes:
    """A PDF whose cross-reference stream (which a reader must inflate to find
    the pages at all) is padded with ``inflated_mib`` MiB of zeros. Written by
    hand: pypdf's writer makes no cross-reference streams."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref_offset = out.tell()
    # /W [1 4 2]: type, offset, generation; object 0 is free, 4 is this stream.
    rows = b"\x00" + bytes(4) + b"\xff\xff"
    for offset in [*offsets, xref_offset]:
        rows += b"\x01" + offset.to_bytes(4, "big") + bytes(2)
    compressor = zlib.compressobj(9)
    data = compressor.compress(rows)
    data += b"".join(compressor.compress(bytes(MiB)) for _ in range(inflated_mib))
    data += compressor.flush()
    out.write(
        b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode"
        b" /Length %d >>\nstream\n" % len(data)
    )
    out.write(data)
    out.write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset)
    return out.getvalue()


def _javascript_action(script: str = "app.alert('Hej');") -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)}
    )


def pdf_with_document_javascript() -> bytes:
    """JavaScript in the document's name tree (/Names /JavaScript), run on opening."""
    writer, _ = _one_page()
    writer.add_open_action(JavaScript("app.alert('Hej');"))
    return _written(writer)


def pdf_with_open_action_javascript() -> bytes:
    writer, _ = _one_page()
    writer.root_object[NameObject("/OpenAction")] = _javascript_action()
    return _written(writer)


def pdf_with_launch_action() -> bytes:
    writer, _ = _one_page()
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    return _written(writer)


def pdf_with_page_open_javascript() -> bytes:
    """A page's additional action (/AA): JavaScript when the page is shown."""
    writer, page = _one_page()
    page.add_action(PageTrigger.OPEN, JavaScript("app.alert('Hej');"))
    return _written(writer)


def pdf_with_embedded_file() -> bytes:
    writer, _ = _one_page()
    writer.add_attachment("faktura.exe", b"MZ not really a program")
    return _written(writer)


def pdf_with_xfa_form() -> bytes:
    writer, _ = _one_page()
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): TextStringObject("<xdp:xdp/>"),
        }
    )
    return _written(writer)


def pdf_with_rich_media() -> bytes:
    writer, page = _one_page()
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/RichMedia"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _written(writer)


ACTIVE_CONTENT = {
    "document JavaScript": pdf_with_document_javascript,
    "JavaScript on opening": pdf_with_open_action_javascript,
    "a launched program": pdf_with_launch_action,
    "JavaScript when a page is shown": pdf_with_page_open_javascript,
    "an embedded file": pdf_with_embedded_file,
    "an XFA form": pdf_with_xfa_form,
    "rich media": pdf_with_rich_media,
}


def pdf_with_harmless_actions() -> bytes:
    """What ordinary PDFs carry: open on page 1 fitted to the window, and a web link."""
    writer, page = _one_page()
    writer.root_object[NameObject("/OpenAction")] = ArrayObject(
        [page.indirect_reference, NameObject("/Fit")]
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://www.socialstyrelsen.se/"),
                }
            ),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    return _written(writer)


def traced_peak(function, *args) -> tuple[object, int]:
    """Call ``function(*args)``; return its result (or the exception it
    raised) and the most memory it held at once."""
    tracemalloc.start()
    try:
        try:
            result = function(*args)
        except Exception as error:
            result = error
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


# ------------------------------------------------------------ large uploads


@dataclass
class TracedUpload:
    response: object
    peak_bytes: int  # the most memory the request's handling held at once
    body_read: bool  # whether the server read any of the request body


def post_large_upload(client, url: str, fields: dict, file_field: str, size: int) -> TracedUpload:
    """POST a ``size``-byte file (a PDF header and zeros) with ``fields``, and
    trace the memory the server allocates while handling it. The body is
    encoded before tracing starts, as if it were still on the network."""
    content = b"%PDF-1.7\n" + bytes(size - 9)
    body = encode_multipart(
        BOUNDARY, {**fields, file_field: SimpleUploadedFile("stor.pdf", content)}
    )
    payload = FakePayload(body)
    del content, body
    tracemalloc.start()
    try:
        response = client.request(
            REQUEST_METHOD="POST",
            PATH_INFO=url,
            CONTENT_TYPE=MULTIPART_CONTENT,
            CONTENT_LENGTH=str(len(payload)),
            **{"wsgi.input": payload},
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return TracedUpload(response, peak, payload.read_started)


# ----------------------------------------------------------------- downloads


def assert_served_as_download(response, disposition: str) -> None:
    """Every uploaded (or made) file is a download the browser saves, never a
    page it renders: ``disposition`` (attachment with an ASCII name and the
    exact UTF-8 one), no type sniffing, a sandbox with nothing allowed if it
    is opened anyway, and no copy in shared caches."""
    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"
