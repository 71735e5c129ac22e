"""How much of an upload the worker reads and keeps.

Two limits, both from the settings (see docs/operations.md, "Request size"):

- ``RequestSizeLimitMiddleware`` refuses a request whose declared length
  (``Content-Length``) exceeds ``FORDELA_MAX_REQUEST_BYTES`` before any of
  its body is read, with a page that says how large a file may be (413).
- ``AttachmentSizeUploadHandler`` keeps at most ``FORDELA_MAX_ATTACHMENT_BYTES``
  + 1 bytes of each uploaded file and drops the rest as it arrives, so the
  validators see a file that is too large (and say so on the form) while the
  worker never holds or stores more than that.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render


class AttachmentSizeUploadHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: passes each file's first
    ``FORDELA_MAX_ATTACHMENT_BYTES`` + 1 bytes on to Django's handlers
    (memory, then a temporary file) and none after."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.kept = 0

    def receive_data_chunk(self, raw_data, start):
        room = settings.FORDELA_MAX_ATTACHMENT_BYTES + 1 - self.kept
        if room <= 0:
            return None  # dropped: the later handlers never see it
        self.kept += min(room, len(raw_data))
        return raw_data[:room]

    def file_complete(self, file_size):
        return None  # the later handlers make the file


class RequestSizeLimitMiddleware:
    """Refuse a request declared larger than ``FORDELA_MAX_REQUEST_BYTES``
    without reading its body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.FORDELA_MAX_REQUEST_BYTES:
            return render(
                request,
                "core/request_too_large.html",
                {"limit": settings.FORDELA_MAX_ATTACHMENT_BYTES},
                status=413,
            )
        return self.get_response(request)
