"""Test helpers for the entry screens: regimes with the seeds' outlines and targets, and figures."""

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from communes.models import Province
from reports import services
from reports.models import EventKind, OutlineSection, Report, ReportEvent, ReportingRegime, Target
from reports.rendering.document import build_report_document
from reports.rendering.templating import paragraph_text
from tests import factories
from tests.base import BaseTestCase

SEED_DIR = Path(__file__).resolve().parents[2] / "reports" / "seed_data"
HUNG_THANG = "hung_thang_2026_05.json"
BINH_GIANG = "binh_giang_2026_02.json"


def load_seed(name: str) -> dict[str, Any]:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


def add_outline(regime: ReportingRegime, nodes: list[dict[str, Any]], parent: OutlineSection | None = None) -> None:
    for position, node in enumerate(nodes):
        section = OutlineSection.objects.create(
            regime=regime,
            parent=parent,
            position=position,
            key=node["key"],
            number_style=node["number_style"],
            title=node["title"],
            kind=node["kind"],
            run_in=node.get("run_in", False),
            template=node.get("template", ""),
            default_text=node.get("default_text", ""),
        )
        add_outline(regime, node.get("children", []), section)


def make_seed_regime(seed: str = HUNG_THANG, province: Province | None = None, **fields: Any) -> ReportingRegime:
    """A regime with the seed's wording, outline and targets."""
    data = load_seed(seed)["regime"]
    regime = factories.make_regime(
        province,
        name=data["name"],
        directive=data["directive"],
        opening_template=data["opening_template"],
        closing_template=data["closing_template"],
        subject_template=data["subject_template"],
        **fields,
    )
    if not regime.sections.exists():
        add_outline(regime, data["outline"])
        for indicator, minimum in data["targets"].items():
            Target.objects.create(regime=regime, indicator=indicator, minimum=Decimal(str(minimum)))
    return regime


def result_row(source: str = "Hệ thống thông tin giải quyết TTHC thành phố", kind: str = "city", **counts: int) -> dict:
    row: dict[str, Any] = {"source": source, "kind": kind}
    for name in (
        "online",
        "direct",
        "carried_over",
        "early",
        "on_time",
        "overdue",
        "pending_on_time",
        "pending_overdue",
    ):
        row[name] = counts.get(name, 0)
    return row


def figures_doc(*rows: dict, agencies: tuple = (), directives: tuple = (), **values: Any) -> dict[str, Any]:
    return {
        "results": list(rows),
        "sector_agencies": list(agencies),
        "directives": list(directives),
        "values": dict(values),
    }


def form_data(report: Any, **overrides: Any) -> dict[str, Any]:
    """The POST body the entry page sends for `report` as stored, with `overrides` applied."""
    data: dict[str, Any] = {"version": report.version}
    figures = report.figures
    for prefix, key in (("results", "results"), ("agencies", "sector_agencies"), ("directives", "directives")):
        rows = figures.get(key, [])
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": len(rows),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
        for index, row in enumerate(rows):
            data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    data |= {f"values-{key}": value for key, value in figures.get("values", {}).items()}
    for key, parts in report.narrative.items():
        data |= {f"narrative-{key}.{part}": text for part, text in parts.items()}
    data |= {f"explanation.{code}": text for code, text in report.explanations.items()}
    for name in ("signer_authority", "signer_position", "signer_name", "recipients"):
        data[name] = getattr(report, name)
    data.update(overrides)
    return data


class EntryViewTestCase(BaseTestCase):
    """The fixed cast plus the Hùng Thắng regime, May 2026, and a draft for each Hải Phòng commune."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.regime = make_seed_regime(HUNG_THANG, cls.province)
        cls.may = factories.make_period(cls.regime, "2026-05")
        cls.report = services.create_draft(commune=cls.commune_a, period=cls.may, by=cls.officer_a)
        cls.report_b = services.create_draft(commune=cls.commune_b, period=cls.may, by=cls.officer_b)

    def stored(self) -> Report:
        return Report.objects.get(pk=self.report.pk)

    def assertGeneratedAsPrinted(self, sections: Iterable[Any]) -> None:  # noqa: N802
        """The generated paragraphs a page shows (its `sections` context) are the document's own."""
        printed: dict[str, list[str]] = {}
        for block in build_report_document(self.stored()).sections:
            if not block.heading and not block.is_table:
                printed.setdefault(block.section, []).append(block.text)
        shown = {}
        for section in sections:
            view = getattr(section, "view", section)  # the form wraps each section with its fields
            if view.generated:
                shown[view.node.key] = [paragraph_text(paragraph) for paragraph in view.generated]
        self.assertTrue(shown)
        for key, paragraphs in shown.items():
            with self.subTest(section=key):
                self.assertEqual(paragraphs, printed[key])

    def assertUnchanged(self, report: Report | None = None) -> None:  # noqa: N802
        """The report is still as created: version 1, no save recorded."""
        report = report or self.report
        stored = Report.objects.get(pk=report.pk)
        self.assertEqual(stored.version, 1)
        self.assertEqual(stored.figures, report.figures)
        self.assertEqual(stored.narrative, report.narrative)
        self.assertFalse(ReportEvent.objects.filter(report=report, kind=EventKind.SAVED).exists())

    def assertNotFound(self, response: Any) -> None:  # noqa: N802
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "Hùng Thắng", status_code=404)
