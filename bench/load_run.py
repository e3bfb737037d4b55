"""Runs bench/load.py (locust, headless) against gunicorn + PostgreSQL on loopback; writes RESULTS.md.

Seeds a throw-away database (tthc_bench_h13load, dropped at the end): Hải Phòng's 114 communes,
one officer and one draft report (May 2026, varied figures) per commune, 5 city reviewers.
Starts `gunicorn -c deploy/gunicorn.conf.py` with production settings and Redis (REDIS_URL, db
13), runs locust for --minutes with 119 users arriving --spawn-rate a second (default 1), then reads each
worker's resident memory and the CPU gunicorn used, and writes the section of bench/RESULTS.md.

Locust lives in its own virtualenv (bench/requirements.txt):
    python3 -m venv /tmp/locust && /tmp/locust/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/load_run.py --locust /tmp/locust/bin/locust [--minutes 5]
"""

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from io import StringIO
from pathlib import Path

import benchkit

DATABASE = "tthc_bench_h13load"
START_MARK = "<!-- load_locust:start -->"
END_MARK = "<!-- load_locust:end -->"
HAI_PHONG, HUNG_THANG, BINH_GIANG = 31, 11809, 10966
REVIEWERS = 5
PAGE_TARGET_MS, PDF_TARGET_MS = 150, 1000


