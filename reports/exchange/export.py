"""Export: everything a report holds, with its regime and outline, as an exchange document."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from communes.models import Commune
from reports import figures as fig
from reports.exchange.schema import FORMAT, FORMAT_VERSION, ReportLookupError
from reports.models import (
    OutlineSection,
    Report,
)
from reports.periods import PeriodKey

ANY_SLUG_HINT = "2026-05 (tháng), 2026-Q1 (quý), 2026-H1 (6 tháng), 2026-9M (9 tháng) hoặc 2026 (năm)"

REGIME_FIELDS = (
    "directive",
    "frequency",
    "cutoff_day",
    "deadline_working_days",
    "subject_template",
    "opening_template",
    "closing_template",
    "include_appendix",
)
# Regime settings a file carries only when they differ from their default, so files of regimes
# that do not use them stay as they were written (docs/report-format.md).
OPTIONAL_REGIME_FIELDS: dict[str, Any] = {
    "month_offset": 0,
    "issue_flow": "review_then_issue",
    "allow_early_sending": False,
}
SECTION_FIELDS = ("number_style", "title", "kind", "run_in", "template", "default_text")
DOCUMENT_TEXT_FIELDS = ("signer_authority", "signer_position", "signer_name")


# --- Export -----------------------------------------------------------------------------------


def _json_number(number: Decimal | float | int) -> int | float:
    # 100 stays 100 rather than 100.0, so a file round-trips as it was written.
    if isinstance(number, int):
        return number
    return int(number) if number == int(number) else float(number)


def _export_figures(stored: Mapping[str, Any]) -> dict[str, Any]:
    figures = fig.normalise_figures(stored)
    # Counts only some reports have (by post, returned) are written when not 0, so a report
    # without them reads as it did in version 1.
    figures["results"] = [
        {name: value for name, value in row.items() if name not in fig.OPTIONAL_RESULT_FIELDS or value}
        for row in figures["results"]
    ]
    figures["values"] = {key: _json_number(value) for key, value in figures["values"].items()}
    return figures


def _outline_keys(outline: Sequence[Mapping[str, Any]]) -> list[str]:
    keys: list[str] = []
    for section in outline:
        keys.append(section["key"])
        keys += _outline_keys(section["children"])
    return keys


def _export_narrative(stored: Mapping[str, Any], outline: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    # Outline order, not the stored order: PostgreSQL's jsonb does not keep key order, and the
    # same report must export to the same file on every database.
    position = {key: index for index, key in enumerate(_outline_keys(outline))}
    narrative = {}
    for key, entry in sorted(stored.items(), key=lambda item: (position.get(item[0], len(position)), item[0])):
        if isinstance(entry, Mapping):
            narrative[key] = {"text": str(entry.get("text") or ""), "after": str(entry.get("after") or "")}
        else:
            narrative[key] = {"text": str(entry or ""), "after": ""}
    return narrative


def _export_outline(sections: Sequence[OutlineSection]) -> list[dict[str, Any]]:
    by_parent: dict[int | None, list[OutlineSection]] = {}
    for section in sections:
        by_parent.setdefault(section.parent_id, []).append(section)

    def build(parent_id: int | None) -> list[dict[str, Any]]:
        siblings = sorted(by_parent.get(parent_id, ()), key=lambda s: (s.position, s.pk))
        return [
            {
                "key": section.key,
                **{name: getattr(section, name) for name in SECTION_FIELDS},
                "children": build(section.pk),
            }
            for section in siblings
        ]

    return build(None)


def export_report_data(report: Report) -> dict[str, Any]:
    """The report as an exchange document; three queries whatever the size of the outline."""
    report = Report.objects.select_related("commune", "period__regime").get(pk=report.pk)
    regime = report.period.regime
    targets = list(regime.targets.order_by("id"))
    sections = list(regime.sections.all())
    outline = _export_outline(sections)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "commune": {"code": report.commune.code, "name": report.commune.name},
        "regime": {
            "province": regime.province_id,
            "name": regime.name,
            **{name: getattr(regime, name) for name in REGIME_FIELDS},
            **{
                name: getattr(regime, name)
                for name, default in OPTIONAL_REGIME_FIELDS.items()
                if getattr(regime, name) != default
            },
            "targets": {target.indicator: _json_number(target.minimum) for target in targets},
            "outline": outline,
        },
        "period": report.period.slug,
        "status": report.status,
        "document": {
            **{name: getattr(report, name) for name in DOCUMENT_TEXT_FIELDS},
            # Blank lines carry nothing and the format allows none.
            "recipients": [line for line in report.recipients.splitlines() if line.strip()],
            "number": report.number,
            "issued_on": report.issued_on.isoformat() if report.issued_on else None,
        },
        "figures": _export_figures(report.figures),
        "narrative": _export_narrative(report.narrative, outline),
        "explanations": dict(sorted(report.explanations.items())),
        "prefilled": list(report.prefilled),
    }


def find_report(*, commune_code: int, period: str, regime_name: str | None = None) -> Report:
    """The commune's report for the period slug; `regime_name` picks one when several regimes have one."""
    commune = Commune.objects.filter(pk=commune_code).first()
    if commune is None:
        raise ReportLookupError(
            f"Không có xã, phường mã {commune_code}. Hãy nạp danh mục bằng lệnh: python manage.py load_communes."
        )
    try:
        key = PeriodKey.parse(period, None)
    except ValueError:
        raise ReportLookupError(f"Kỳ báo cáo “{period}” không hợp lệ: viết theo dạng {ANY_SLUG_HINT}.") from None
    reports = Report.objects.select_related("commune", "period__regime").filter(
        commune=commune, period__year=key.year, period__number=key.number, period__regime__frequency=key.frequency
    )
    if regime_name:
        reports = reports.filter(period__regime__name=regime_name)
    found = list(reports.order_by("period__regime__name"))
    if not found:
        under = f" theo chế độ báo cáo “{regime_name}”" if regime_name else ""
        raise ReportLookupError(f"{commune.name} chưa có báo cáo {key.label()}{under}.")
    if len(found) > 1:
        names = ", ".join(f"“{report.period.regime.name}”" for report in found)
        raise ReportLookupError(
            f"{commune.name} có {len(found)} báo cáo {key.label()} theo các chế độ báo cáo {names}. "
            'Chọn một bằng --regime "tên chế độ báo cáo".'
        )
    return found[0]
