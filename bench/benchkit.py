"""Helpers shared by the database benchmarks (city_scale_bench.py, load_bench.py).

A throw-away PostgreSQL database, production settings, realistic reports created in bulk,
percentiles and the sections of bench/RESULTS.md.
"""

import argparse
import copy
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
PG_HOST = "127.0.0.1"
PG_PORT = "5432"
PG_USER = "postgres"
SEED_FILE = ROOT / "reports" / "seed_data" / "hung_thang_2026_05.json"
VN = ZoneInfo("Asia/Ho_Chi_Minh")

# How a period's reports are spread over the statuses some days after the deadline.
STATUS_WEIGHTS = {"draft": 20, "submitted": 30, "returned": 10, "accepted": 25, "issued": 15}
ON_TIME_SHARE = 0.8


# --- Database and settings -------------------------------------------------------------------


def _pg(command: str, *args: str) -> None:
    subprocess.run([command, "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, *args], check=True, capture_output=True)


@contextmanager
def scratch_database(name: str) -> Iterator[str]:
    """Create the PostgreSQL database `name` (dropping a leftover first) and drop it on exit."""
    _pg("dropdb", "--if-exists", "--force", name)
    _pg("createdb", name)
    try:
        yield f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        # --force ends the sessions still open (ours, or a gunicorn worker killed mid-request).
        _pg("dropdb", "--if-exists", "--force", name)


def production_environment(database_url: str, allowed_hosts: str) -> dict[str, str]:
    """The variables a production deployment sets (DJANGO_DEBUG unset), with a throw-away key.

    SSL redirect is off because the benchmark speaks plain HTTP to 127.0.0.1.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
            "DJANGO_ALLOWED_HOSTS": allowed_hosts,
            "DJANGO_SECURE_SSL_REDIRECT": "False",
        }
    )
    return env


def setup_django(database_url: str, *, allowed_hosts: str = "testserver", static_root: Path) -> None:
    """Configure this process with production settings on `database_url` and collect static files.

    Production settings store static files with a manifest, so `{% static %}` needs
    collectstatic; STATIC_ROOT is fixed in config/settings.py, so it is pointed at a temporary
    folder here, before anything reads it, to leave the working tree untouched.
    """
    for key in [key for key in os.environ if key.startswith("DJANGO_")]:
        del os.environ[key]
    os.environ.update(production_environment(database_url, allowed_hosts))
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.STATIC_ROOT = static_root
    call_command("collectstatic", interactive=False, verbosity=0)


def write_settings_shim(folder: Path, static_root: Path) -> str:
    """A settings module for a separate process (gunicorn): config.settings with STATIC_ROOT moved.

    Returns the module name; put `folder` on the process's Python path.
    """
    module = "bench_settings"
    (folder / f"{module}.py").write_text(
        "from pathlib import Path\n\n"
        "from config.settings import *  # noqa: F403\n\n"
        f"STATIC_ROOT = Path({str(static_root)!r})\n",
        encoding="utf-8",
    )
    return module


# --- Realistic reports -----------------------------------------------------------------------


def seed_report_data() -> dict[str, Any]:
    """The Hùng Thắng May 2026 report (reports/seed_data), as the exchange format describes it."""
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))


def rng_for(name: str) -> random.Random:
    # Deterministic data for repeatable runs; nothing here is security-related.
    return random.Random(name)  # noqa: S311


def varied_figures(template: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The template's figures with other, internally consistent numbers (received = resolved + pending)."""
    figures = copy.deepcopy(template)
    for row in figures["results"]:
        online, direct, carried = rng.randint(20, 400), rng.randint(0, 60), rng.randint(0, 15)
        remaining = online + direct + carried
        early = rng.randint(0, remaining // 4)
        remaining -= early
        pending_on_time = rng.randint(0, remaining // 8)
        remaining -= pending_on_time
        overdue = rng.randint(0, remaining // 50)
        row.update(
            online=online,
            direct=direct,
            carried_over=carried,
            early=early,
            on_time=remaining - overdue,
            overdue=overdue,
            pending_on_time=pending_on_time,
            pending_overdue=0,
        )
    for agency in figures["sector_agencies"]:
        received = rng.randint(0, 60)
        agency.update(received=received, resolved=received - rng.randint(0, received // 10))
    values = figures["values"]
    values["procedures_fully_online"] = rng.randint(150, 260)
    values["procedures_partly_online"] = rng.randint(100, 200)
    values["pakn_received"] = rng.randint(0, 3)
    return figures


def status_sequence(count: int, rng: random.Random) -> list[str]:
    return rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=count)


def bulk_reports(
    *,
    period: Any,
    communes: Sequence[Any],
    template: dict[str, Any],
    submitter: Any,
    reviewer: Any,
    statuses: Iterable[str],
    rng: random.Random,
) -> list[Any]:
    """Create one report per commune in `period`, with its submissions and history, in bulk.

    Reports that went past draft have a first submission (on time for ON_TIME_SHARE of them),
    returned ones a reviewer's comment event, issued ones their number and date, as the
    database constraints require.
    """
    from reports.models import EventKind, Report, ReportEvent, ReportStatus, Submission

    deadline_at = datetime.combine(period.deadline, time(16, 0), tzinfo=VN)
    reports = []
    for commune, status in zip(communes, statuses, strict=False):
        figures = varied_figures(template["figures"], rng)
        went_up = status != ReportStatus.DRAFT
        on_time = rng.random() < ON_TIME_SHARE
        submitted_at = deadline_at + timedelta(hours=rng.randint(-96, -1) if on_time else rng.randint(1, 120))
        accepted = status in (ReportStatus.ACCEPTED, ReportStatus.ISSUED)
        reports.append(
            Report(
                commune=commune,
                period=period,
                status=status,
                figures=figures,
                narrative=template["narrative"],
                explanations=template["explanations"],
                prefilled=template["prefilled"],
                signer_authority=commune.signer_authority,
                signer_position=commune.signer_position,
                signer_name=template["document"]["signer_name"],
                recipients="\n".join(template["document"]["recipients"]),
                submitted_at=submitted_at if went_up else None,
                accepted_at=submitted_at + timedelta(days=2) if accepted else None,
                number=rng.randint(1, 300) if status == ReportStatus.ISSUED else None,
                issued_on=period.deadline + timedelta(days=5) if status == ReportStatus.ISSUED else None,
                created_by=submitter,
                updated_by=submitter,
            )
        )
        reports[-1].bench_on_time = on_time  # type: ignore[attr-defined]
    Report.objects.bulk_create(reports, batch_size=500)

    submissions, events = [], []
    for report in reports:
        events.append(ReportEvent(report=report, kind=EventKind.CREATED, by=submitter))
        events.append(
            ReportEvent(report=report, kind=EventKind.SAVED, by=submitter, changes=[_saved_change(report, rng)])
        )
        if report.submitted_at is None:
            continue
        content = {"figures": report.figures, "narrative": report.narrative, "explanations": report.explanations}
        submissions.append(
            Submission(
                report=report,
                sequence=1,
                submitted_at=report.submitted_at,
                submitted_by=submitter,
                deadline=period.deadline,
                on_time=report.bench_on_time,  # type: ignore[attr-defined]
                content=content,
            )
        )
        events.append(ReportEvent(report=report, kind=EventKind.SUBMITTED, by=submitter))
        follow_up = {
            ReportStatus.RETURNED: [EventKind.RETURNED],
            ReportStatus.ACCEPTED: [EventKind.ACCEPTED],
            ReportStatus.ISSUED: [EventKind.ACCEPTED, EventKind.ISSUED],
        }.get(report.status, [])
        for kind in follow_up:
            by = submitter if kind == EventKind.ISSUED else reviewer
            note = "Đề nghị bổ sung giải trình tỷ lệ hồ sơ trực tuyến." if kind == EventKind.RETURNED else ""
            events.append(ReportEvent(report=report, kind=kind, by=by, note=note))
    Submission.objects.bulk_create(submissions, batch_size=500)
    ReportEvent.objects.bulk_create(events, batch_size=1000)
    return reports


def _saved_change(report: Any, rng: random.Random) -> dict[str, Any]:
    new = report.figures["values"]["pakn_received"]
    return {"path": "values.pakn_received", "old": new + rng.randint(1, 3), "new": new}


# --- Numbers and RESULTS.md ------------------------------------------------------------------


def percentile(values: Sequence[float], q: int) -> float:
    """The q-th percentile (inclusive method: the largest value is p100)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def write_section(section: str, start_mark: str, end_mark: str) -> None:
    """Replace the section between the marks in RESULTS.md, or append it."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    if start_mark in text and end_mark in text:
        before, rest = text.split(start_mark, 1)
        after = rest.split(end_mark, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def command_line(
    description: str, measure: Callable[[int], str], *, count: str, default: int, minimum: int, marks: tuple[str, str]
) -> None:
    """A bench's command line: `--<count> N` (runs or rounds) and `--no-write`; prints the section
    `measure(N)` returns and writes it between `marks` in RESULTS.md."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(f"--{count}", type=int, default=default)
    parser.add_argument("--no-write", action="store_true", help="print the results without writing RESULTS.md")
    args = parser.parse_args()
    section = measure(max(getattr(args, count), minimum))
    print(section)
    if not args.no_write:
        write_section(section, *marks)
