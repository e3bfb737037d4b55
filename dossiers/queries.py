"""Reads for the dossier screens: the imports page, which figures of a report were computed,
the dossiers behind a figure, and per report whether its figures were computed or typed."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from communes.models import Commune
from dossiers import aggregation
from dossiers.computation import DERIVED_FIGURES, FIGURE_LABELS
from dossiers.filling import value_at, window_of
from dossiers.models import ComputedFigures, Dossier, DossierImport, DossierImportJob
from reports.figures import RESULT_FIELDS, VALUE_SPECS
from reports.labels import path_label
from reports.models import Report
from reports.queries.city import GridLine


def figure_label(key: str) -> str:
    if key in DERIVED_FIGURES:
        return DERIVED_FIGURES[key][0]
    return FIGURE_LABELS[key]


def is_figure(key: str) -> bool:
    return key in FIGURE_LABELS or key in DERIVED_FIGURES


@dataclass(frozen=True)
class ComputedFigure:
    path: str
    figure: str
    source: str | None
    value: Any


@dataclass(frozen=True)
class Provenance:
    """Which figures of a report are still as computed from dossiers (the others are typed)."""

    record: ComputedFigures | None
    computed: dict[str, ComputedFigure]
    changed: tuple[str, ...]  # computed once, typed over since

    @property
    def any_computed(self) -> bool:
        return bool(self.computed)


def provenance_for_report(report: Report) -> Provenance:
    record = ComputedFigures.objects.filter(report=report).select_related("computed_by").first()
    if record is None:
        return Provenance(None, {}, ())
    document = {"figures": report.figures}
    computed: dict[str, ComputedFigure] = {}
    changed = []
    for path, value in record.values.items():
        origin = record.origins.get(path) or {}
        if value_at(document, path) == value:
            computed[path] = ComputedFigure(path, str(origin.get("figure", "")), origin.get("source"), value)
        else:
            changed.append(path)
    return Provenance(record, computed, tuple(sorted(changed)))


class FigureOrigin(StrEnum):
    COMPUTED = "computed"  # every computed figure still as computed
    MIXED = "mixed"  # computed, then some typed over
    TYPED = "typed"


def origin_by_report(report_ids: Iterable[int]) -> dict[int, FigureOrigin]:
    """For the Centre's grid: per report, whether its figures were computed from dossiers or typed.
    One query whatever the number of reports."""
    ids = list(report_ids)
    result = dict.fromkeys(ids, FigureOrigin.TYPED)
    rows = ComputedFigures.objects.filter(report_id__in=ids).values_list("report_id", "values", "report__figures")
    for report_id, values, report_figures in rows:
        document = {"figures": report_figures}
        kept = sum(1 for path, value in values.items() if value_at(document, path) == value)
        if kept and kept == len(values):
            result[report_id] = FigureOrigin.COMPUTED
        elif kept:
            result[report_id] = FigureOrigin.MIXED
    return result


def with_figure_origins(lines: Iterable[GridLine]) -> list[GridLine]:
    """The period grid's lines, each marked with how its report's figures came about; one query."""
    lines = list(lines)
    origins = origin_by_report(line.row.report_id for line in lines if line.row.report_id is not None)
    return [
        replace(line, figure_origin=origins[line.row.report_id]) if line.row.report_id is not None else line
        for line in lines
    ]


def imports_for_commune(commune: Commune) -> QuerySet[DossierImport]:
    return DossierImport.objects.filter(commune=commune).select_related("imported_by")[:50]


def job_for_commune(commune: Commune, job_id: int) -> DossierImportJob:
    try:
        return DossierImportJob.objects.select_related("result").get(commune=commune, pk=job_id)
    except DossierImportJob.DoesNotExist:
        raise Http404("Không tìm thấy lần nhập.") from None


def dossier_count(commune: Commune) -> int:
    return Dossier.objects.filter(commune=commune).count()


def sources_for_commune(commune: Commune) -> list[str]:
    return list(
        Dossier.objects.filter(commune=commune)
        .order_by("source_system")
        .values_list("source_system", flat=True)
        .distinct()
    )


def dossiers_for_figure(
    report: Report, figure: str, *, source: str | None = None, search: str = ""
) -> QuerySet[Dossier]:
    queryset = aggregation.dossiers_behind(report.commune_id, window_of(report), figure, source_system=source)
    if search:
        queryset = queryset.filter(
            Q(code__icontains=search) | Q(procedure_name__icontains=search) | Q(field__icontains=search)
        )
    return queryset


def figure_choices() -> list[tuple[str, str]]:
    keys = [*DERIVED_FIGURES, *FIGURE_LABELS]
    return [(key, figure_label(key)) for key in keys]


@dataclass(frozen=True)
class PanelFigure:
    label: str
    value: Any
    figure: str
    source: str | None


@dataclass(frozen=True)
class ReportPanel:
    """What the report pages show about dossiers: the compute action, and which figures were computed."""

    can_compute: bool
    can_list: bool
    provenance: Provenance
    computed: list[PanelFigure]
    changed: list[str]
    imports: list[DossierImport]
    # Names of the entry form's inputs holding computed values ("results-0-online", "values-payments_online").
    input_names: list[str]


VALUE_ORDER = {spec.key: position for position, spec in enumerate(VALUE_SPECS)}


def _table_order(path: str) -> tuple[int, int, int]:
    """Results rows in their order and columns in the form's order, then the counts in the catalogue's
    (the stored JSON, in PostgreSQL's jsonb, keeps no key order)."""
    parts = path.split(".")
    if parts[1] == "results" and len(parts) == 4 and parts[2].isdigit() and parts[3] in RESULT_FIELDS:
        return (0, int(parts[2]), RESULT_FIELDS.index(parts[3]))
    return (1, VALUE_ORDER.get(parts[-1], len(VALUE_ORDER)), 0)


def panel_for_report(report: Report, *, can_compute: bool, can_list: bool) -> ReportPanel:
    provenance = provenance_for_report(report)
    content = {"figures": report.figures}
    computed = [
        PanelFigure(path_label(path, {}, content), item.value, item.figure, item.source)
        for path, item in sorted(provenance.computed.items(), key=lambda pair: _table_order(pair[0]))
    ]
    changed = [path_label(path, {}, content) for path in sorted(provenance.changed, key=_table_order)]
    imports = list(provenance.record.imports.all()) if provenance.record is not None else []
    names = [_input_name(path) for path in provenance.computed]
    return ReportPanel(can_compute, can_list, provenance, computed, changed, imports, sorted(names))


def _input_name(path: str) -> str:
    # The entry form names its inputs by prefix and index (reports/forms.py ROW_SETS, values-<key>).
    return "-".join(path.split(".")[1:])
