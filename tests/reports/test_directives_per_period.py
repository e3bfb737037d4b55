"""Directives per period: a period cites the directive in force on its last day; issued reports
keep theirs; directive lists never print a bare "số"/"ngày"; numbers and dates stay whole in PDF."""

import re
from datetime import date

from django.test import SimpleTestCase

from communes.access import get_report_for_view
from reports import schedule, services
from reports.models import NumberStyle, OutlineSection, Report, ReportStatus, SectionKind
from reports.periods import Frequency, PeriodKey
from reports.rendering.document import build_report_document
from reports.rendering.pdf import render_pdf
from reports.templatetags.report_format import keep_whole
from tests import factories
from tests.base import BaseTestCase
from tests.reports.test_render_pdf import page_lines

OLD = "Công văn số 12/UBND-VP ngày 05/01/2022 của UBND thành phố về việc báo cáo hằng tháng"
NEW = "Công văn số 137/UBND-TTPVHCC ngày 23/01/2026 của UBND thành phố về việc báo cáo hằng tháng"
BARE_WORD = re.compile(r"\b(?:số|ngày)\s*(?:$|[;.,:]|về\b|ngày\b|số\b)")


def monthly(slug: str) -> PeriodKey:
    return PeriodKey.parse(slug, Frequency.MONTHLY)


class DirectiveInForceTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.regime = factories.make_regime(self.province, directive="Văn bản mặc định")
        self.regime.directives.create(citation=OLD, valid_from=date(2022, 1, 1), valid_until=date(2025, 12, 31))
        self.regime.directives.create(citation=NEW, valid_from=date(2026, 1, 1))

    def test_each_period_cites_the_directive_in_force_at_its_end(self) -> None:
        cases = {"2023-05": OLD, "2025-12": OLD, "2026-01": NEW, "2026-05": NEW}
        for slug, expected in cases.items():
            with self.subTest(slug=slug):
                period = services.get_or_create_period(self.regime, monthly(slug))
                self.assertEqual(period.directive, expected)
        # December 2025 with cut-off 14 ends on 14/12/2025, January 2026 on 14/01/2026.
        self.assertEqual(self.regime.directive_on(date(2021, 12, 31)), "Văn bản mặc định")

    def test_the_opening_of_a_2023_report_cites_the_2022_directive(self) -> None:
        period = services.get_or_create_period(self.regime, monthly("2023-05"))
        report = factories.make_report(self.commune_a, period)
        doc = build_report_document(get_report_for_view(self.superuser, report.pk))
        self.assertIn(OLD, doc.opening[0].text)

    def test_editing_directives_updates_open_periods_but_not_issued_reports(self) -> None:
        period = services.get_or_create_period(self.regime, monthly("2026-05"))
        issued = factories.make_report(self.commune_a, period)
        draft = factories.make_report(self.commune_b, period)
        from reports import frozen

        Report.objects.filter(pk=issued.pk).update(
            status=ReportStatus.ISSUED, number=3, issued_on=date(2026, 5, 20), frozen=frozen.freeze(issued)
        )
        self.regime.directives.filter(citation=NEW).update(citation=NEW.replace("137", "138"))
        self.assertEqual(schedule.refresh_period_directives(self.regime), 1)
        texts = {
            report.pk: build_report_document(get_report_for_view(self.superuser, report.pk)).opening[0].text
            for report in (issued, draft)
        }
        self.assertIn("137/UBND-TTPVHCC", texts[issued.pk])
        self.assertIn("138/UBND-TTPVHCC", texts[draft.pk])


