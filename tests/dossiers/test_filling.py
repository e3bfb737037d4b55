"""Filling a report from dossiers: the Hùng Thắng seed reproduced, provenance, refusals."""

import copy

from django.core.exceptions import ValidationError

from dossiers import filling, queries
from dossiers.models import ComputedFigures
from reports import services
from reports.figures import check_figures, normalise_figures
from reports.models import EventKind
from reports.rendering.document import build_report_document
from tests.dossiers.cases import CITY, MINISTRY, at, city, store
from tests.dossiers.hung_thang import hung_thang_may_2026
from tests.reports.entry_fixtures import HUNG_THANG, EntryViewTestCase, load_seed

SEED_FIGURES = load_seed(HUNG_THANG)["figures"]
# The rates the seed typed and the dossiers determine.
DETERMINED_RATES = ("rate_online_payment", "rate_digitisation", "rate_electronic_results", "rate_data_reuse")


def printed(document_sections: object) -> tuple[dict[str, list[str]], list[tuple[str, ...]]]:
    paragraphs: dict[str, list[str]] = {}
    tables = []
    for block in document_sections:  # type: ignore[attr-defined]
        if block.is_table:
            tables.append(block)
        elif not block.heading:
            paragraphs.setdefault(block.section, []).append(block.text)
    return paragraphs, [tuple(map(str, (t.table.rows, t.table.total))) for t in tables]


