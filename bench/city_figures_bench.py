"""Benchmark of the city figure screens at 3,321 communes with 12 periods of reports, written to
bench/RESULTS.md.

Sets up a throw-away PostgreSQL database (tthc_bench_figures, dropped at the end) with production
settings and every province and commune (load_communes --province all). Each province gets one
regime imported from the Hùng Thắng seed report, with its targets, and twelve monthly periods
(June 2025 to May 2026), each with a report of varied figures and statuses for every commune.
Then, in one warm process with Django's test client, it measures:
- the national view (/reports/national/) over the 34 provinces for May 2026 (superuser);
- the grid with figures (/reports/periods/<id>/), filtered, searched and sorted, the city totals
  (/reports/periods/<id>/totals/) and a drill-down (/reports/periods/<id>/totals/<figure>/) of a
  3-commune test province and of one test province holding all 3,321 communes (the grid is per
  province), which also gets its regime and twelve periods of reports;
and the number of queries of each page, which must be the same at 3 and at 3,321 communes.

Usage: .venv/bin/python bench/city_figures_bench.py [--runs 30] [--no-write]
Targets (issue 9, product.md §7): pages p95 <= 300 ms and the national view <= 500 ms for 3,321
communes, with the same number of queries as for 3 communes.
"""

import copy
import gc
import os
import platform
import tempfile
import time
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import benchkit
import city_scale_bench
from city_scale_bench import (
    Measure,
    _django_version,
    _pg_version,
    analyze,
    make_small_province,
    make_test_province,
    measure,
)

DATABASE = "tthc_bench_figures"
START_MARK = "<!-- city_figures_bench:start -->"
END_MARK = "<!-- city_figures_bench:end -->"
PAGE_TARGET_S = 0.300
NATIONAL_TARGET_S = 0.500
SEED_PROVINCE, SEED_COMMUNE = 31, 11809
NATION_PROVINCE = 991
LATEST = "2026-05"
PERIODS = 12


def make_user(username: str, *, role: str | None = None, province: Any = None, superuser: bool = False) -> Any:
    from django.contrib.auth import get_user_model

    from communes.models import Membership

    model = get_user_model()
    if superuser:
        return model.objects.create_superuser(username, f"{username}@example.invalid")
    user = model.objects.create_user(username=username, email=f"{username}@example.invalid")
    if role:
        Membership.objects.create(user=user, role=role, province=province)
    return user


def period_slugs() -> list[str]:
    from reports.periods import Frequency, PeriodKey

    key = PeriodKey.parse(LATEST, Frequency.MONTHLY)
    keys = [key]
    for _ in range(PERIODS - 1):
        keys.append(keys[-1].previous())
    return [k.slug() for k in reversed(keys)]


def fill_province(province: Any, *, submitter: Any, reviewer: Any, first_code: int | None = None) -> Any:
    """One regime (from the seed, with its targets) and twelve periods of reports; returns May 2026."""
    from communes.models import Commune
    from reports import periods
    from reports.exchange import import_report_data
    from reports.models import Period

    communes = list(Commune.objects.filter(province=province).order_by("code"))
    first = next((c for c in communes if c.pk == first_code), communes[0])
    data = copy.deepcopy(benchkit.seed_report_data())
    data["commune"] = {"code": first.pk, "name": first.name}
    data["regime"]["province"] = province.pk
    latest = import_report_data(data, source="city_figures_bench").period
    regime = latest.regime
    rng = benchkit.rng_for(f"figures-{province.pk}")
    for slug in period_slugs():
        key = periods.PeriodKey.parse(slug, periods.Frequency(regime.frequency))
        if slug == LATEST:
            period, targets = latest, [c for c in communes if c.pk != first.pk]
        else:
            start, end = periods.period_window(key, regime.cutoff_day)
            deadline = periods.deadline(key, regime.cutoff_day, regime.deadline_working_days)
            period = Period.objects.create(
                regime=regime, year=key.year, number=key.number, start=start, end=end, deadline=deadline
            )
            targets = communes
        benchkit.bulk_reports(
            period=period,
            communes=targets,
            template=benchkit.seed_report_data(),
            submitter=submitter,
            reviewer=reviewer,
            statuses=benchkit.status_sequence(len(targets), rng),
            rng=rng,
        )
    return latest


def give_a_missed_target(period: Any) -> None:
    """One sent report of the period below its digitisation target, so that the missed-target filter
    shows a row in the 3-commune province too: a page with rows is compared with a page with rows."""
    from reports.models import Report
    from reports.queries.city import SENT_STATUSES

    report = Report.objects.filter(period=period, status__in=SENT_STATUSES).order_by("pk").first()
    if report is None:
        raise SystemExit("The 3-commune province has no sent report in the latest period")
    figures = {**report.figures, "values": {**report.figures["values"], "rate_digitisation": 80}}
    Report.objects.filter(pk=report.pk).update(figures=figures)