class DirectiveAdminTests(BaseTestCase):
    def post(self, regime, **directives):  # type: ignore[no-untyped-def]
        from tests.reports.test_period_windows import regime_post

        return self.client.post(
            f"/admin/reports/reportingregime/{regime.pk}/change/", regime_post(regime, **directives)
        )

    def test_directives_with_ranges_are_saved_and_periods_follow(self) -> None:
        regime = factories.make_regime(self.province)
        period = factories.make_period(regime, "2023-05")
        self.login(self.city_admin)
        response = self.post(
            regime,
            **{
                "directives-TOTAL_FORMS": "2",
                "directives-0-citation": OLD,
                "directives-0-valid_from": "2022-01-01",
                "directives-0-valid_until": "2025-12-31",
                "directives-1-citation": NEW,
                "directives-1-valid_from": "2026-01-01",
            },
        )
        self.assertEqual(response.status_code, 302)
        period.refresh_from_db()
        self.assertEqual(period.directive, OLD)

    def test_overlapping_ranges_are_refused(self) -> None:
        regime = factories.make_regime(self.province)
        self.login(self.city_admin)
        response = self.post(
            regime,
            **{
                "directives-TOTAL_FORMS": "2",
                "directives-0-citation": OLD,
                "directives-0-valid_from": "2022-01-01",
                "directives-1-citation": NEW,
                "directives-1-valid_from": "2026-01-01",
            },
        )
        self.assertContains(response, "chồng nhau")
        self.assertFalse(regime.directives.exists())


class DirectiveListTests(BaseTestCase):
    def test_missing_parts_are_left_out_with_their_word(self) -> None:
        regime = factories.make_regime(self.province)
        OutlineSection.objects.create(
            regime=regime, key="chi-dao", title="Công tác chỉ đạo", kind=SectionKind.DIRECTIVES,
            number_style=NumberStyle.ARABIC,
        )  # fmt: skip
        rows = [
            {"doc_type": "Kế hoạch", "number": "48/KH-UBND", "issued_on": "2026-01-23", "subject": "cải cách"},
            {"doc_type": "Kế hoạch", "number": "", "issued_on": "", "subject": "rà soát"},
            {"doc_type": "Công văn", "number": "5/UBND", "issued_on": "", "subject": ""},
            {"doc_type": "Quyết định", "number": "", "issued_on": "2026-02-02", "subject": ""},
        ]
        report = factories.make_report(
            self.commune_a,
            factories.make_period(regime, "2026-05"),
            figures={"results": [], "sector_agencies": [], "directives": rows, "values": {}},
        )
        doc = build_report_document(get_report_for_view(self.superuser, report.pk))
        lines = [block.text for block in doc.sections if block.section == "chi-dao" and not block.heading]
        self.assertEqual(
            lines,
            [
                "- Kế hoạch số 48/KH-UBND ngày 23/01/2026 về cải cách;",
                "- Kế hoạch về rà soát;",
                "- Công văn số 5/UBND;",
                "- Quyết định ngày 02/02/2026.",
            ],
        )
        for line in lines:
            self.assertIsNone(BARE_WORD.search(line), line)


class KeepWholeTests(SimpleTestCase):
    def test_numbers_and_dates_are_wrapped_and_the_rest_escaped(self) -> None:
        self.assertEqual(
            keep_whole("Kế hoạch số 48/KH-UBND ngày 23/01/2026 <b>"),
            'Kế hoạch số <span class="bc-nobr">48/KH-UBND</span> ngày <span class="bc-nobr">23/01/2026</span> &lt;b&gt;',
        )
        self.assertEqual(keep_whole("tỷ lệ 100%"), "tỷ lệ 100%")


class PdfLineBreakTests(BaseTestCase):
    def test_document_numbers_and_dates_never_break_across_lines(self) -> None:
        regime = factories.make_regime(self.province)
        OutlineSection.objects.create(regime=regime, key="ket-qua", title="KẾT QUẢ", number_style=NumberStyle.ROMAN)
        # Words of varied length so the numbers land at many positions along the line.
        sentence = " ".join(
            f"{'Theo' if n % 2 else 'Thực hiện theo'} Kế hoạch {'x' * (n % 7)} số 48/KH-UBND ngày 23/01/2026;"
            for n in range(40)
        )
        report = factories.make_report(
            self.commune_a, factories.make_period(regime, "2026-05"), narrative={"ket-qua": {"text": sentence}}
        )
        data = render_pdf(build_report_document(get_report_for_view(self.superuser, report.pk)))
        lines = [line for page in page_lines(data) for line in page]
        text = "\n".join(lines)
        self.assertEqual(text.count("48/KH-UBND"), 40)
        self.assertEqual(text.count("23/01/2026;"), 40)
