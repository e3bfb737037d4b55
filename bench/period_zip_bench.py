"""Benchmark of all PDFs of a period against LibreOffice, written to bench/RESULTS.md.

Sets up a throw-away PostgreSQL database (tthc_bench_period_zip, dropped at the end) with
production settings, Hải Phòng's 114 communes and a report for each (May 2026, the Hùng Thắng seed
report with varied figures and statuses). Then, side by side in one run:
- `export_period --format docx` writes the 114 DOCX files LibreOffice will convert;
- every report is changed (its recipients list gets a new line), so every document's content
  hash is new, and `export_period --format pdf --workers 2` renders all 114 PDFs;
- `soffice --headless --convert-to pdf` converts the same 114 DOCX files in ONE call (its profile
  made beforehand by a warm-up conversion, as bench/render_bench.py does);
- `export_period --format pdf --workers 2` again with nothing changed: every PDF from the cache;
- for information, the ZIP the period page builds in the background (the task as the worker runs
  it, rendering in PERIOD_EXPORT_PROCESSES processes), with every report changed and with nothing
  changed.

Usage: .venv/bin/python bench/period_zip_bench.py [--rounds 1] [--no-write]
Needs LibreOffice (`apt-get install libreoffice-writer-nogui`; not a project dependency).
Targets (product.md §7): all changed at least 2x faster than LibreOffice; nothing changed 20x.
"""

import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import benchkit

DATABASE = "tthc_bench_period_zip"
START_MARK = "<!-- period_zip_bench:start -->"
END_MARK = "<!-- period_zip_bench:end -->"
PROVINCE, SEED_COMMUNE = 31, 11809
CHANGED_TARGET, UNCHANGED_TARGET = 2, 20
WORKERS = 2


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def build_period() -> Any:
    """Hải Phòng's communes, the seed report for Hùng Thắng and a varied report for every other."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from communes.models import Commune, Membership, Role
    from reports.exchange import import_report_data

    call_command("migrate", verbosity=0)
    call_command("load_communes", "--province", str(PROVINCE), stdout=StringIO())
    users = get_user_model().objects
    submitter = users.create_user(username="canbo.bench", email="canbo.bench@example.invalid")
    reviewer = users.create_user(username="trungtam.bench", email="trungtam.bench@example.invalid")
    Membership.objects.create(user=reviewer, role=Role.CITY_REVIEWER, province_id=PROVINCE)
    period = import_report_data(benchkit.seed_report_data(), source="period_zip_bench").period
    others = list(Commune.objects.filter(province_id=PROVINCE).exclude(pk=SEED_COMMUNE).order_by("code"))
    rng = benchkit.rng_for("period-zip")
    benchkit.bulk_reports(
        period=period,
        communes=others,
        template=benchkit.seed_report_data(),
        submitter=submitter,
        reviewer=reviewer,
        statuses=benchkit.status_sequence(len(others), rng),
        rng=rng,
    )
    return period, reviewer


def change_every_report(period: Any, round_number: int) -> None:
    """A visible change to every report (a recipients line), as after a day of edits."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from reports.models import Report

    Report.objects.filter(period=period).update(
        recipients=Concat(F("recipients"), Value(f"\nBan Chỉ đạo CCHC (lần {round_number})")), version=F("version") + 1
    )


def export_period(fmt: str, target: Path) -> None:
    from django.core.management import call_command

    shutil.rmtree(target, ignore_errors=True)
    call_command(
        "export_period",
        f"--province={PROVINCE}",
        "--period=2026-05",
        f"--format={fmt}",
        f"--output-dir={target}",
        f"--workers={WORKERS}",
        stdout=StringIO(),
    )


def build_zip(period: Any, by: Any) -> None:
    from reports import period_files
    from reports.models import ExportStatus, PeriodExport

    # The task's body, as the worker runs it; queued here so the claim succeeds.
    export = PeriodExport.objects.create(
        period=period, fingerprint=f"bench-{time.monotonic_ns()}", requested_by=by, total=0
    )
    period_files.build_period_export(export.pk)
    assert PeriodExport.objects.get(pk=export.pk).status == ExportStatus.READY  # noqa: S101


def libreoffice_seconds(sources: Path, output: Path, profile: Path) -> float:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice is needed: apt-get install libreoffice-writer-nogui")
    base = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf"]
    files = sorted(str(path) for path in sources.glob("*.docx"))
    if not profile.exists():
        # The first start creates the user profile (several seconds); not part of a conversion.
        warm = output / "warm-up"
        warm.mkdir(parents=True, exist_ok=True)
        subprocess.run([*base, "--outdir", str(warm), files[0]], check=True, capture_output=True)  # noqa: S603
    shutil.rmtree(output / "pdf", ignore_errors=True)
    seconds = timed(
        lambda: subprocess.run([*base, "--outdir", str(output / "pdf"), *files], check=True, capture_output=True)  # noqa: S603
    )
    converted = len(list((output / "pdf").glob("*.pdf")))
    if converted != len(files):
        raise SystemExit(f"LibreOffice converted {converted} of {len(files)} files")
    return seconds