def page_measures(
    client: Any, prefix: str, name: str, period: Any, *, search: str, communes: int, runs: int
) -> list[Measure]:
    grid = f"/reports/periods/{period.pk}/"
    pages = (
        ("grid", "Grid with figures", grid),
        ("grid_late", "Grid filtered `?status=late`", grid + "?status=late"),
        (
            "grid_missed",
            "Grid filtered by a missed target, sorted by a rate",
            grid + "?missed=any&sort=rates.rate_online_submission&dir=desc",
        ),
        ("grid_search", f"Grid searched `?q={search}`", grid + "?q=" + search.replace(" ", "+")),
        ("totals", "City totals (every sent report)", grid + "totals/"),
        ("totals_accepted", "City totals (accepted only)", grid + "totals/?basis=accepted"),
        ("drill", "Drill-down of the city's received dossiers", grid + "totals/results.received/"),
    )
    return [
        measure(client, f"{prefix}_{key}", f"{label}, {name}", path, communes=communes, runs=runs)
        for key, label, path in pages
    ]


def run(runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder, benchkit.scratch_database(DATABASE) as database_url:
        benchkit.setup_django(database_url, static_root=Path(folder) / "static")
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client

        from communes.models import Commune, Province, Role
        from reports.models import Report

        try:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            call_command("load_communes", province="all", stdout=StringIO())
            small = make_small_province()
            superuser = make_user("bench.admin", superuser=True)
            submitter = make_user("bench.submitter")
            reviewers = {
                p.pk: make_user(f"bench.reviewer.{p.pk}", role=Role.CITY_REVIEWER, province=p)
                for p in Province.objects.all()
            }
            latest = {}
            for province in Province.objects.order_by("code"):
                first = SEED_COMMUNE if province.pk == SEED_PROVINCE else None
                latest[province.pk] = fill_province(
                    province, submitter=submitter, reviewer=reviewers[province.pk], first_code=first
                )
            analyze()
            totals = {"communes": Commune.objects.count(), "reports_national": Report.objects.count()}
            gc.collect()
            load_before = os.getloadavg()[0]
            admin = Client()
            admin.force_login(superuser)
            national_communes = totals["communes"] - 3
            measures = [
                measure(
                    admin,
                    "national",
                    f"National view, 34 provinces ({LATEST})",
                    f"/reports/national/?period={LATEST}",
                    communes=national_communes,
                    runs=runs,
                ),
                measure(
                    admin,
                    "national_accepted",
                    "National view, accepted reports only",
                    f"/reports/national/?period={LATEST}&basis=accepted",
                    communes=national_communes,
                    runs=runs,
                ),
            ]
            small_client = Client()
            small_client.force_login(reviewers[small.pk])
            give_a_missed_target(latest[small.pk])
            # Its communes are An Bình, Bình Minh and Cát Tiên: "binh" finds two, as "hung thang" does below.
            measures += page_measures(
                small_client, "small", "3 communes", latest[small.pk], search="binh", communes=3, runs=runs
            )

            nation = make_test_province(NATION_PROVINCE, "Tỉnh Thử Nghiệm Toàn Quốc")
            reviewer = make_user("bench.reviewer.nation", role=Role.CITY_REVIEWER, province=nation)
            Commune.objects.exclude(province_id=small.pk).update(province=nation)
            nation_period = fill_province(nation, submitter=submitter, reviewer=reviewer, first_code=SEED_COMMUNE)
            analyze()
            gc.collect()
            nation_count = Commune.objects.filter(province_id=NATION_PROVINCE).count()
            client = Client()
            client.force_login(reviewer)
            measures += page_measures(
                client,
                "nation",
                f"{nation_count:,} communes",
                nation_period,
                search="hung thang",
                communes=nation_count,
                runs=runs,
            )
            # What gunicorn workers get from config/wsgi.py's gc.freeze() at start-up.
            gc.collect()
            gc.freeze()
            measures.append(
                measure(
                    client,
                    "nation_grid_frozen",
                    f"Grid with figures, {nation_count:,} communes, after `gc.freeze()`",
                    f"/reports/periods/{nation_period.pk}/",
                    communes=nation_count,
                    runs=runs,
                )
            )
            measures.append(
                measure(
                    admin,
                    "national_frozen",
                    "National view after `gc.freeze()` (all communes now in one test province)",
                    f"/reports/national/?period={LATEST}",
                    communes=nation_count + 3,
                    runs=runs,
                )
            )
            gc.unfreeze()
            totals["reports"] = Report.objects.count()
            totals["setup_s"] = time.perf_counter() - started
            totals["load"] = (load_before, os.getloadavg()[0])
            versions = f"Python {platform.python_version()}, Django {_django_version()}, PostgreSQL {_pg_version()}"
        finally:
            connections.close_all()
    return {"runs": runs, "measures": measures, "totals": totals, "cpus": os.cpu_count(), "versions": versions}


def markdown(results: dict[str, Any]) -> str:
    measures: list[Measure] = results["measures"]
    by_key = {m.key: m for m in measures}
    totals = results["totals"]
    page_keys = ("grid", "grid_late", "grid_missed", "grid_search", "totals", "totals_accepted", "drill")
    worst_page = max((by_key[f"nation_{key}"] for key in page_keys), key=lambda m: m.p95_s)
    national = by_key["national"]
    same_queries = all(by_key[f"small_{key}"].queries == by_key[f"nation_{key}"].queries for key in page_keys)
    lines = [
        START_MARK,
        "## City figures at 3,321 communes with 12 periods (bench/city_figures_bench.py)",
        "",
        f"Run {datetime.now().astimezone():%Y-%m-%d %H:%M %z} on the {results['cpus']}-core machine shared with "
        f"other work; {results['versions']}. Production settings (DEBUG off) on a throw-away PostgreSQL database: "
        f"{totals['communes']:,} communes (34 provinces plus a 3-commune test province); each province has a regime "
        f"imported from the Hùng Thắng seed report (with its targets) and {PERIODS} monthly periods "
        f"(to {LATEST}) with a report of varied figures and statuses for every commune: "
        f"{totals['reports_national']:,} reports for the national view, {totals['reports']:,} once every commune "
        "is also moved into one test province with its own regime and 12 periods. Django test client in one warm "
        f"process, logged in with `force_login`; {city_scale_bench.WARM_UP} warm-up requests, then {results['runs']} timed requests "
        "per page (whole request). Queries counted with `CaptureQueriesContext` on one more request. "
        f"Setup and runs took {totals['setup_s']:.0f} s; 1-minute load average {totals['load'][0]:.1f} before and "
        f"{totals['load'][1]:.1f} after the timed runs.",
        "",
        "| Page | Communes | Median | p95 | Max | CPU (median) | Queries | HTML |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {m.label} | {m.communes:,} | {benchkit.milliseconds(m.median_s)} | {benchkit.milliseconds(m.p95_s)} | "
        f"{benchkit.milliseconds(m.max_s)} | {benchkit.milliseconds(m.cpu_median_s)} | {m.queries} | "
        f"{m.kilobytes:.0f} KB |"
        for m in measures
    ]
    lines += [
        "",
        "| Target | Measured | Result |",
        "| --- | --- | --- |",
        f"| Grid, totals and drill-down for {worst_page.communes:,} communes: p95 ≤ {PAGE_TARGET_S * 1000:.0f} ms | "
        f"slowest p95 {benchkit.milliseconds(worst_page.p95_s)} ({worst_page.label}) | "
        f"{benchkit.verdict(worst_page.p95_s <= PAGE_TARGET_S)} |",
        f"| National view over {national.communes:,} communes ≤ {NATIONAL_TARGET_S * 1000:.0f} ms | "
        f"p95 {benchkit.milliseconds(national.p95_s)} (median {benchkit.milliseconds(national.median_s)}) | "
        f"{benchkit.verdict(national.p95_s <= NATIONAL_TARGET_S)} |",
        f"| Same number of queries at 3 and {worst_page.communes:,} communes, every page | "
        + ", ".join(f"{by_key[f'small_{k}'].queries}/{by_key[f'nation_{k}'].queries}" for k in page_keys)
        + f" | {benchkit.verdict(same_queries)} |",
        "",
        "The verdicts take the wall-clock p95. CPU is this process's time per request (the database's is "
        "not in it); on the shared machine it moves far less than the wall time, which also waits for the "
        "other work. A sent report's figures are parsed once per process and content (the first request after "
        "a start parses all of them; the warm-up requests do that here); rates, counts, targets and totals are "
        "computed on every request. The grid and the drill-down show 200 communes a page; counts cover all.",
        END_MARK,
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    benchkit.command_line(
        __doc__.splitlines()[0],
        lambda runs: markdown(run(runs)),
        count="runs",
        default=30,
        minimum=2,
        marks=(START_MARK, END_MARK),
    )


if __name__ == "__main__":
    main()
