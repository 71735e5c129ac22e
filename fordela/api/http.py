"""Pagination and conditional GET for the API (docs/api.md)."""

import datetime
import hashlib
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date
from ninja.errors import HttpError

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
# An offset beyond this is refused by validation (422) before it reaches the
# database, whose OFFSET is a 64-bit integer.
MAX_OFFSET = 1_000_000_000
# How long a client or shared cache may reuse a frozen resource without asking
# again; after that a conditional GET (If-None-Match / If-Modified-Since) is
# answered 304 as long as nothing changed. Organisation names can be edited,
# so even frozen data is not cached for ever.
FROZEN_MAX_AGE = 60


def page_url(request: HttpRequest, limit: int, offset: int) -> str:
    query = request.GET.copy()
    query["limit"] = str(limit)
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest, queryset, limit: int, offset: int, serialise: Callable[[object], dict]
) -> dict:
    """One page of ``queryset`` (two queries: the count and the rows). An
    empty list answers an empty first page; an offset at or beyond the end of
    a list answers 404."""
    count = queryset.count()
    if offset and offset >= count:
        raise HttpError(
            404, f"offset {offset} is beyond the end of the list, which has {count} rows."
        )
    rows: Iterable = queryset[offset : offset + limit] if count else []
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": page_url(request, limit, offset + limit) if offset + limit < count else None,
        "previous": page_url(request, limit, max(0, offset - limit)) if offset else None,
        "results": [serialise(row) for row in rows],
    }


class Validators:
    """The ETag and Last-Modified of a frozen resource. The ETag is a hash of
    what the representation depends on (the frozen object's id and time, the
    latest change to the organisations it names) and of the request's path
    and query, so each page has its own."""

    def __init__(self, request: HttpRequest, parts: Iterable[object], *moments: datetime.datetime):
        text = "|".join([*(str(part) for part in parts), request.get_full_path()])
        self.etag = quote_etag(hashlib.sha256(text.encode()).hexdigest()[:32])
        self.last_modified = int(max(m for m in moments if m is not None).timestamp())

    def not_modified(self, request: HttpRequest) -> HttpResponse | None:
        """A 304 when the client's copy is current (or a 412 for a failed
        If-Match); None when the resource is to be sent."""
        response = get_conditional_response(
            request, etag=self.etag, last_modified=self.last_modified
        )
        if response is not None:
            if isinstance(response, HttpResponseNotModified):
                self.apply(response)
            return response
        return None

    def apply(self, response: HttpResponse) -> None:
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.last_modified)
        patch_cache_control(response, public=True, max_age=FROZEN_MAX_AGE)
