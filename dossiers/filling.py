"""Filling a report's figures from the commune's dossiers ("Tính từ danh sách hồ sơ").

The figures go through the normal content path (reports.services.save_draft), and the paths
filled, their values and the imports behind them are recorded in ComputedFigures.
"""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dossiers import aggregation
from dossiers.computation import Counts, Window, total_counts
from dossiers.models import ComputedFigures, DossierImport
from reports import services
from reports.models import Report

# Results-table column ← dossier figure: the format-2 columns keep post apart from direct and
# returned or withdrawn dossiers apart from resolved ones, so received = resolved + in progress
# + returned holds for every computed row (reports/figures.py).
RESULT_FIGURES: dict[str, str] = {
    "online": "received_online",
    "direct": "received_direct",
    "postal": "received_post",
    "carried_over": "carried_over",
    "early": "resolved_early",
    "on_time": "resolved_on_time",
    "overdue": "resolved_overdue",
    "pending_on_time": "pending_on_time",
    "pending_overdue": "pending_overdue",
    "returned": "withdrawn",
}
# Counts behind the 766 rates the report prints (reports/figures.py VALUE_SPECS) ← dossier figure.
VALUE_FIGURES: dict[str, str] = {
    "payments_online": "received_paid_online",
    "payments_total": "received_fee_bearing",
    "dossiers_digitised": "resolved_digitised",
    "dossiers_for_digitisation": "resolved",
    "inputs_digitised": "received_input_digitised",
    "inputs_for_digitisation": "received_new",
    "results_digitised": "resolved_result_electronic",
    "results_for_digitisation": "resolved",
    "results_electronic": "resolved_result_electronic",
    "results_required": "resolved",
    "dossiers_reused": "received_data_reused",
    "dossiers_reuse_base": "received_new",
    "dossiers_own_authority": "received_own_authority",
}
NOTHING_MESSAGE = "Chưa có hồ sơ nào của {commune} trong {period}: hãy nhập danh sách hồ sơ trước."


def window_of(report: Report) -> Window:
    return Window.for_days(report.period.start, report.period.end)


def computed_figures(current: dict[str, Any], counts: list[Counts]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The figures document with the computed rows and counts in place, and {path: origin}.

    Rows of other source systems (typed) are kept; a computed source replaces the row of the
    same name, or is added after the others.
    """
    data = {**current, "results": [dict(row) for row in current.get("results", [])]}
    data["values"] = dict(current.get("values") or {})
    origins: dict[str, Any] = {}
    rows = data["results"]
    for row_counts in counts:
        row: dict[str, Any] = {"source": row_counts.source_system, "kind": row_counts.source_kind}
        row |= {column: row_counts[key] for column, key in RESULT_FIGURES.items()}
        index = next((i for i, r in enumerate(rows) if r.get("source") == row_counts.source_system), None)
        if index is None:
            rows.append(row)
            index = len(rows) - 1
        else:
            rows[index] = row
        for column, key in RESULT_FIGURES.items():
            origins[f"figures.results.{index}.{column}"] = {"source": row_counts.source_system, "figure": key}
    total = total_counts(counts)
    for name, key in VALUE_FIGURES.items():
        data["values"][name] = total[key]
        origins[f"figures.values.{name}"] = {"source": None, "figure": key}
    return data, origins


def value_at(document: Any, path: str) -> Any:
    """The value at a dotted path such as "figures.results.0.online" (None if absent)."""
    node = document
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


@transaction.atomic
def fill_report_from_dossiers(report: Report, *, by: User | None) -> Report:
    """Compute the report's figures for its period from the commune's dossiers and save them."""
    window = window_of(report)
    counts = aggregation.count_for_commune(report.commune_id, window)
    if not counts:
        raise ValidationError(
            NOTHING_MESSAGE.format(commune=report.commune.name, period=report.period.label), code="no_dossiers"
        )
    data, origins = computed_figures(report.figures, counts)
    report = services.save_draft(
        report,
        figures=data,
        narrative=report.narrative,
        explanations=report.explanations,
        expected_version=report.version,
        by=by,
        # Filling from the dossier lists is its own step in the history, never merged into typing.
        coalesce=False,
    )
    stored = {"figures": report.figures}
    record, _ = ComputedFigures.objects.update_or_create(
        report=report,
        defaults={
            "values": {path: value_at(stored, path) for path in origins},
            "origins": origins,
            "computed_at": timezone.now(),
            "computed_by": by,
        },
    )
    used = aggregation.relevant(report.commune_id, window).values("last_import").distinct()
    record.imports.set(DossierImport.objects.filter(pk__in=used))
    return report
