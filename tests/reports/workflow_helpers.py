"""Helpers shared by the review-workflow tests: a cast with a period and reports, real PDFs,
a throw-away MEDIA_ROOT, and a way to drive a report to a status through the real services."""

import io
import shutil
import tempfile
from datetime import date, datetime, timedelta
from itertools import cycle
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from pypdf import PdfWriter

from communes.models import Role
from reports import workflow
from reports.models import NumberStyle, OutlineSection, Period, Report, ReportStatus, ReviewComment, Submission
from tests import factories
from tests.base import BaseTestCase

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Period 2026-05 (cut-off 14, two working days): 15/4/2026 – 14/5/2026, due Monday 18/5/2026.
PERIOD_END = date(2026, 5, 14)
DEADLINE = date(2026, 5, 18)
BEFORE_DEADLINE = datetime(2026, 5, 15, 9, 0, tzinfo=VN)
AFTER_DEADLINE = datetime(2026, 5, 20, 9, 0, tzinfo=VN)


OUTLINE = (("ket-qua", "Kết quả thực hiện"), ("phuong-huong", "Phương hướng, nhiệm vụ tháng tới"))


def at(moment: datetime) -> time_machine.travel:
    """Travel to `moment` and stay there (tick=False keeps timestamps deterministic)."""
    return time_machine.travel(moment, tick=False)


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("mat-khau")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# The 8-byte PNG signature and the start of an IHDR chunk: a picture, whatever its name says.
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def upload(data: bytes, name: str = "ban-ky.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def unbalanced_figures() -> dict[str, Any]:
    """One results row that received 5 dossiers and resolved none: a hard rule is broken."""
    return {
        "results": [{"source": "Hệ thống thông tin giải quyết TTHC thành phố", "kind": "city", "online": 5}],
        "sector_agencies": [],
        "directives": [],
        "values": {},
    }


def balanced_figures(received: int = 10, pakn: int = 0) -> dict[str, Any]:
    return {
        "results": [
            {
                "source": "Hệ thống thông tin giải quyết TTHC thành phố",
                "kind": "city",
                "online": received,
                "on_time": received,
            }
        ],
        "sector_agencies": [],
        "directives": [],
        "values": {"pakn_received": pakn, "pakn_resolved": pakn},
    }


class TempMediaMixin:
    """Each test stores uploads in its own temporary MEDIA_ROOT, removed afterwards. The class
    gets one too, so a subclass whose setUp forgets super() still never writes to the real one."""

    media_root: Path

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()  # type: ignore[misc]
        root = tempfile.mkdtemp(prefix="tthc-media-class-")
        override = override_settings(MEDIA_ROOT=root)
        override.enable()
        cls.addClassCleanup(shutil.rmtree, root, ignore_errors=True)
        cls.addClassCleanup(override.disable)

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.media_root = Path(tempfile.mkdtemp(prefix="tthc-media-"))
        override = override_settings(MEDIA_ROOT=str(self.media_root))
        override.enable()
        self.addCleanup(shutil.rmtree, self.media_root, ignore_errors=True)
        self.addCleanup(override.disable)


class WorkflowTestCase(BaseTestCase):
    """The cast, period 2026-05 of Hải Phòng's regime, a draft per commune and an officer of
    commune A who may submit."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.regime = factories.make_regime(cls.province)
        for position, (key, title) in enumerate(OUTLINE, start=1):
            OutlineSection.objects.create(
                regime=cls.regime, key=key, title=title, number_style=NumberStyle.ROMAN, position=position
            )
        cls.period = factories.make_period(cls.regime, "2026-05")
        cls.report_a = factories.make_report(cls.commune_a, cls.period)
        cls.report_b = factories.make_report(cls.commune_b, cls.period)
        cls.submitting_officer_a = factories.make_user(
            "canbo.a.duocgui", Role.COMMUNE_OFFICER, commune=cls.commune_a, can_submit=True
        )

    def fresh(self, report: Report) -> Report:
        return Report.objects.select_related("commune__province", "period__regime").get(pk=report.pk)

    def drive(
        self, report: Report, status: str, *, issued_on: date | None = None, moment: datetime = BEFORE_DEADLINE
    ) -> Report:
        """Take a draft to `status` through the real workflow functions, as of `moment`."""
        leader = self.leader_a if report.commune_id == self.commune_a.pk else self.leader_b
        with at(moment):
            report = self.fresh(report)
            if status == ReportStatus.DRAFT:
                return report
            workflow.submit_report(report, by=leader)
            if status == ReportStatus.SUBMITTED:
                return self.fresh(report)
            if status == ReportStatus.RETURNED:
                workflow.return_report(report, by=self.reviewer, reason="Bổ sung số liệu.")
                return self.fresh(report)
            workflow.accept_report(report, by=self.reviewer)
            if status == ReportStatus.ACCEPTED:
                return self.fresh(report)
            workflow.issue_report(report, by=leader, issued_on=issued_on or moment.date())
            return self.fresh(report)

    def snapshot(self, report: Report) -> dict[str, Any]:
        """What a refused action must leave untouched."""
        stored = Report.objects.get(pk=report.pk)
        return {
            "status": stored.status,
            "version": stored.version,
            "revision": stored.revision,
            "number": stored.number,
            "issued_on": stored.issued_on,
            "accepted_at": stored.accepted_at,
            "submitted_at": stored.submitted_at,
            "submissions": Submission.objects.filter(report=report).count(),
            "comments": list(ReviewComment.objects.filter(report=report).values_list("body", "answer")),
            "events": stored.events.count(),
        }


STATUSES = (
    ReportStatus.DRAFT,
    ReportStatus.SUBMITTED,
    ReportStatus.RETURNED,
    ReportStatus.ACCEPTED,
    ReportStatus.ISSUED,
    None,  # no report yet
)


def add_submission(report: Report, *, on_time: bool, sequence: int = 1) -> Submission:
    moment = datetime.combine(DEADLINE + timedelta(days=-1 if on_time else 2), datetime.min.time(), tzinfo=VN)
    Report.objects.filter(pk=report.pk).update(submitted_at=moment)
    return Submission.objects.create(
        report=report,
        sequence=sequence,
        submitted_at=moment,
        submitted_by=factories.make_user(f"gui.{report.pk}.{sequence}"),
        deadline=DEADLINE,
        on_time=on_time,
        content={},
    )


class DashboardTestCase(WorkflowTestCase):
    def grid_period(self) -> Period:
        # As the view gets it from communes.access.get_period_for_grid.
        return Period.objects.select_related("regime__province").get(pk=self.period.pk)

    def add_communes(self, count: int, *, start: int = 20000) -> None:
        """`count` more communes of Hải Phòng with reports in every status, some late."""
        statuses = cycle(STATUSES)
        for index in range(count):
            commune = factories.make_commune(start + index, f"Xã Thử Nghiệm {index:02d}", self.province)
            status = next(statuses)
            if status is None:
                continue
            report = factories.make_report(commune, self.period, status=status)
            if status != ReportStatus.DRAFT:
                add_submission(report, on_time=index % 2 == 0)
                add_submission(report, on_time=False, sequence=2)
