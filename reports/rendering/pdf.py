"""PDF renderer: `render_pdf(doc) -> bytes` with WeasyPrint, from the same template as the preview.

One FontConfiguration and one parsed print stylesheet per process (parsing the CSS registers the
four Liberation Serif faces once); the URL fetcher serves files under static/ and refuses
everything else, so a document can never make the server fetch a remote or private file.
"""

from __future__ import annotations

import mimetypes
import re
import threading
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.rendering.document import ReportDocument
from reports.text import map_text, scrub

TEMPLATE = "reports/print/report.html"
STYLESHEET = Path("css") / "print.css"
# A run of this many characters without a space is no Vietnamese word: it gets an invisible break
# opportunity (U+200B) every BREAK_EVERY characters. WeasyPrint lays out such a run by trying
# every split point, in time that grows with the square of its length (150,000 letters took
# 336 s); with break opportunities the layout is linear (measured in tests/reports/test_render_limits.py).
LONG_RUN = re.compile(r"\S{40,}")
BREAK_EVERY = 20


# One render at a time per process. A gunicorn gthread worker serves several requests at once, but
# WeasyPrint is pure Python under the GIL: four threads rendering together took 4.9 s for 20 PDFs
# and peaked at 169 MiB, one at a time 3.0 s and 154 MiB (same process, same report). It also keeps
# the shared font configuration to one thread.
_RENDER_LOCK = threading.Lock()


def static_root() -> Path:
    return (Path(settings.BASE_DIR) / "static").resolve()


class StaticFilesFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Serves `file:` URLs inside `root` (the project's static/ folder); refuses anything else."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.root = root.resolve()

    def local_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self.local_path(url)
        if path is None:
            # WeasyPrint logs the error and leaves the resource out; nothing is fetched.
            raise ValueError(f"Refused to fetch {url!r}: only files under static/ are served.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), _read(path), {"Content-Type": content_type})


@lru_cache(maxsize=32)
def _read(path: Path) -> bytes:
    return path.read_bytes()


@lru_cache(maxsize=1)
def _resources() -> tuple[FontConfiguration, CSS, StaticFilesFetcher]:
    """Parsed once per process: WeasyPrint's font setup and CSS parsing dominate a cold render."""
    root = static_root()
    fetcher = StaticFilesFetcher(root)
    font_config = FontConfiguration()
    stylesheet = CSS(filename=str(root / STYLESHEET), font_config=font_config, url_fetcher=fetcher)
    return font_config, stylesheet, fetcher


def warm_up() -> None:
    """Load the fonts and the stylesheet now, e.g. before forking processes that render PDFs."""
    _resources()


def render_html(doc: ReportDocument, *, inline_css: bool = False) -> str:
    """The standalone HTML of the report; with `inline_css` it carries the print stylesheet."""
    css = (static_root() / STYLESHEET).read_text(encoding="utf-8") if inline_css else ""
    # Control characters stored before the character rules would print as empty boxes.
    return render_to_string(TEMPLATE, {"doc": scrub(doc), "inline_css": css})


def _breakable(text: str) -> str:
    def split(match: re.Match[str]) -> str:
        run = match.group(0)
        return "\u200b".join(run[start : start + BREAK_EVERY] for start in range(0, len(run), BREAK_EVERY))

    return LONG_RUN.sub(split, text)


def render_pdf(doc: ReportDocument) -> bytes:
    """The report as a PDF (bytes): A4, fonts embedded and subset."""
    font_config, stylesheet, fetcher = _resources()
    source = render_html(map_text(doc, _breakable))
    with _RENDER_LOCK:
        html = HTML(string=source, base_url=static_root().as_uri() + "/", url_fetcher=fetcher)
        data: bytes = html.write_pdf(stylesheets=[stylesheet], font_config=font_config)
    return data