def run(rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder, benchkit.scratch_database(DATABASE) as database_url:
        root = Path(folder)
        benchkit.setup_django(database_url, static_root=root / "static")
        from django.conf import settings
        from django.db import connections

        from reports.models import Report

        settings.MEDIA_ROOT = root / "media"
        settings.RENDER_CACHE_DIR = root / "render-cache"
        try:
            period, reviewer = build_period()
            load_before = os.getloadavg()[0]
            reports = Report.objects.filter(period=period).count()
            export_period("docx", root / "docx")
            times: dict[str, list[float]] = {
                key: [] for key in ("changed", "libreoffice", "unchanged", "zip_changed", "zip_unchanged")
            }
            for number in range(1, rounds + 1):
                change_every_report(period, number)
                times["changed"].append(timed(lambda: export_period("pdf", root / "pdf")))
                times["libreoffice"].append(libreoffice_seconds(root / "docx", root / "lo", root / "lo-profile"))
                times["unchanged"].append(timed(lambda: export_period("pdf", root / "pdf")))
                change_every_report(period, rounds + number)
                times["zip_changed"].append(timed(lambda: build_zip(period, reviewer)))
                times["zip_unchanged"].append(timed(lambda: build_zip(period, reviewer)))
            load_after = os.getloadavg()[0]
            pdf_files = list((root / "pdf").glob("*.pdf"))
            pdf_kb = sum(path.stat().st_size for path in pdf_files) / 1024
            zip_processes = settings.PERIOD_EXPORT_PROCESSES
        finally:
            connections.close_all()
    medians = {key: statistics.median(values) for key, values in times.items()}
    return {
        "reports": reports,
        "pdf_files": len(pdf_files),
        "pdf_kb": pdf_kb,
        "rounds": rounds,
        "medians": medians,
        "cpus": os.cpu_count(),
        "load": (load_before, load_after),
        "versions": f"Python {platform.python_version()}, {_libreoffice_version()}",
        "zip_processes": zip_processes,
    }


def _libreoffice_version() -> str:
    soffice = shutil.which("soffice") or "soffice"
    done = subprocess.run([soffice, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return " ".join(done.stdout.split()[:2]) or "LibreOffice"


def markdown(results: dict[str, Any]) -> str:
    m = results["medians"]
    lo, changed, unchanged = m["libreoffice"], m["changed"], m["unchanged"]
    changed_ratio, unchanged_ratio = lo / changed, lo / unchanged
    n = results["reports"]
    lines = [
        START_MARK,
        "## All PDFs of a period (bench/period_zip_bench.py)",
        "",
        f"Run {datetime.now().astimezone():%Y-%m-%d %H:%M %z} on {results['cpus']} CPUs; {results['versions']}; "
        f"PostgreSQL, production settings; Hải Phòng, {n} communes with a report each (May 2026); "
        f"median of {results['rounds']} round(s), each measured side by side; load average "
        f"{results['load'][0]:.1f} before and {results['load'][1]:.1f} after the measures (other work on the machine).",
        "",
        "| Job | Time | Per report |",
        "| --- | ---: | ---: |",
        f"| LibreOffice: `soffice --headless --convert-to pdf` of the {n} DOCX files in one call | {lo:.2f} s | "
        f"{lo / n * 1000:.0f} ms |",
        f"| `export_period --format pdf --workers {WORKERS}`, every report changed | {changed:.2f} s | "
        f"{changed / n * 1000:.0f} ms |",
        f"| `export_period --format pdf --workers {WORKERS}`, nothing changed (content-keyed cache) | "
        f"{unchanged:.2f} s | {unchanged / n * 1000:.1f} ms |",
        f"| ZIP task as the worker runs it ({results['zip_processes']} processes), every report changed | "
        f"{m['zip_changed']:.2f} s | "
        f"{m['zip_changed'] / n * 1000:.0f} ms |",
        f"| ZIP task, nothing changed | {m['zip_unchanged']:.2f} s | {m['zip_unchanged'] / n * 1000:.1f} ms |",
        "",
        f"{results['pdf_files']} PDF files, {results['pdf_kb'] / 1024:.1f} MB in all. Each timing covers the whole "
        "command: reading the reports, building each document, rendering or reading the cache, writing the files.",
        "",
        "| Target | Measured | Result |",
        "| --- | --- | --- |",
        f"| Every report changed: ≥ {CHANGED_TARGET}× faster than LibreOffice | {changed_ratio:.1f}× | "
        f"{benchkit.verdict(changed_ratio >= CHANGED_TARGET)} |",
        f"| Nothing changed: ≥ {UNCHANGED_TARGET}× faster than LibreOffice | {unchanged_ratio:.0f}× | "
        f"{benchkit.verdict(unchanged_ratio >= UNCHANGED_TARGET)} |",
        END_MARK,
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    benchkit.command_line(
        __doc__.splitlines()[0],
        lambda rounds: markdown(run(rounds)),
        count="rounds",
        default=1,
        minimum=1,
        marks=(START_MARK, END_MARK),
    )


if __name__ == "__main__":
    main()
