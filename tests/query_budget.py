"""Query budgets: a page's number of SQL queries must not grow with the number
of rows it shows (no N+1).

Either let the test add data between two requests of the same page::

    with query_budget(client, url):
        add_organisations(490)

or compare two pages of the same kind, one small and one large::

    assert_same_query_count(client, small_key_url, large_key_url)

Both fail with the two lists of queries side by side.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class PageQueries:
    url: str
    queries: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.queries)

    def listing(self) -> str:
        return "\n".join(f"  {number}. {sql}" for number, sql in enumerate(self.queries, 1))


def page_queries(client, url: str) -> PageQueries:
    """The SQL one GET of ``url`` runs; the page must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        # A streaming response runs its queries while it is read.
        body = b"".join(response) if response.streaming else response.content
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    assert body, f"{url} answered an empty body"
    return PageQueries(url, tuple(query["sql"] for query in captured.captured_queries))


def warm_page_queries(client, url: str) -> PageQueries:
    """Like ``page_queries``, after one request that is not counted, so that
    one-off work (a cache filled on first use) does not blur the comparison."""
    page_queries(client, url)
    return page_queries(client, url)


def compare(small: PageQueries, large: PageQueries) -> str | None:
    if len(small) == len(large):
        return None
    return (
        f"{len(small)} queries for {small.url} but {len(large)} for {large.url}.\n"
        f"Small:\n{small.listing()}\nLarge:\n{large.listing()}"
    )


def assert_same_query_count(client, small_url: str, large_url: str) -> None:
    problem = compare(warm_page_queries(client, small_url), warm_page_queries(client, large_url))
    assert problem is None, problem


@contextmanager
def query_budget(client, *urls: str) -> Iterator[None]:
    """Each URL must run as many queries after the ``with`` body, which makes
    the data larger, as before it."""
    before = [warm_page_queries(client, url) for url in urls]
    yield
    problems = [compare(small, warm_page_queries(client, small.url)) for small in before]
    problems = [problem for problem in problems if problem]
    assert not problems, "\n\n".join(problems)