class HungThangSeedTests(EntryViewTestCase):
    def save(self, data: dict[str, object]) -> None:
        report = self.stored()
        services.save_draft(
            report,
            figures=data,
            narrative=report.narrative,
            explanations=report.explanations,
            expected_version=report.version,
            by=self.officer_a,
        )

    def test_generated_dossiers_reproduce_the_seed_and_its_paragraphs(self) -> None:
        self.save(SEED_FIGURES)
        expected = printed(build_report_document(self.stored()).sections)
        # Start from a report whose counts and determined rates are blank, keeping what dossiers
        # cannot give (procedure catalogue, sector agencies, citizen feedback).
        blank = copy.deepcopy(SEED_FIGURES)
        for row in blank["results"]:
            row.update(dict.fromkeys(("online", "on_time", "pending_on_time"), 0))
        for key in DETERMINED_RATES:
            blank["values"].pop(key)
        self.save(blank)
        store(self.commune_a, hung_thang_may_2026())

        report = filling.fill_report_from_dossiers(self.stored(), by=self.officer_a)

        # Stored rows carry every leaf column, the format-2 ones (postal, returned) as 0.
        self.assertEqual(report.figures["results"], normalise_figures(SEED_FIGURES)["results"])
        self.assertEqual(printed(build_report_document(self.stored()).sections), expected)
        paragraphs = " ".join(expected[0]["giai-quyet"])
        self.assertIn("tiếp nhận mới 179 hồ sơ, trong đó có 63 hồ sơ", paragraphs)
        self.assertIn("116 hồ sơ được tiếp nhận qua hệ thống của các bộ", paragraphs)
        self.assertIn("giải quyết đúng hạn 167 hồ sơ, đang giải quyết trong hạn 12 hồ sơ", paragraphs)
        self.assertEqual(report.figures["values"]["payments_total"], 60)
        self.assertEqual(report.figures["values"]["dossiers_for_digitisation"], 167)

    def test_post_and_withdrawn_dossiers_fill_their_own_columns_and_the_row_balances(self) -> None:
        # Worked out by hand for May 2026 (15/4–14/5): received 3 (1 online, 1 direct, 1 by post),
        # 1 resolved on time, 1 withdrawn, 1 in progress within its deadline.
        store(
            self.commune_a,
            [
                city(received_at=at("20/4/2026 8:00"), due_at=at("30/4/2026 17:00"), finished_at=at("30/4/2026 9:00")),
                city(channel="direct", received_at=at("2/5/2026 8:00"), withdrawn_at=at("5/5/2026 10:00")),
                city(channel="post", received_at=at("10/5/2026 8:00"), due_at=at("30/5/2026 17:00")),
            ],
        )
        report = filling.fill_report_from_dossiers(self.stored(), by=self.officer_a)
        row = report.figures["results"][0]
        self.assertEqual(
            {key: row[key] for key in ("online", "direct", "postal", "on_time", "returned", "pending_on_time")},
            {"online": 1, "direct": 1, "postal": 1, "on_time": 1, "returned": 1, "pending_on_time": 1},
        )
        self.assertEqual(report.figures["values"]["dossiers_own_authority"], 3)
        self.assertEqual(report.figures["values"]["inputs_for_digitisation"], 3)
        balance = [f for f in check_figures(report.figures) if "balance" in f.code]
        self.assertEqual(balance, [])

    def test_provenance_marks_computed_figures_until_typed_over(self) -> None:
        store(self.commune_a, hung_thang_may_2026())
        report = filling.fill_report_from_dossiers(self.stored(), by=self.officer_a)
        provenance = queries.provenance_for_report(report)
        self.assertEqual(provenance.computed["figures.results.0.online"].value, 63)
        self.assertEqual(provenance.computed["figures.results.0.online"].source, CITY)
        self.assertEqual(provenance.computed["figures.results.1.on_time"].figure, "resolved_on_time")
        self.assertEqual(provenance.computed["figures.values.payments_online"].figure, "received_paid_online")
        self.assertEqual(len(provenance.computed), 2 * 10 + 13)
        record = ComputedFigures.objects.get(report=report)
        self.assertEqual(record.computed_by, self.officer_a)
        self.assertEqual(record.imports.count(), 1)
        self.assertEqual(
            queries.origin_by_report([report.pk, self.report_b.pk]),
            {
                report.pk: queries.FigureOrigin.COMPUTED,
                self.report_b.pk: queries.FigureOrigin.TYPED,
            },
        )
        # The officer types another value over one figure: it is typed from then on.
        typed = copy.deepcopy(report.figures)
        typed["results"][1]["online"] = 117
        typed["results"][1]["on_time"] = 108
        self.save(typed)
        provenance = queries.provenance_for_report(self.stored())
        self.assertNotIn("figures.results.1.online", provenance.computed)
        self.assertIn("figures.results.0.online", provenance.computed)
        self.assertEqual(provenance.changed, ("figures.results.1.on_time", "figures.results.1.online"))
        self.assertEqual(queries.origin_by_report([report.pk])[report.pk], queries.FigureOrigin.MIXED)

    def test_one_saved_event_and_typed_rows_of_other_systems_kept(self) -> None:
        typed_row = {"source": "Hệ thống của Bộ Công an", "kind": "ministry", "online": 4, "pending_on_time": 4}
        figures_data = copy.deepcopy(self.stored().figures)
        figures_data["results"].append(typed_row)
        self.save(figures_data)
        store(self.commune_a, [d for d in hung_thang_may_2026() if d.source_system == CITY])
        events = self.stored().events.count()
        report = filling.fill_report_from_dossiers(self.stored(), by=self.officer_a)
        self.assertEqual(self.stored().events.count(), events + 1)
        self.assertEqual(self.stored().events.order_by("-pk").first().kind, EventKind.SAVED)
        sources = [row["source"] for row in report.figures["results"]]
        self.assertEqual(sources, [CITY, MINISTRY, "Hệ thống của Bộ Công an"])
        self.assertEqual(report.figures["results"][0]["online"], 63)
        self.assertEqual(report.figures["results"][2]["online"], 4)

    def test_no_dossiers_in_the_period_is_refused_and_nothing_changes(self) -> None:
        before = self.stored()
        with self.assertRaises(ValidationError) as caught:
            filling.fill_report_from_dossiers(before, by=self.officer_a)
        self.assertEqual(caught.exception.code, "no_dossiers")
        self.assertEqual(self.stored().version, before.version)
        self.assertFalse(ComputedFigures.objects.exists())

    def test_the_panel_lists_computed_figures_in_table_order(self) -> None:
        store(self.commune_a, hung_thang_may_2026())
        report = filling.fill_report_from_dossiers(self.stored(), by=self.officer_a)
        panel = queries.panel_for_report(report, can_compute=True, can_list=True)
        labels = [item.label for item in panel.computed]
        self.assertEqual(labels[0], f"Bảng kết quả giải quyết TTHC, dòng 1 ({CITY}): tiếp nhận trực tuyến")
        self.assertEqual(labels[10], f"Bảng kết quả giải quyết TTHC, dòng 2 ({MINISTRY}): tiếp nhận trực tuyến")
        self.assertEqual(
            labels[20], "Số hồ sơ thuộc thẩm quyền giải quyết của UBND cấp xã (trong tổng số hồ sơ tiếp nhận)"
        )
        self.assertEqual(labels[21], "Số hồ sơ thanh toán trực tuyến")
        self.assertEqual([item.value for item in panel.computed][:3], [63, 0, 0])


class GridOriginTests(EntryViewTestCase):
    def test_the_period_grid_tells_computed_from_typed_figures(self) -> None:
        store(self.commune_a, hung_thang_may_2026())
        filling.fill_report_from_dossiers(self.stored(), by=self.officer_a)
        self.login(self.reviewer)
        response = self.client.get(f"/reports/periods/{self.may.pk}/")
        origins = {line.row.commune_name: line.figure_origin for line in response.context["lines"]}
        self.assertEqual(origins["Xã Hùng Thắng"], "computed")
        self.assertEqual(origins["Xã Bình Giang"], "typed")
        self.assertContains(response, "Tính từ hồ sơ</span>")
