"""Backup and restore as docs/deploy.md describes: pg_dump of the database plus the media folder.

PostgreSQL only (pg_dump/pg_restore against the test database); skipped on SQLite with a message.
The data is committed (TransactionTestCase) so that pg_dump, another connection, sees it.
"""

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import psycopg
from django.core.files.base import ContentFile
from django.db import connection
from django.test import TransactionTestCase, override_settings

from communes.models import Role
from reports import services
from reports.models import EventKind, ReportStatus, SignedScan
from tests import factories


def _conninfo(dbname: str) -> dict[str, str]:
    settings_dict = connection.settings_dict
    info = {"dbname": dbname, "user": settings_dict["USER"] or "postgres"}
    if settings_dict["HOST"]:
        info["host"] = settings_dict["HOST"]
    if settings_dict["PORT"]:
        info["port"] = str(settings_dict["PORT"])
    if settings_dict["PASSWORD"]:
        info["password"] = settings_dict["PASSWORD"]
    return info


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if connection.settings_dict["PASSWORD"]:
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return env


def _pg_args() -> list[str]:
    info = _conninfo("")
    args = ["--username", info["user"], "--no-password"]
    if "host" in info:
        args += ["--host", info["host"]]
    if "port" in info:
        args += ["--port", info["port"]]
    return args


class BackupRestoreTests(TransactionTestCase):
    def setUp(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("Sao lưu/khôi phục bằng pg_dump chỉ kiểm thử được trên PostgreSQL (đặt DATABASE_URL).")
        if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
            self.skipTest("Cần pg_dump và pg_restore (gói postgresql-client).")
        self.media = Path(tempfile.mkdtemp(prefix="media-"))
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)

    def make_data(self) -> None:
        province = factories.make_province()
        commune_a = factories.make_commune(11809, "Xã Hùng Thắng", province)
        commune_b = factories.make_commune(10966, "Xã Bình Giang", province)
        officer = factories.make_user("canbo.a", Role.COMMUNE_OFFICER, commune=commune_a)
        period = factories.make_period(factories.make_regime(province))
        for commune in (commune_a, commune_b):
            report = factories.make_report(commune, period, status=ReportStatus.ISSUED)
            services.record_event(report, kind=EventKind.SUBMITTED, by=officer, note="Gửi báo cáo có dấu: ừ, ỡ.")
            data = b"%PDF-1.7 scan of " + commune.name.encode()
            digest = hashlib.sha256(data).hexdigest()
            scan = SignedScan(
                report=report,
                revision=0,
                original_name="ban-ky.pdf",
                size=len(data),
                sha256=digest,
                uploaded_by=officer,
            )
            scan.file.save(f"{digest}.pdf", ContentFile(data), save=True)

    def snapshot(self, cursor: psycopg.Cursor) -> dict[str, list[tuple[object, ...]]]:
        queries = {
            "reports": "SELECT id, commune_id, period_id, status, number, figures::text FROM reports_report ORDER BY id",
            "events": "SELECT id, report_id, kind, by_id, note, at FROM reports_reportevent ORDER BY id",
            "scans": "SELECT id, report_id, sha256, size, file FROM reports_signedscan ORDER BY id",
        }
        return {name: cursor.execute(sql).fetchall() for name, sql in queries.items()}

    def test_a_dump_restored_into_an_empty_database_keeps_reports_history_and_scans(self) -> None:
        with override_settings(MEDIA_ROOT=self.media):
            self.make_data()
        source = connection.settings_dict["NAME"]
        target = f"{source}_restore"
        work = Path(tempfile.mkdtemp(prefix="backup-"))
        self.addCleanup(shutil.rmtree, work, ignore_errors=True)
        dump = work / "tthc.dump"

        # Backup, as docs/deploy.md: the database in custom format, then the media folder.
        subprocess.run(["pg_dump", *_pg_args(), "--format=custom", "--file", str(dump), source], check=True, env=_env())
        with tarfile.open(work / "media.tar.gz", "w:gz") as archive:
            archive.add(self.media, arcname="media")

        # Restore into an empty database and an empty media folder.
        admin = _conninfo("postgres")
        with psycopg.connect(**admin, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{target}"')
            server.execute(f'CREATE DATABASE "{target}"')
        self.addCleanup(self.drop, target)
        subprocess.run(
            ["pg_restore", *_pg_args(), "--no-owner", "--exit-on-error", "--dbname", target, str(dump)],
            check=True,
            env=_env(),
        )
        restored_media = work / "restored"
        with tarfile.open(work / "media.tar.gz") as archive:
            archive.extractall(restored_media, filter="data")

        with psycopg.connect(**_conninfo(source)) as before, psycopg.connect(**_conninfo(target)) as after:
            original = self.snapshot(before.cursor())
            restored = self.snapshot(after.cursor())
        self.assertEqual(len(original["reports"]), 2)
        self.assertEqual(len(original["scans"]), 2)
        self.assertGreaterEqual(len(original["events"]), 2)
        self.assertEqual(restored, original)
        # Every scan's file is back and still matches the hash recorded at upload.
        for _, _, sha256, size, name in restored["scans"]:
            data = (restored_media / "media" / str(name)).read_bytes()
            self.assertEqual((hashlib.sha256(data).hexdigest(), len(data)), (sha256, size))

    def drop(self, name: str) -> None:
        with psycopg.connect(**_conninfo("postgres"), autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
