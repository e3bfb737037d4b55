"""Benchmark of the report renderers, written to bench/RESULTS.md.

Measures, in one run and on the Hùng Thắng seed report (May 2026):
- the median of N warm renders of one DOCX (`render_docx`) and one PDF (`render_pdf`);
- the median of one-shot `libreoffice --headless --convert-to pdf` conversions of that DOCX
  (skipped when LibreOffice is not installed: it is not a project dependency);
- the median of N PDF downloads from the running app (Django test client: middleware, session,
  access check, queries, rendering and the file response), each after an edit of the report (so
  the content-keyed cache has no file for it), and N more with nothing changed.

Usage: .venv/bin/python bench/render_bench.py [--runs 20] [--no-write]
Targets (issue 4 and product.md §7, 2-core machine): PDF <= 0.15 s, DOCX <= 0.05 s, and the app's
PDF download after an edit at least 10 times faster than LibreOffice's one-shot conversion.
"""

import argparse
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import datetime
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
START_MARK = "<!-- render_bench:start -->"
END_MARK = "<!-- render_bench:end -->"
WARM_UP = 3
PDF_TARGET_S = 0.15
DOCX_TARGET_S = 0.05
DOWNLOAD_SPEEDUP_TARGET = 10


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    # Production-like settings (DEBUG off), with a throw-away key and the test client's host.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(48))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "False"
    os.environ.pop("DATABASE_URL", None)
    # WhiteNoise warns that collectstatic has not run; the bench serves no static file.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def median_seconds(
    action: Callable[[], object], runs: int, warm_up: int = WARM_UP, before: Callable[[], object] | None = None
) -> float:
    """The median time of `action`; `before` (untimed) runs ahead of each call."""
    for _ in range(warm_up):
        if before is not None:
            before()
        action()
    timings = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def libreoffice_seconds(docx: bytes, runs: int) -> float | None:
    """Median of one-shot conversions, each a fresh soffice process (the profile made beforehand)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bao-cao.docx"
        source.write_bytes(docx)
        command = [
            soffice,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(source),
        ]

        def convert() -> None:
            subprocess.run(command, check=True, capture_output=True, timeout=300)

        return median_seconds(convert, runs, warm_up=1)


def load_report():  # type: ignore[no-untyped-def]
    from django.db import connection

    from communes import naming
    from communes.models import Commune, CommuneKind, Province
    from reports.demo import SEED_FILES
    from reports.exchange import import_report_data, read_report_file

    # A throw-away in-memory database, so the bench never touches db.sqlite3.
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    province = Province.objects.create(code=31, name="Thành phố Hải Phòng", kind="thành phố trung ương")
    for code, name in ((11809, "Xã Hùng Thắng"), (10966, "Xã Bình Giang")):
        Commune.objects.create(
            code=code,
            province=province,
            name=name,
            kind=CommuneKind.XA,
            header_agency=naming.default_header_lines(name),
            place_name=naming.short_commune_name(name),
        )
    return import_report_data(read_report_file(SEED_FILES[0]))


def run(runs: int) -> dict[str, object]:
    setup_django()
    import docx as python_docx
    import weasyprint
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import F, Value
    from django.db.models.functions import Concat
    from django.test import Client
    from pypdf import PdfReader

    from reports.models import Report
    from reports.rendering.document import build_report_document
    from reports.rendering.docx import render_docx
    from reports.rendering.pdf import render_pdf

    # A cache of its own: files drawn by an earlier run of this bench would be found again.
    cache_folder = tempfile.TemporaryDirectory(prefix="render-bench-cache-")
    settings.RENDER_CACHE_DIR = Path(cache_folder.name)
    report = load_report()
    doc = build_report_document(Report.objects.select_related("commune__province", "period__regime").get(pk=report.pk))
    docx_bytes = render_docx(doc)
    pdf_bytes = render_pdf(doc)

    docx_s = median_seconds(lambda: render_docx(doc), runs)
    pdf_s = median_seconds(lambda: render_pdf(doc), runs)

    user = get_user_model().objects.create_superuser("bench", "bench@example.invalid", secrets.token_urlsafe(16))
    client = Client()
    client.force_login(user)
    path = f"/reports/{report.pk}/download/pdf/"

    def download() -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} returned {response.status_code}")
        b"".join(response.streaming_content)

    edits = iter(range(1, 10_000))

    def edit() -> None:
        # What an officer's save does to the document: new content, so a new cache key.
        Report.objects.filter(pk=report.pk).update(
            recipients=Concat(F("recipients"), Value(f"\nBan Chỉ đạo CCHC (lần {next(edits)})")),
            version=F("version") + 1,
        )

    download_s = median_seconds(download, runs, before=edit)
    cached_download_s = median_seconds(download, runs)
    cache_folder.cleanup()
    libreoffice_s = libreoffice_seconds(docx_bytes, max(3, runs // 5))
    return {
        "runs": runs,
        "docx_s": docx_s,
        "pdf_s": pdf_s,
        "download_s": download_s,
        "cached_download_s": cached_download_s,
        "libreoffice_s": libreoffice_s,
        "docx_kb": len(docx_bytes) / 1024,
        "pdf_kb": len(pdf_bytes) / 1024,
        "pdf_pages": len(PdfReader(BytesIO(pdf_bytes)).pages),
        "versions": (
            f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, "
            f"python-docx {python_docx.__version__ if hasattr(python_docx, '__version__') else '?'}"
        ),
        "cpus": os.cpu_count(),
    }


def verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def markdown(results: dict[str, object]) -> str:
    docx_s, pdf_s, download_s = float(results["docx_s"]), float(results["pdf_s"]), float(results["download_s"])  # type: ignore[arg-type]
    libreoffice_s = results["libreoffice_s"]
    lines = [
        START_MARK,
        "## Rendering the report (bench/render_bench.py)",
        "",
        f"Run {datetime.now().astimezone():%Y-%m-%d %H:%M %z} on {results['cpus']} CPUs; {results['versions']}.",
        f"Hùng Thắng seed report (May 2026, {results['pdf_pages']} A4 pages); median of {results['runs']} warm runs after "
        f"{WARM_UP} warm-up runs, in one process.",
        "",
        "| Measure | Median | Target | Result |",
        "| --- | --- | --- | --- |",
        f"| DOCX render (`render_docx`, {results['docx_kb']:.0f} KB) | {docx_s * 1000:.1f} ms | ≤ {DOCX_TARGET_S * 1000:.0f} ms | {verdict(docx_s <= DOCX_TARGET_S)} |",
        f"| PDF render (`render_pdf`, {results['pdf_kb']:.0f} KB) | {pdf_s * 1000:.1f} ms | ≤ {PDF_TARGET_S * 1000:.0f} ms | {verdict(pdf_s <= PDF_TARGET_S)} |",
        f"| PDF download from the app after an edit (test client, whole request) | {download_s * 1000:.1f} ms | | |",
        f"| PDF download again, nothing changed (content-keyed cache) | "
        f"{float(results['cached_download_s']) * 1000:.1f} ms | | |",  # type: ignore[arg-type]
    ]
    if libreoffice_s is None:
        lines.append("| `libreoffice --headless --convert-to pdf` of the same DOCX | not installed | | |")
    else:
        speedup = float(libreoffice_s) / download_s  # type: ignore[arg-type]
        lines += [
            f"| `libreoffice --headless --convert-to pdf` of the same DOCX (one-shot process) | {float(libreoffice_s) * 1000:.0f} ms | | |",  # type: ignore[arg-type]
            f"| LibreOffice conversion ÷ app PDF download after an edit | {speedup:.1f}× | ≥ {DOWNLOAD_SPEEDUP_TARGET}× | {verdict(speedup >= DOWNLOAD_SPEEDUP_TARGET)} |",
        ]
    lines += [
        "",
        "The PDF reuses one WeasyPrint FontConfiguration and one parsed print.css per process "
        "(reports/rendering/pdf.py); the DOCX copies prepared run and paragraph properties. "
        "LibreOffice is not a project dependency; it is installed only to run this comparison.",
        END_MARK,
    ]
    return "\n".join(lines) + "\n"


def write(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    if START_MARK in text and END_MARK in text:
        before, rest = text.split(START_MARK, 1)
        after = rest.split(END_MARK, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-write", action="store_true", help="print the results without writing RESULTS.md")
    args = parser.parse_args()
    section = markdown(run(args.runs))
    print(section)
    if not args.no_write:
        write(section)


if __name__ == "__main__":
    main()
