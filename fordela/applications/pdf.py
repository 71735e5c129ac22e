"""HTML → PDF with WeasyPrint, free of Django so that worker processes can
render letters in parallel (``renderer``)."""

import concurrent.futures
import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterator

_font_config = None

# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_FROM = 8


def html_to_pdf(html: str) -> bytes:
    global _font_config  # one font cache per process
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    if _font_config is None:
        _font_config = FontConfiguration()
    return HTML(string=html).write_pdf(font_config=_font_config)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _serial(htmls: list[str]) -> list[bytes]:
    return [html_to_pdf(html) for html in htmls]


@contextlib.contextmanager
def renderer(count: int, workers: int | None = None) -> Iterator[Callable[[list[str]], list]]:
    """A function that renders a list of HTML documents; for ``count``
    documents or more it uses a pool of worker processes for its lifetime."""
    workers = workers or default_workers()
    if workers <= 1 or count < PARALLEL_FROM:
        yield _serial
        return
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield lambda htmls: list(pool.map(html_to_pdf, htmls, chunksize=2))


def render_many(htmls: list[str], workers: int | None = None) -> list[bytes]:
    with renderer(len(htmls), workers) as render:
        return render(htmls)
