"""Find stored texts and report content that break today's rules (reports/content.py, reports/text.py).

Reports: content through `clean_content` (characters, limits, keys, numbers, size); submissions'
and versions' snapshots through the import's content check; commune document fields, regime
templates, outline sections and review comments through the character rules. Every text is also
checked for NFC and CR line breaks. Nothing changes unless --fix is given, and --fix applies only
the safe fixes (NFC, LF line breaks, control characters removed) to reports, communes, regimes,
sections and comments; snapshots are the record of what was sent or issued and are only reported
(the renderers strip control characters from them when printing).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import models, transaction
from django.db.models import F

from communes.admin import CommuneForm
from communes.models import Commune
from reports.content import SIGNER_FIELDS, ContentError, clean_content
from reports.diff import diff_content
from reports.exchange.importer import content_problems
from reports.models import (
    EventKind,
    OutlineSection,
    Report,
    ReportEvent,
    ReportingRegime,
    ReportVersion,
    ReviewComment,
    Submission,
)
from reports.queries import entry as entry_queries
from reports.text import char_problem, normalise_text, strip_forbidden

# The document details a city administrator edits in the admin.
COMMUNE_FIELDS = tuple(CommuneForm.Meta.fields)
REGIME_FIELDS = ("name", "directive", "subject_template", "opening_template", "closing_template")
SECTION_FIELDS = ("title", "template", "default_text")
COMMENT_FIELDS = ("body", "answer")
REPORT_JSON_FIELDS = ("figures", "narrative", "explanations")
FIX_NOTE = "Sửa ký tự trong nội dung đã lưu (lệnh check_content --fix: dạng NFC, xuống dòng, bỏ ký tự điều khiển)."


@dataclass(frozen=True)
class Finding:
    where: str
    message: str


def safe_fix(value: Any) -> Any:
    """`value` with every string inside it in NFC, with LF line breaks and no forbidden character."""
    if isinstance(value, str):
        return strip_forbidden(normalise_text(value))
    if isinstance(value, dict):
        return {safe_fix(key): safe_fix(item) for key, item in value.items()}
    if isinstance(value, list):
        return [safe_fix(item) for item in value]
    return value


def text_problems(value: Any) -> list[str]:
    """What breaks the character rules in the strings inside `value` (first problem of each kind)."""
    strings = list(_strings(value))
    problems = []
    for text in strings:
        problem = char_problem(text.replace("\r", ""))
        if problem is not None:
            problems.append(problem)
            break
    if any("\r" in text for text in strings):
        problems.append("có ký tự xuống dòng CR (\\r).")
    if any(normalise_text(text.replace("\r", "")) != text.replace("\r", "") for text in strings):
        problems.append("chữ không ở dạng Unicode NFC.")
    return problems


def _strings(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class Command(BaseCommand):
    help = (
        "Tìm nội dung đã lưu vi phạm quy tắc ký tự, độ dài, mục và số liệu (báo cáo, bản đã gửi, phiên bản, "
        "thông tin xã, chế độ báo cáo, ý kiến). Không thay đổi gì, trừ khi có --fix (chỉ sửa an toàn)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Sửa những lỗi sửa được an toàn: dạng NFC, ký tự xuống dòng, bỏ ký tự điều khiển.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fix: bool = options["fix"]
        findings: list[Finding] = []
        fixed: list[str] = []
        with transaction.atomic():
            findings += self._reports(fix, fixed)
            findings += self._snapshots()
            for model, names, describe in (
                (Commune, COMMUNE_FIELDS, lambda c: f"Xã {c.pk} ({c.name})"),
                (ReportingRegime, REGIME_FIELDS, lambda r: f"Chế độ báo cáo {r.pk} ({r.name})"),
                (OutlineSection, SECTION_FIELDS, lambda s: f"Mục {s.key} của chế độ báo cáo {s.regime_id}"),
                (ReviewComment, COMMENT_FIELDS, lambda c: f"Ý kiến {c.pk} (báo cáo {c.report_id})"),
            ):
                findings += self._texts(model, names, describe, fix, fixed)
        for finding in findings:
            self.stdout.write(f"{finding.where}: {finding.message}")
        for line in fixed:
            self.stdout.write(f"Đã sửa: {line}")
        if not findings:
            self.stdout.write("Không có nội dung nào vi phạm quy tắc.")
        elif not fix:
            self.stdout.write(f"{len(findings)} lỗi; chưa sửa gì (dùng --fix để sửa những lỗi sửa được an toàn).")

    def _reports(self, fix: bool, fixed: list[str]) -> list[Finding]:
        findings = []
        reports = Report.objects.select_related("commune", "period__regime").order_by("pk")
        outlines: dict[int, Any] = {}
        for report in reports:
            where = f"Báo cáo {report.pk} ({report.commune.name}, {report.period.label})"
            regime_id = report.period.regime_id
            outline = outlines.setdefault(regime_id, entry_queries.outline_for_regime(regime_id))
            stored = {name: getattr(report, name) for name in (*REPORT_JSON_FIELDS, *SIGNER_FIELDS)}
            findings += [
                Finding(where, f"{name}: {problem}") for name in stored for problem in text_problems(stored[name])
            ]
            repaired = {name: safe_fix(value) for name, value in stored.items()}
            keep = report.narrative if isinstance(report.narrative, dict) else {}
            try:
                clean_content(repaired, outline=outline, keep_keys=keep)
            except ContentError as error:
                findings += [Finding(where, f"{problem.message} (không tự sửa được)") for problem in error.problems]
            changed = {name: value for name, value in repaired.items() if value != stored[name]}
            if fix and changed:
                self._fix_report(report, stored, changed)
                fixed.append(f"{where}: {', '.join(sorted(changed))}")
        return findings

    @staticmethod
    def _fix_report(report: Report, stored: dict[str, Any], changed: dict[str, Any]) -> None:
        # A new version: an editor holding the old one gets a conflict instead of overwriting.
        Report.objects.filter(pk=report.pk).update(**changed, version=F("version") + 1)
        changes = [change.as_dict() for change in diff_content(stored, {**stored, **changed})]
        ReportEvent.objects.create(report=report, kind=EventKind.SAVED, by=None, changes=changes, note=FIX_NOTE)

    def _snapshots(self) -> list[Finding]:
        findings = []
        kinds: tuple[tuple[type[Submission] | type[ReportVersion], str], ...] = (
            (Submission, "bản đã gửi"),
            (ReportVersion, "phiên bản đính chính"),
        )
        for model, label in kinds:
            for snapshot in model.objects.order_by("report_id", "pk"):
                where = f"Báo cáo {snapshot.report_id}, {label} {snapshot.pk}"
                data = snapshot.content
                findings += [Finding(where, problem) for problem in text_problems(data)]
                if isinstance(data, dict):
                    problems = content_problems(safe_fix(data))
                    findings += [Finding(where, f"{p.path}: {p.message} (chỉ báo, không sửa)") for p in problems]
        return findings

    def _texts(
        self, model: type[models.Model], names: tuple[str, ...], describe: Any, fix: bool, fixed: list[str]
    ) -> list[Finding]:
        findings = []
        for row in model._default_manager.order_by("pk"):
            changed = {}
            for name in names:
                value = getattr(row, name)
                problems = text_problems(value)
                label = getattr(model._meta.get_field(name), "verbose_name", name)
                findings += [Finding(describe(row), f"{label}: {p}") for p in problems]
                if problems and safe_fix(value) != value:
                    changed[name] = safe_fix(value)
            if fix and changed:
                model._default_manager.filter(pk=row.pk).update(**changed)
                fixed.append(f"{describe(row)}: {', '.join(sorted(changed))}")
        return findings
