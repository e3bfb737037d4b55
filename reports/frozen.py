"""What an issued report shows, frozen at issue, and its PDF and DOCX stored byte for byte.

A signed and stamped paper report never changes, so neither may its electronic copy: the
commune's header lines, place name and symbol, the province's margins, the regime's templates,
directive and outline, the targets and the signer are copied into `Report.frozen` when the report
is numbered; the document is built from that copy ever after (rendering/document.py), and its
PDF and DOCX, rendered once, are kept in IssuedDocument under their SHA-256. The figures and
narrative need no copy: an issued report's row cannot change (Report.save, workflow._claim).

This store is permanent and one file per format and revision; the content-keyed render cache of
rendering/export.py is a separate, disposable thing.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from communes.models import Commune, Province
from reports.models import IssuedDocument, OutlineSection, Period, Report, ReportingRegime

FROZEN_VERSION = 1
COMMUNE_FIELDS = (
    "code",
    "name",
    "kind",
    "header_parent",
    "header_agency",
    "place_name",
    "document_symbol",
    "signer_authority",
    "signer_position",
    "signer_name",
    "recipients",
)
PROVINCE_FIELDS = ("code", "name", "kind", "margin_top_mm", "margin_bottom_mm", "margin_left_mm", "margin_right_mm")
REGIME_FIELDS = (
    "name",
    "directive",
    "frequency",
    "subject_template",
    "opening_template",
    "closing_template",
    "include_appendix",
)
SECTION_FIELDS = ("id", "parent_id", "position", "key", "number_style", "title", "kind", "run_in", "template")
ISSUED_FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Sources:
    """Everything besides the report row that its document reads."""

    commune: Commune
    period: Period
    regime: ReportingRegime
    sections: list[OutlineSection]
    targets: dict[str, Decimal]


def freeze(report: Report) -> dict[str, Any]:
    """The frozen copy for `report`, read fresh from the database (never from cached relations
    that an earlier screen loaded)."""
    commune = Commune.objects.select_related("province").get(pk=report.commune_id)
    period = Period.objects.select_related("regime").get(pk=report.period_id)
    return frozen_copy(report, commune, period)


def frozen_copy(report: Any, commune: Any, period: Any) -> dict[str, Any]:
    """The frozen copy from loaded rows (typed loosely: the data migration passes historical models)."""
    regime = period.regime
    sections = list(regime.sections.order_by("parent_id", "position", "id"))
    return {
        "version": FROZEN_VERSION,
        "commune": {name: getattr(commune, name) for name in COMMUNE_FIELDS},
        "province": {name: getattr(commune.province, name) for name in PROVINCE_FIELDS},
        "regime": {name: getattr(regime, name) for name in REGIME_FIELDS},
        "sections": [{name: getattr(section, name) for name in SECTION_FIELDS} for section in sections],
        "targets": {target.indicator: str(target.minimum) for target in regime.targets.all()},
        "period": {
            "year": period.year,
            "number": period.number,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "deadline": period.deadline.isoformat(),
            # Absent from the historical model when the data migration freezes older reports.
            "directive": getattr(period, "directive", ""),
        },
        # What the report itself printed when its own fields were empty (the commune's defaults).
        "signer": {
            "authority": report.signer_authority or commune.signer_authority,
            "position": report.signer_position or commune.signer_position,
            "name": report.signer_name or commune.signer_name,
        },
        "recipients": report.recipients or commune.recipients,
    }


def thaw(frozen: dict[str, Any]) -> Sources:
    """Unsaved model instances holding the frozen values, for the document builder."""
    province = Province(**frozen["province"])
    commune = Commune(**frozen["commune"], province=province)
    regime = ReportingRegime(**frozen["regime"], province=province)
    dates = frozen["period"]
    period = Period(
        regime=regime,
        year=dates["year"],
        number=dates["number"],
        start=date.fromisoformat(dates["start"]),
        end=date.fromisoformat(dates["end"]),
        deadline=date.fromisoformat(dates["deadline"]),
        directive=dates.get("directive", ""),
    )
    sections = [OutlineSection(regime=regime, **fields) for fields in frozen["sections"]]
    targets = {indicator: Decimal(minimum) for indicator, minimum in frozen["targets"].items()}
    return Sources(commune=commune, period=period, regime=regime, sections=sections, targets=targets)


def content_hash(report: Report) -> str:
    """SHA-256 of everything the issued document shows: the frozen copy and the report's own content."""
    payload = {
        "frozen": report.frozen,
        "figures": report.figures,
        "narrative": report.narrative,
        "number": report.number,
        "issued_on": report.issued_on.isoformat() if report.issued_on else None,
    }
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def stored_document(report: Report, fmt: str) -> bytes:
    """The issued report's stored PDF or DOCX; rendered from the frozen copy and stored the first
    time (at issue, or on first download if that did not happen), then always the same bytes."""
    if fmt not in ISSUED_FORMATS or report.frozen is None:
        raise ValueError(f"Không có bản ban hành dạng “{fmt}” cho báo cáo này.")
    source = content_hash(report)
    existing = IssuedDocument.objects.filter(report=report, fmt=fmt, source_sha256=source).first()
    if existing is not None:
        return _read(existing)
    from reports.rendering.export import render_fresh

    data = render_fresh(report, fmt)
    digest = hashlib.sha256(data).hexdigest()
    document = IssuedDocument(
        report=report, revision=report.revision, fmt=fmt, sha256=digest, source_sha256=source, size=len(data)
    )
    document.file.save(f"{digest}.{fmt}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # A concurrent request stored it first: serve theirs, so every copy is the same.
        document.file.delete(save=False)
        return _read(IssuedDocument.objects.get(report=report, fmt=fmt, source_sha256=source))
    return data


def _read(document: IssuedDocument) -> bytes:
    with document.file.open("rb") as handle:
        data: bytes = handle.read()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise ValueError("Tệp bản ban hành không khớp mã băm SHA-256 đã ghi nhận: tệp có thể đã bị thay đổi.")
    return data


def store_issued_documents(report_id: int) -> None:
    """Render and keep the PDF and DOCX of a report just numbered (run after the issue commits)."""
    report = Report.objects.select_related("commune__province", "period__regime").get(pk=report_id)
    if report.frozen is None:
        return
    for fmt in ISSUED_FORMATS:
        stored_document(report, fmt)