def seed(password: str, out: Path) -> int:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from communes.models import Commune, Membership, Role
    from reports.models import Report, ReportStatus

    call_command("migrate", verbosity=0)
    call_command("load_communes", province=str(HAI_PHONG), stdout=StringIO())
    call_command("seed_demo", force=True, stdout=StringIO())
    user_model = get_user_model()
    demo = {user.username: user for user in user_model.objects.all()}
    seed_report = Report.objects.select_related("period").get(commune_id=HUNG_THANG)
    may = seed_report.period
    Report.objects.filter(period=may).update(status=ReportStatus.DRAFT)
    communes = list(Commune.objects.filter(province_id=HAI_PHONG).order_by("code"))
    have = set(Report.objects.filter(period=may).values_list("commune_id", flat=True))
    rng = benchkit.rng_for("load_locust")
    benchkit.bulk_reports(
        period=may,
        communes=[c for c in communes if c.pk not in have],
        template=benchkit.seed_report_data(),
        submitter=demo["canbo.hungthang"],
        reviewer=demo["trungtam.haiphong"],
        statuses=["draft"] * len(communes),
        rng=rng,
    )
    hashed = make_password(password)
    officers = [user_model(username=f"load.xa.{c.code}", password=hashed) for c in communes]
    reviewers = [user_model(username=f"load.thamdinh.{n}", password=hashed) for n in range(1, REVIEWERS + 1)]
    user_model.objects.bulk_create(officers + reviewers)
    Membership.objects.bulk_create(
        [Membership(user=u, role=Role.COMMUNE_OFFICER, commune=c) for u, c in zip(officers, communes, strict=True)]
        + [Membership(user=u, role=Role.CITY_REVIEWER, province_id=HAI_PHONG) for u in reviewers]
    )
    own = dict(Report.objects.filter(period=may).values_list("commune_id", "pk"))
    with (out / "load_users.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["username", "password", "role", "report_id", "period_id"])
        for user, commune in zip(officers, communes, strict=True):
            writer.writerow([user.username, password, "officer", own[commune.pk], may.pk])
        for user in reviewers:
            writer.writerow([user.username, password, "reviewer", "", may.pk])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(communes)


def shim_settings(folder: Path, static_root: Path) -> str:
    """benchkit's settings shim, with cookies a plain-HTTP client may send back.

    Production marks the session and CSRF cookies Secure (HTTPS only); locust speaks plain HTTP
    to loopback, where nginx would otherwise terminate TLS, so its client would drop them.
    """
    module = benchkit.write_settings_shim(folder, static_root)
    with (folder / f"{module}.py").open("a", encoding="utf-8") as handle:
        handle.write("SESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\n")
    return module


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_up(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    import http.client

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped:\n" + log.read_text(encoding="utf-8")[-3000:])
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--locust", default=str(Path(sys.prefix).parent / "locust-venv" / "bin" / "locust"))
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    # Users (and their one login each) arriving per second; each login hashes a password (~0.4 s CPU).
    parser.add_argument("--spawn-rate", type=float, default=1)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    out = benchkit.ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder_name, benchkit.scratch_database(DATABASE) as database_url:
        folder = Path(folder_name)
        static_root = folder / "static"
        benchkit.setup_django(database_url, allowed_hosts="127.0.0.1", static_root=static_root)
        from django.db import connections

        password = benchkit.rng_for("password").randbytes(12).hex()
        communes = seed(password, out)
        connections.close_all()
        port = 18613
        env = benchkit.production_environment(database_url, "127.0.0.1")
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": shim_settings(folder, static_root),
                "PYTHONPATH": f"{benchkit.ROOT}:{folder}",
                "REDIS_URL": "redis://127.0.0.1:6379/13",
                "WEB_CONCURRENCY": str(args.workers),
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                # Every user logs in from 127.0.0.1; the throttle counts pairs, so no lockout.
                "DJANGO_LOG_LEVEL": "WARNING",
                "DJANGO_AUDIT_LOG_LEVEL": "WARNING",
            }
        )
        log = folder / "gunicorn.log"
        gunicorn = benchkit.ROOT / ".venv" / "bin" / "gunicorn"
        with log.open("wb") as log_file:
            server = subprocess.Popen(
                [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
                cwd=benchkit.ROOT,
                env=env,
                stdout=log_file,
                stderr=log_file,
            )
        try:
            wait_until_up(port, server, log)
            cpu_before = sum(cpu_s(pid) for pid in [server.pid, *children(server.pid)])
            started = time.monotonic()
            locust_env = dict(
                os.environ, LOAD_USERS=str(out / "load_users.csv"), LOAD_SECONDS=str(int(args.minutes * 60))
            )
            subprocess.run(
                [
                    args.locust,
                    "-f",
                    str(benchkit.ROOT / "bench" / "load.py"),
                    "--headless",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--users",
                    str(communes + REVIEWERS),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{int(args.minutes * 60)}s",
                    "--csv",
                    str(out / "load"),
                    "--only-summary",
                ],
                env=locust_env,
                check=False,
            )
            elapsed = time.monotonic() - started
            workers = children(server.pid)
            cpu_used = sum(cpu_s(pid) for pid in [server.pid, *workers]) - cpu_before
            rss = [rss_mib(pid) for pid in workers]
        finally:
            server.terminate()
            server.wait(timeout=60)
        errors = [line for line in log.read_text(encoding="utf-8").splitlines() if "level=ERROR" in line][:20]
    stats = list(csv.DictReader((out / "load_stats.csv").open(encoding="utf-8")))
    section = markdown(stats, elapsed, cpu_used, rss, args, communes, errors)
    print(section)
    if not args.no_write:
        benchkit.write_section(section, START_MARK, END_MARK)


def markdown(
    stats: list[dict[str, str]],
    elapsed: float,
    cpu_used: float,
    rss: list[float],
    args: argparse.Namespace,
    communes: int,
    errors: list[str],
) -> str:  # noqa: E501
    total = next(row for row in stats if row["Name"] == "Aggregated")
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])
    lines = [
        START_MARK,
        "## 114 officers editing, 5 reviewers browsing (bench/load.py, locust)",
        "",
        f"Run {datetime.now().astimezone():%Y-%m-%d %H:%M %z} on {os.cpu_count()} CPUs; Python "
        f"{platform.python_version()}, PostgreSQL 15, Redis. `gunicorn -c deploy/gunicorn.conf.py` "
        f"({args.workers} gthread workers × 4 threads, production settings) on loopback; locust "
        f"(headless, {communes + REVIEWERS} users spawned {args.spawn_rate:g}/s, {args.minutes:g} min) on the same machine; "
        f"1-minute load average {os.getloadavg()[0]:.1f} at the end (other work on the machine).",
        "",
        f"{requests:,} requests in {elapsed:.0f} s ({requests / elapsed:.1f} requests/s), {failures} failures. "
        f"CPU used by gunicorn: {cpu_used:.0f} s ({1000 * cpu_used / max(requests, 1):.1f} ms per request). "
        f"Worker resident memory at the end: {', '.join(f'{value:.0f} MiB' for value in rss)}.",
        "",
        "| Request | Count | Failures | p50 | p95 | p99 | Max | Target p95 | Result |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in stats:
        if row["Name"] == "Aggregated":
            continue
        target = PDF_TARGET_MS if "download" in row["Name"] else PAGE_TARGET_MS
        p95 = float(row["95%"])
        lines.append(
            f"| {row['Type']} `{row['Name']}` | {row['Request Count']} | {row['Failure Count']} | {row['50%']} ms | "
            f"{row['95%']} ms | {row['99%']} ms | {float(row['Max Response Time']):.0f} ms | {target} ms | "
            f"{'pass' if p95 <= target and row['Failure Count'] == '0' else 'miss'} |"
        )
    if errors:
        lines += ["", "Server errors logged:", "", *[f"    {line}" for line in errors]]
    lines.append(END_MARK)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
