"""Load benchmark: the main pages under 50 concurrent users on gunicorn + PostgreSQL.

Sets up a throw-away PostgreSQL database (tthc_bench_load, dropped at the end): migrate,
load_communes (Hải Phòng, 114 communes), seed_demo --force, 43 more users (commune officers and
leaders, city reviewers) and reports with varied figures and statuses for every commune (May 2026,
plus accepted or issued ones for March and April). Then it starts
`gunicorn config.wsgi --workers 4` on 127.0.0.1 with production settings (DJANGO_DEBUG unset),
logs 50 virtual users in through the login form, and drives them concurrently, each with its own
session, over the pages of its role. It runs three scenarios:
- users: each user waits 1-3 s (2 s on average) between pages, like a busy person clicking;
- fast users: 0.25-0.75 s between pages (0.5 s on average), four times that rate;
- back-to-back: each user sends its next request as soon as the previous one is answered
  (a stress test: 50 requests always queued for 4 workers).
Every non-200 answer counts as an error. Latency is measured by the client, from connecting to
reading the whole answer.

Usage: .venv/bin/python bench/load_bench.py [--rounds 5] [--no-write]
Target (product.md §7): every page p95 <= 150 ms with 50 concurrent users on gunicorn + PostgreSQL.
"""

import http.client
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import benchkit

DATABASE = "tthc_bench_load"
START_MARK = "<!-- load_bench:start -->"
END_MARK = "<!-- load_bench:end -->"
GUNICORN = benchkit.ROOT / ".venv" / "bin" / "gunicorn"
WORKERS = 4
USERS = 50
P95_TARGET_S = 0.150
# (name, think time range between two pages of one user, or None for back-to-back requests)
SCENARIOS = (("users", (1.0, 3.0)), ("fast users", (0.25, 0.75)), ("back-to-back", None))
TIME_LIMIT_S = 300.0
DEMO_PASSWORD = "demo-2026"  # noqa: S105 - the demo accounts' published password (communes/demo.py)
EXTRA_COMMUNE_STAFF = 33
EXTRA_REVIEWERS = 10
HAI_PHONG, HUNG_THANG, BINH_GIANG = 31, 11809, 10966
DEMO_COMMUNE_STAFF = (
    ("canbo.hungthang", HUNG_THANG),
    ("lanhdao.hungthang", HUNG_THANG),
    ("canbo.binhgiang", BINH_GIANG),
    ("lanhdao.binhgiang", BINH_GIANG),
)
PAGE_ORDER = (
    "/ (commune home)",
    "/ (city home)",
    "/ (superuser home)",
    "/communes/",
    "/reports/<id>/",
    "/reports/<id>/edit/",
    "/reports/<id>/history/",
    "/reports/<id>/preview/",
    "/reports/periods/<id>/",
    "/reports/<id>/review/",
)


@dataclass(frozen=True)
class VirtualUser:
    username: str
    password: str
    role: str
    pages: list[tuple[str, str]]  # (page name, path)


@dataclass
class Sample:
    page: str
    status: int
    seconds: float


@dataclass
class Scenario:
    name: str
    think: tuple[float, float] | None
    samples: list[Sample] = field(default_factory=list)
    wall_s: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)


# --- Data ---------------------------------------------------------------------------------------


