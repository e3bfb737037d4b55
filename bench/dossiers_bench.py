"""Benchmark of dossier lists (issue 12), written to bench/RESULTS.md.

On a throw-away PostgreSQL database with production settings:
- import a generated CSV of 100,000 dossiers of one commune (parsing, checks and bulk upsert),
  then the same file again (every row an update);
- compute a period's figures for that commune (one aggregation query), median of several runs,
  and check them against the pure reference implementation.

Usage: .venv/bin/python bench/dossiers_bench.py [--rows 100000] [--no-write]
Targets: import <= 30 s; a period's figures <= 1 s.
"""

import argparse
import csv
import io
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchkit import VN, rng_for, scratch_database, setup_django, write_section  # noqa: E402

START_MARK = "<!-- dossiers_bench:start -->"
END_MARK = "<!-- dossiers_bench:end -->"
IMPORT_TARGET_S = 30.0
FIGURES_TARGET_S = 1.0
RUNS = 7
HEADER = [
    "Mã hồ sơ",
    "Tên thủ tục",
    "Mã thủ tục",
    "Lĩnh vực",
    "Thẩm quyền",
    "Hình thức nộp",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày hoàn thành",
    "Ngày trả kết quả",
    "Ngày trả lại, rút hồ sơ",
    "Số hóa hồ sơ",
    "Kết quả điện tử",
    "Tái sử dụng dữ liệu",
    "Có phí, lệ phí",
    "Thanh toán trực tuyến",
]
PROCEDURES = (
    ("Chứng thực bản sao từ bản chính", "2.000815", "Chứng thực"),
    ("Đăng ký khai sinh", "1.001193", "Hộ tịch"),
    ("Đăng ký kết hôn", "1.000894", "Hộ tịch"),
    ("Đăng ký biến động đất đai", "1.004227", "Đất đai"),
)


def _when(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M")


def generated_csv(rows: int) -> bytes:
    """`rows` dossiers received over the twelve months to 14/5/2026, in every state."""
    rng = rng_for("dossiers_bench")
    first = datetime(2025, 5, 15, 7, 0, tzinfo=VN)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for index in range(rows):
        received = first + timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        due = received + timedelta(days=rng.randint(0, 15))
        done = received + timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
        state = rng.random()
        fee = rng.random() < 0.4
        name, code, field = rng.choice(PROCEDURES)
        writer.writerow(
            [
                f"000.00.21.H29-{index:08d}",
                name,
                code,
                field,
                "Xã" if rng.random() < 0.9 else "Khác",
                rng.choice(["Trực tuyến", "Trực tuyến", "Trực tiếp", "Bưu chính"]),
                _when(received),
                due.strftime("%d/%m/%Y"),
                _when(done) if state < 0.85 else "",
                _when(done) if state < 0.85 else "",
                _when(done) if 0.85 <= state < 0.9 else "",
                "Có" if rng.random() < 0.9 else "Không",
                "Có" if rng.random() < 0.8 else "Không",
                "Có" if rng.random() < 0.6 else "Không",
                "Có" if fee else "Không",
                "Có" if fee and rng.random() < 0.7 else "Không",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"dossiers_bench: {message}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-write", action="store_true")
    options = parser.parse_args()

    with scratch_database("tthc_bench_dossiers") as url, tempfile.TemporaryDirectory() as static_root:
        setup_django(url, static_root=Path(static_root))
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        from communes.models import Commune, Province
        from dossiers import aggregation, services
        from dossiers.computation import DossierFacts, Window, count_dossiers
        from dossiers.models import Dossier

        province = Province.objects.create(code=31, name="Thành phố Hải Phòng")
        commune = Commune.objects.create(code=11809, name="Xã Hùng Thắng", province=province)
        data = generated_csv(options.rows)

        started = time.perf_counter()
        record = services.import_dossiers(
            commune=commune, data=data, file_name="bench.csv", source_system=services.CITY_SOURCE, by=None
        )
        first_import = time.perf_counter() - started
        _check(record.created == options.rows, f"created {record.created}")
        started = time.perf_counter()
        again = services.import_dossiers(
            commune=commune, data=data, file_name="bench.csv", source_system=services.CITY_SOURCE, by=None
        )
        second_import = time.perf_counter() - started
        _check(again.updated == options.rows and Dossier.objects.count() == options.rows, "re-import duplicated")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE dossiers_dossier")

        window = Window.for_days(date(2026, 4, 15), date(2026, 5, 14))
        aggregation.count_for_commune(commune.pk, window)  # warm-up
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            counts = aggregation.count_for_commune(commune.pk, window)
            timings.append(time.perf_counter() - started)
        figures_median = statistics.median(timings)
        fields = [name for name in DossierFacts.__dataclass_fields__ if name != "source_system"]
        facts = [
            DossierFacts(source_system=row["source_system"], **{name: row[name] for name in fields})
            for row in Dossier.objects.values("source_system", *fields).iterator(chunk_size=10_000)
        ]
        reference = count_dossiers(facts, window)
        _check([dict(c.values) for c in counts] == [dict(c.values) for c in reference], "database != reference")
        total = counts[0]

    today = datetime.now(tz=VN).strftime("%Y-%m-%d %H:%M")
    verdict = {True: "pass", False: "FAIL"}
    section = f"""{START_MARK}
## Dossier lists (bench/dossiers_bench.py), {today} Asia/Ho_Chi_Minh

{options.rows} generated dossiers of one commune (CSV, {len(data) / 1e6:.1f} MB) on PostgreSQL with
production settings, Python {platform.python_version()}, a 2-core machine shared with other work.
The figures of May 2026 (window 15/4–14/5/2026) were checked equal to the pure reference computation
(received {total["received_new"]}, carried over {total["carried_over"]}, resolved {total["resolved"]},
returned or withdrawn {total["withdrawn"]}, in progress {total["pending"]}).

| Measure | Target | Measured | Result |
| --- | --- | --- | --- |
| import {options.rows} new dossiers (read, check, bulk upsert) | ≤ {IMPORT_TARGET_S:.0f} s | {first_import:.1f} s | {verdict[first_import <= IMPORT_TARGET_S]} |
| re-import the same file (every row updated) | ≤ {IMPORT_TARGET_S:.0f} s | {second_import:.1f} s | {verdict[second_import <= IMPORT_TARGET_S]} |
| a period's figures for the commune (one query, median of {RUNS}) | ≤ {FIGURES_TARGET_S:.0f} s | {figures_median * 1000:.0f} ms | {verdict[figures_median <= FIGURES_TARGET_S]} |
{END_MARK}
"""
    print(section)
    if not options.no_write:
        write_section(section, START_MARK, END_MARK)


if __name__ == "__main__":
    main()