def seed(password: str) -> list[VirtualUser]:
    """Demo data plus users and reports for every commune; returns the 50 virtual users."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from communes.models import Commune, Membership, Role
    from reports.models import Report, ReportStatus
    from reports.periods import Frequency, PeriodKey
    from reports.services import get_or_create_period

    call_command("migrate", verbosity=0)
    call_command("load_communes", province=str(HAI_PHONG), stdout=StringIO())
    call_command("seed_demo", force=True, stdout=StringIO())

    user_model = get_user_model()
    demo = {user.username: user for user in user_model.objects.all()}
    seed_report = Report.objects.select_related("period__regime").get(commune_id=HUNG_THANG)
    may = seed_report.period
    regime = may.regime
    earlier = [
        get_or_create_period(regime, PeriodKey.parse(slug, Frequency(regime.frequency)))
        for slug in ("2026-03", "2026-04")
    ]
    communes = list(Commune.objects.filter(province_id=HAI_PHONG).exclude(pk__in=[HUNG_THANG, BINH_GIANG]))
    communes.sort(key=lambda commune: commune.code)
    staff_communes = communes[:EXTRA_COMMUNE_STAFF]

    # One password hash for all extra users: hashing 43 times would only slow the setup.
    hashed = make_password(password)
    staff = [
        user_model(username=f"bench.xa.{commune.code}", first_name="Cán bộ", last_name=commune.name, password=hashed)
        for commune in staff_communes
    ]
    reviewers = [
        user_model(username=f"bench.thamdinh.{n}", first_name="Chuyên viên", last_name=str(n), password=hashed)
        for n in range(1, EXTRA_REVIEWERS + 1)
    ]
    user_model.objects.bulk_create(staff + reviewers)
    # Every fifth commune account is the leader, the others officers.
    Membership.objects.bulk_create(
        [
            Membership(user=user, role=Role.COMMUNE_LEADER if n % 5 == 0 else Role.COMMUNE_OFFICER, commune=commune)
            for n, (user, commune) in enumerate(zip(staff, staff_communes, strict=True))
        ]
        + [Membership(user=user, role=Role.CITY_REVIEWER, province_id=HAI_PHONG) for user in reviewers]
    )

    rng = benchkit.rng_for("load_bench")
    template = benchkit.seed_report_data()
    submitter, reviewer = demo["canbo.hungthang"], demo["trungtam.haiphong"]
    # The extra staff's communes have a report they may edit; the others any status.
    editable = [ReportStatus.RETURNED if n % 3 == 2 else ReportStatus.DRAFT for n in range(len(staff_communes))]
    statuses = editable + benchkit.status_sequence(len(communes) - len(staff_communes), rng)
    may_reports = benchkit.bulk_reports(
        period=may,
        communes=communes,
        template=template,
        submitter=submitter,
        reviewer=reviewer,
        statuses=statuses,
        rng=rng,
    )
    bound = [*communes, Commune.objects.get(pk=HUNG_THANG)]
    for period in earlier:
        benchkit.bulk_reports(
            period=period,
            communes=bound,
            template=template,
            submitter=submitter,
            reviewer=reviewer,
            statuses=rng.choices([ReportStatus.ACCEPTED, ReportStatus.ISSUED], k=len(bound)),
            rng=rng,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    own = {report.commune_id: report.pk for report in may_reports}
    own[HUNG_THANG] = seed_report.pk
    own[BINH_GIANG] = Report.objects.get(commune_id=BINH_GIANG).pk
    submitted = [r.pk for r in may_reports if r.status == ReportStatus.SUBMITTED]
    any_report = [r.pk for r in may_reports]
    grid = f"/reports/periods/{may.pk}/"
    users = []
    for username, commune_code in DEMO_COMMUNE_STAFF:
        users.append(commune_user(username, DEMO_PASSWORD, own[commune_code]))
    for user, commune in zip(staff, staff_communes, strict=True):
        users.append(commune_user(user.username, password, own[commune.pk]))
    city_users = [("trungtam.haiphong", DEMO_PASSWORD)] + [(user.username, password) for user in reviewers]
    for n, (username, user_password) in enumerate(city_users):
        users.append(reviewer_user(username, user_password, n, any_report=any_report, submitted=submitted, grid=grid))
    city_pages = reviewer_user("quantri.haiphong", DEMO_PASSWORD, 0, any_report=any_report, submitted=[], grid=grid)
    users.append(city_pages)
    report = any_report[1]
    editable_report = own[HUNG_THANG]
    superuser_pages = [
        ("/ (superuser home)", "/"),
        ("/communes/", "/communes/"),
        ("/reports/<id>/", f"/reports/{report}/"),
        ("/reports/<id>/edit/", f"/reports/{editable_report}/edit/"),
        ("/reports/<id>/history/", f"/reports/{report}/history/"),
        ("/reports/<id>/preview/", f"/reports/{report}/preview/"),
        ("/reports/periods/<id>/", grid),
    ]
    users.append(VirtualUser("admin", DEMO_PASSWORD, "superuser", superuser_pages))
    if len(users) != USERS:
        raise RuntimeError(f"{len(users)} virtual users instead of {USERS}")
    return users


def commune_user(username: str, password: str, report: int) -> VirtualUser:
    pages = [
        ("/ (commune home)", "/"),
        ("/communes/", "/communes/"),
        ("/reports/<id>/", f"/reports/{report}/"),
        ("/reports/<id>/edit/", f"/reports/{report}/edit/"),
        ("/reports/<id>/history/", f"/reports/{report}/history/"),
        ("/reports/<id>/preview/", f"/reports/{report}/preview/"),
    ]
    return VirtualUser(username, password, "commune", pages)


def reviewer_user(
    username: str, password: str, n: int, *, any_report: list[int], submitted: list[int], grid: str
) -> VirtualUser:
    report = any_report[(n * 7) % len(any_report)]
    pages = [
        ("/ (city home)", "/"),
        ("/communes/", "/communes/"),
        ("/reports/<id>/", f"/reports/{report}/"),
        ("/reports/<id>/history/", f"/reports/{report}/history/"),
        ("/reports/<id>/preview/", f"/reports/{report}/preview/"),
        ("/reports/periods/<id>/", grid),
    ]
    if submitted:
        pages.append(("/reports/<id>/review/", f"/reports/{submitted[n % len(submitted)]}/review/"))
        return VirtualUser(username, password, "reviewer", pages)
    return VirtualUser(username, password, "city admin", pages)


# --- HTTP -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    cookies: dict[str, str]
    body: bytes
    seconds: float


def request(port: int, method: str, path: str, *, cookie: str = "", body: str | None = None) -> Answer:
    """One request on a new connection (gunicorn's sync workers close it after each answer)."""
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    seconds = time.perf_counter() - start
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return Answer(response.status, {name: morsel.value for name, morsel in jar.items()}, data, seconds)


def log_in(port: int, user: VirtualUser) -> str:
    """Log in through the form (CSRF token included); returns the Cookie header of the session."""
    form = request(port, "GET", "/accounts/login/")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    if form.status != 200 or match is None:
        raise RuntimeError(f"login form answered {form.status}")
    fields = {"username": user.username, "password": user.password, "csrfmiddlewaretoken": match.group(1).decode()}
    csrf = form.cookies["csrftoken"]
    answer = request(port, "POST", "/accounts/login/", cookie=f"csrftoken={csrf}", body=urlencode(fields))
    if answer.status != 302 or "sessionid" not in answer.cookies:
        raise RuntimeError(f"login of {user.username} answered {answer.status}")
    return f"csrftoken={answer.cookies.get('csrftoken', csrf)}; sessionid={answer.cookies['sessionid']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text(encoding='utf-8')[-3000:]}")
        try:
            if request(port, "GET", "/accounts/login/").status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{log.read_text(encoding='utf-8')[-3000:]}")


# --- CPU accounting -------------------------------------------------------------------------------


def _process_cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _machine_busy_s() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


def cpu_snapshot(master: int) -> dict[str, float]:
    busy, total = _machine_busy_s()
    times = os.times()
    return {
        "gunicorn": sum(_process_cpu_s(pid) for pid in [master, *_children(master)]),
        "generator": times.user + times.system,
        "machine_busy": busy,
        "machine_total": total,
    }


# --- Scenarios ------------------------------------------------------------------------------------


def drive(
    port: int,
    users: list[VirtualUser],
    sessions: dict[str, str],
    scenario: Scenario,
    rounds: int,
    snapshot: Callable[[], dict[str, float]],
) -> None:
    """Run every user in its own thread over `rounds` shuffled passes of its pages."""
    barrier = threading.Barrier(len(users) + 1)
    lock = threading.Lock()
    deadline = time.monotonic() + TIME_LIMIT_S

    def user_loop(user: VirtualUser) -> None:
        rng = benchkit.rng_for(f"{scenario.name}-{user.username}")
        barrier.wait()
        if scenario.think:
            # Users arrive spread over one think time, not all in the same millisecond.
            time.sleep(rng.uniform(0, scenario.think[1]))
        for _ in range(rounds):
            pages = rng.sample(user.pages, len(user.pages))
            for page, path in pages:
                if time.monotonic() > deadline:
                    return
                try:
                    answer = request(port, "GET", path, cookie=sessions[user.username])
                    sample = Sample(page, answer.status, answer.seconds)
                except OSError:
                    sample = Sample(page, 0, 0.0)
                with lock:
                    scenario.samples.append(sample)
                if scenario.think:
                    time.sleep(rng.uniform(*scenario.think))

    threads = [threading.Thread(target=user_loop, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    before = snapshot()
    start = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    scenario.wall_s = time.perf_counter() - start
    after = snapshot()
    scenario.cpu = {key: after[key] - before[key] for key in after}


def run(rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder_name, benchkit.scratch_database(DATABASE) as database_url:
        folder = Path(folder_name)
        static_root = folder / "static"
        benchkit.setup_django(database_url, allowed_hosts="127.0.0.1", static_root=static_root)
        from django.db import connections

        password = benchkit.rng_for("password").randbytes(12).hex()
        started = time.perf_counter()
        users = seed(password)
        connections.close_all()
        setup_s = time.perf_counter() - started

        port = free_port()
        env = benchkit.production_environment(database_url, "127.0.0.1")
        env["DJANGO_SETTINGS_MODULE"] = benchkit.write_settings_shim(folder, static_root)
        log = folder / "gunicorn.log"
        command = [
            str(GUNICORN),
            "config.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            f"{benchkit.ROOT},{folder}",
        ]
        with log.open("wb") as log_file:
            server = subprocess.Popen(command, cwd=benchkit.ROOT, env=env, stdout=log_file, stderr=log_file)
        try:
            wait_until_up(port, server, log)
            with ThreadPoolExecutor(max_workers=WORKERS) as pool:
                sessions = dict(
                    zip([u.username for u in users], pool.map(lambda u: log_in(port, u), users), strict=True)
                )
            # Warm every worker on every page (one untimed pass of all users at once).
            drive(port, users, sessions, Scenario("warm-up", None), 1, lambda: cpu_snapshot(server.pid))
            scenarios = [Scenario(name, think) for name, think in SCENARIOS]
            for scenario in scenarios:
                drive(port, users, sessions, scenario, rounds, lambda: cpu_snapshot(server.pid))
            if any(sample.status != 200 for scenario in scenarios for sample in scenario.samples):
                print(log.read_text(encoding="utf-8")[-3000:], file=sys.stderr)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return {
        "rounds": rounds,
        "users": users,
        "scenarios": scenarios,
        "setup_s": setup_s,
        "cpus": os.cpu_count(),
        "versions": f"Python {platform.python_version()}, gunicorn {_gunicorn_version()}, PostgreSQL 15",
    }


def _gunicorn_version() -> str:
    import gunicorn

    return gunicorn.__version__


# --- Report ---------------------------------------------------------------------------------------


def page_rows(scenario: Scenario) -> list[tuple[str, int, int, float, float, float]]:
    """(page, requests, errors, p50, p95, max) in PAGE_ORDER."""
    by_page: dict[str, list[Sample]] = defaultdict(list)
    for sample in scenario.samples:
        by_page[sample.page].append(sample)
    rows = []
    for page in PAGE_ORDER:
        samples = by_page.get(page, [])
        if not samples:
            continue
        seconds = sorted(s.seconds for s in samples)
        errors = sum(1 for s in samples if s.status != 200)
        rows.append(
            (
                page,
                len(samples),
                errors,
                benchkit.percentile(seconds, 50),
                benchkit.percentile(seconds, 95),
                seconds[-1],
            )
        )
    return rows


def scenario_section(scenario: Scenario) -> list[str]:
    rows = page_rows(scenario)
    total = len(scenario.samples)
    errors = sum(row[2] for row in rows)
    cpu = scenario.cpu
    cores_busy = cpu["machine_busy"] / scenario.wall_s if scenario.wall_s else 0.0
    think = (
        f"think time {scenario.think[0]:g}–{scenario.think[1]:g} s between pages"
        if scenario.think
        else "no think time (next request as soon as the answer arrives)"
    )
    lines = [
        f"### {scenario.name.capitalize()}: 50 at once, {think}",
        "",
        f"{total:,} requests in {scenario.wall_s:.0f} s ({total / scenario.wall_s:.0f} requests/s), "
        f"{errors} errors. CPU used during the run: gunicorn {cpu['gunicorn']:.0f} s, load generator "
        f"{cpu['generator']:.0f} s, whole machine {cores_busy:.2f} of {os.cpu_count()} cores busy on average "
        "(PostgreSQL and other work included).",
        "",
        "| Page | Requests | Errors | p50 | p95 | Max | p95 ≤ 150 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| `{page}` | {count} | {errs} | {benchkit.milliseconds(p50)} | {benchkit.milliseconds(p95)} | "
        f"{benchkit.milliseconds(worst)} | {benchkit.verdict(p95 <= P95_TARGET_S and errs == 0)} |"
        for page, count, errs, p50, p95, worst in rows
    ]
    return lines


def markdown(results: dict[str, Any]) -> str:
    users: list[VirtualUser] = results["users"]
    roles = defaultdict(int)
    for user in users:
        roles[user.role] += 1
    cast = ", ".join(f"{count} {role}" for role, count in roles.items())
    scenarios: list[Scenario] = results["scenarios"]
    verdicts = []
    for scenario in scenarios:
        rows = page_rows(scenario)
        failing = [row[0] for row in rows if row[4] > P95_TARGET_S or row[2]]
        verdicts.append(
            f"| {scenario.name} | every page p95 ≤ 150 ms, no error | "
            f"{'all pages' if not failing else 'over: ' + ', '.join(f'`{page}`' for page in failing)} | "
            f"{benchkit.verdict(not failing)} |"
        )
    lines = [
        START_MARK,
        "## Main pages under 50 concurrent users (bench/load_bench.py)",
        "",
        f"Run {datetime.now().astimezone():%Y-%m-%d %H:%M %z} on the {results['cpus']}-core machine; "
        f"{results['versions']}. `gunicorn config.wsgi --workers {WORKERS}` (sync workers) with production "
        "settings (DEBUG off, manifest static files, persistent database connections) on a throw-away PostgreSQL "
        "database: Hải Phòng's 114 communes, the demo accounts and reports, and reports with varied figures and "
        "statuses for every commune (May 2026, plus accepted or issued ones for March and April). "
        f"Virtual users ({cast}), each logged in through the login form with its own session; "
        f"each passes {results['rounds']} times, in random order, over the pages of its role. "
        "Latency is measured by the client (connect, request, whole answer); any answer other than 200 is an error. "
        "**The load generator (Python threads in the same process as the set-up) runs on the same 2 cores as "
        "gunicorn and PostgreSQL**, and the machine is shared with other work, so these numbers are pessimistic. "
        f"Seeding the database took {results['setup_s']:.0f} s.",
        "",
    ]
    for scenario in scenarios:
        lines += scenario_section(scenario) + [""]
    saturated = [scenario for scenario in scenarios if scenario.think is None]
    if saturated:
        rate = len(saturated[0].samples) / saturated[0].wall_s
        lines += [
            f"Back-to-back, {USERS} requests always wait for {WORKERS} workers on 2 shared cores, so every page "
            f"takes about {USERS} ÷ throughput = {USERS} ÷ {rate:.0f}/s ≈ {USERS / rate * 1000:.0f} ms, whatever its "
            "own cost: this scenario measures capacity, not page speed. Meeting 150 ms in it would need about "
            f"{USERS / P95_TARGET_S:.0f} requests/s.",
            "",
        ]
    lines += [
        "| Scenario | Target | Measured | Result |",
        "| --- | --- | --- | --- |",
        *verdicts,
        END_MARK,
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    benchkit.command_line(
        __doc__.splitlines()[0],
        lambda rounds: markdown(run(rounds)),
        count="rounds",
        default=5,
        minimum=1,
        marks=(START_MARK, END_MARK),
    )


if __name__ == "__main__":
    main()
