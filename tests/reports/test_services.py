"""Tests for the report-entry services: create_draft (pre-fill), save_draft (locking, history)
and submission_findings."""

import unicodedata
from datetime import date

from django.core.exceptions import ValidationError

from reports import services
from reports.models import EventKind, OutlineSection, Report, ReportEvent, ReportStatus
from tests import factories
from tests.base import BaseTestCase
from tests.reports.entry_fixtures import HUNG_THANG, figures_doc, load_seed, make_seed_regime, result_row

CITY = "Hệ thống thông tin giải quyết TTHC thành phố"
MINISTRIES = "Hệ thống thông tin giải quyết TTHC của các bộ"
LAND_OFFICE = "Chi nhánh Văn phòng đăng ký đất đai Tiên Lãng"


def decomposed(text: str) -> str:
    return unicodedata.normalize("NFD", text)


class ServiceTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.regime = make_seed_regime(HUNG_THANG, cls.province)
        cls.may = factories.make_period(cls.regime, "2026-05")
        cls.april = factories.make_period(cls.regime, "2026-04")

    def content(self, report: Report, **changes: object) -> dict:
        """save_draft arguments that keep `report` as it is, except `changes`."""
        return {
            "figures": report.figures,
            "narrative": report.narrative,
            "explanations": report.explanations,
            **changes,
        }


class CreateDraftWithoutPreviousReportTests(ServiceTestCase):
    def test_the_first_draft_starts_from_the_outline_and_the_commune(self) -> None:
        OutlineSection.objects.filter(regime=self.regime, key="danh-gia").update(default_text="Gợi ý đánh giá.")
        self.commune_a.signer_name = "Trần Đình Nhuận"
        self.commune_a.save(update_fields=["signer_name"])
        report = services.create_draft(commune=self.commune_a, period=self.may, by=self.officer_a)
        report.refresh_from_db()
        zeros = dict.fromkeys(
            (
                "online",
                "direct",
                "postal",
                "carried_over",
                "early",
                "on_time",
                "overdue",
                "pending_on_time",
                "pending_overdue",
                "returned",
            ),
            0,
        )
        self.assertEqual(
            report.figures,
            {
                "results": [
                    {"source": CITY, "kind": "city", **zeros},
                    {"source": MINISTRIES, "kind": "ministry", **zeros},
                ],
                "sector_agencies": [],
                "directives": [],
                "values": {},
            },
        )
        self.assertEqual(report.narrative, {"danh-gia": {"text": "Gợi ý đánh giá.", "after": ""}})
        self.assertEqual(report.prefilled, [])
        self.assertEqual(report.signer_name, "Trần Đình Nhuận")
        self.assertEqual(report.signer_position, "PHÓ CHỦ TỊCH")
        self.assertEqual(report.signer_authority, "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH")
        self.assertEqual(
            report.recipients, "Trung tâm Phục vụ hành chính công thành phố\nCT, các PCT UBND xã\nLưu: VT, TTPVHCC"
        )
        self.assertEqual((report.status, report.version), (ReportStatus.DRAFT, 1))
        self.assertEqual((report.created_by, report.updated_by), (self.officer_a, self.officer_a))
        event = ReportEvent.objects.get(report=report)
        self.assertEqual((event.kind, event.by, event.changes), (EventKind.CREATED, self.officer_a, []))
        self.assertEqual(event.note, "Lập dự thảo mới (không có báo cáo kỳ trước).")

    def test_a_second_draft_for_the_same_period_is_refused(self) -> None:
        services.create_draft(commune=self.commune_a, period=self.may, by=self.officer_a)
        with self.assertRaises(ValidationError) as caught:
            services.create_draft(commune=self.commune_a, period=self.may, by=self.leader_a)
        self.assertEqual(caught.exception.code, "exists")
        self.assertEqual(caught.exception.messages, ["Xã Hùng Thắng đã có báo cáo tháng 5 năm 2026."])
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(ReportEvent.objects.count(), 1)

    def test_open_draft_returns_the_existing_report(self) -> None:
        first, created = services.open_draft(commune=self.commune_a, period=self.may, by=self.officer_a)
        self.assertTrue(created)
        again, created = services.open_draft(commune=self.commune_a, period=self.may, by=self.leader_a)
        self.assertFalse(created)
        self.assertEqual(again.pk, first.pk)
        self.assertEqual(ReportEvent.objects.count(), 1)

    def test_reports_of_other_communes_or_regimes_are_not_used(self) -> None:
        other_regime = factories.make_regime(self.province, name="Báo cáo khác")
        factories.make_report(self.commune_b, self.april, figures=load_seed(HUNG_THANG)["figures"])
        factories.make_report(
            self.commune_a, factories.make_period(other_regime, "2026-04"), figures=load_seed(HUNG_THANG)["figures"]
        )
        report = services.create_draft(commune=self.commune_a, period=self.may, by=self.officer_a)
        self.assertEqual([row["carried_over"] for row in report.figures["results"]], [0, 0])
        self.assertEqual(report.prefilled, [])


class CreateDraftFromPreviousReportTests(ServiceTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        seed = load_seed(HUNG_THANG)
        cls.previous_figures = {
            **seed["figures"],
            "values": {
                **seed["figures"]["values"],
                "procedures_commune": 379,
                "pakn_received": 4,
                "rate_online_payment": 97.5,
            },
        }
        cls.previous = factories.make_report(
            cls.commune_a,
            cls.april,
            status=ReportStatus.ACCEPTED,
            figures=cls.previous_figures,
            narrative={
                "cong-khai": {"text": "Công khai 100% TTHC.", "after": ""},
                "danh-gia": {"text": "", "after": "Sau."},
            },
            signer_name="Trần Đình Nhuận",
            signer_position="PHÓ CHỦ TỊCH",
            signer_authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
            recipients="Trung tâm PV HCC thành phố\nLưu: VT, HCC",
        )

    def test_last_period_in_progress_is_carried_over_and_the_rest_starts_at_zero(self) -> None:
        report = services.create_draft(commune=self.commune_a, period=self.may, by=self.officer_a)
        # April's seed figures: 3 in progress on the city system, 9 on the ministries' systems.
        self.assertEqual(
            report.figures["results"],
            [
                {
                    "source": CITY,
                    "kind": "city",
                    "online": 0,
                    "direct": 0,
                    "postal": 0,
                    "carried_over": 3,
                    "early": 0,
                    "on_time": 0,
                    "overdue": 0,
                    "pending_on_time": 0,
                    "pending_overdue": 0,
                    "returned": 0,
                },
                {
                    "source": MINISTRIES,
                    "kind": "ministry",
                    "online": 0,
                    "direct": 0,
                    "postal": 0,
                    "carried_over": 9,
                    "early": 0,
                    "on_time": 0,
                    "overdue": 0,
                    "pending_on_time": 0,
                    "pending_overdue": 0,
                    "returned": 0,
                },
            ],
        )
        self.assertEqual(
            report.figures["sector_agencies"],
            [
                {"name": LAND_OFFICE, "received": 0, "resolved": 0},
                {"name": "Bảo hiểm xã hội", "received": 0, "resolved": 0},
            ],
        )

    def test_the_catalogue_is_copied_but_not_rates_or_period_counts(self) -> None:
        report = services.create_draft(commune=self.commune_a, period=self.may, by=self.officer_a)
        self.assertEqual(
            report.figures["values"],
            {"procedures_commune": 379, "procedures_fully_online": 219, "procedures_partly_online": 160},
        )
        self.assertEqual(report.figures["directives"], [])

    def test_narrative_and_signer_come_from_last_period(self) -> None:
        report = services.create_draft(commune=self.commune_a, period=self.may, by=self.officer_a)
        self.assertEqual(
            report.narrative,
            {"cong-khai": {"text": "Công khai 100% TTHC.", "after": ""}, "danh-gia": {"text": "", "after": "Sau."}},
        )
        self.assertEqual(report.signer_name, "Trần Đình Nhuận")
        self.assertEqual(report.recipients, "Trung tâm PV HCC thành phố\nLưu: VT, HCC")
        self.assertEqual(report.explanations, {})
        event = ReportEvent.objects.get(report=report)
        self.assertEqual(event.note, "Lập dự thảo, lấy dữ liệu từ báo cáo tháng 4 năm 2026.")

    def test_every_prefilled_value_is_listed(self) -> None:
        report = services.create_draft(commune=self.commune_a, period=self.may, by=self.officer_a)
        self.assertEqual(
            report.prefilled,
            [
                "figures.results.0.source",
                "figures.results.0.carried_over",
                "figures.results.1.source",
                "figures.results.1.carried_over",
                "figures.sector_agencies.0.name",
                "figures.sector_agencies.1.name",
                "figures.values.procedures_fully_online",
                "figures.values.procedures_partly_online",
                "figures.values.procedures_commune",
                "narrative.cong-khai.text",
                "narrative.danh-gia.after",
                "signer_authority",
                "signer_position",
                "signer_name",
                "recipients",
            ],
        )

    def test_december_carries_over_into_january(self) -> None:
        december = factories.make_period(self.regime, "2025-12")
        january = factories.make_period(self.regime, "2026-01")
        factories.make_report(
            self.commune_a, december, figures=figures_doc(result_row(online=20, on_time=15, pending_overdue=5))
        )
        report = services.create_draft(commune=self.commune_a, period=january, by=self.officer_a)
        self.assertEqual(report.figures["results"][0]["carried_over"], 5)
        self.assertEqual(
            ReportEvent.objects.get(report=report).note, "Lập dự thảo, lấy dữ liệu từ báo cáo tháng 12 năm 2025."
        )

    def test_last_period_without_rows_gives_the_usual_two_rows(self) -> None:
        Report.objects.filter(pk=self.previous.pk).update(figures=figures_doc(procedures_commune=379))
        report = services.create_draft(commune=self.commune_a, period=self.may, by=self.officer_a)
        self.assertEqual([row["source"] for row in report.figures["results"]], [CITY, MINISTRIES])
        self.assertNotIn("figures.results.0.carried_over", report.prefilled)
        self.assertIn("figures.values.procedures_commune", report.prefilled)


class SaveDraftTests(ServiceTestCase):
    def setUp(self) -> None:
        self.report = services.create_draft(commune=self.commune_a, period=self.may, by=self.officer_a)

    def test_saves_normalised_figures_and_records_one_event_with_the_changes(self) -> None:
        figures = figures_doc(
            result_row(CITY, "city", online="63", on_time=60, pending_on_time=3),
            result_row(MINISTRIES, "ministry", online=116, on_time=107, pending_on_time=9),
            pakn_received=0,
        )
        saved = services.save_draft(
            self.report, **self.content(self.report, figures=figures), expected_version=1, by=self.leader_a
        )
        self.assertEqual(saved.version, 2)
        stored = Report.objects.get(pk=self.report.pk)
        self.assertEqual(stored.version, 2)
        self.assertEqual(stored.figures["results"][0]["online"], 63)
        self.assertEqual(stored.figures["values"], {"pakn_received": 0})
        self.assertEqual(stored.updated_by, self.leader_a)
        event = ReportEvent.objects.get(report=self.report, kind=EventKind.SAVED)
        self.assertEqual(event.by, self.leader_a)
        self.assertEqual(
            event.changes,
            [
                {"path": "figures.results.0.online", "old": 0, "new": 63},
                {"path": "figures.results.0.on_time", "old": 0, "new": 60},
                {"path": "figures.results.0.pending_on_time", "old": 0, "new": 3},
                {"path": "figures.results.1.online", "old": 0, "new": 116},
                {"path": "figures.results.1.on_time", "old": 0, "new": 107},
                {"path": "figures.results.1.pending_on_time", "old": 0, "new": 9},
                {"path": "figures.values.pakn_received", "old": None, "new": 0},
            ],
        )

    def test_saving_unchanged_content_records_nothing(self) -> None:
        saved = services.save_draft(self.report, **self.content(self.report), expected_version=1, by=self.officer_a)
        self.assertEqual(saved.version, 1)
        self.assertEqual(Report.objects.get(pk=self.report.pk).version, 1)
        self.assertFalse(ReportEvent.objects.filter(kind=EventKind.SAVED).exists())

    def test_drafts_save_even_when_hard_rules_fail(self) -> None:
        figures = figures_doc(result_row(online=179, on_time=167, pending_on_time=11))  # 179 ≠ 167 + 11
        services.save_draft(self.report, **self.content(self.report, figures=figures), expected_version=1, by=None)
        self.assertEqual(Report.objects.get(pk=self.report.pk).figures["results"][0]["online"], 179)

    def test_text_is_stored_in_nfc_with_plain_line_breaks(self) -> None:
        narrative = {"danh-gia": {"text": decomposed("Đánh giá chung\r\ntốt"), "after": ""}}
        services.save_draft(
            self.report,
            **self.content(self.report, narrative=narrative, explanations={"x": decomposed(" Giải trình ")}),
            signer_name=decomposed(" Trần Đình Nhuận "),
            recipients=decomposed("Trung tâm\r\n\r\nLưu: VT"),
            expected_version=1,
            by=self.officer_a,
        )
        stored = Report.objects.get(pk=self.report.pk)
        self.assertEqual(stored.narrative["danh-gia"]["text"], "Đánh giá chung\ntốt")
        self.assertTrue(unicodedata.is_normalized("NFC", stored.narrative["danh-gia"]["text"]))
        self.assertEqual(stored.explanations, {"x": "Giải trình"})
        self.assertEqual(stored.signer_name, "Trần Đình Nhuận")
        self.assertTrue(unicodedata.is_normalized("NFC", stored.signer_name))
        self.assertEqual(stored.recipients, "Trung tâm\nLưu: VT")

    def test_signer_fields_left_out_keep_their_values(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(signer_name="Vũ Thị Hòa")
        self.report.refresh_from_db()
        services.save_draft(
            self.report, **self.content(self.report, explanations={"a": "b"}), expected_version=1, by=self.officer_a
        )
        self.assertEqual(Report.objects.get(pk=self.report.pk).signer_name, "Vũ Thị Hòa")

    def test_a_typed_rate_is_not_stored_when_its_counts_compute_it(self) -> None:
        figures = figures_doc(payments_online=45, payments_total=60, rate_online_payment=90, rate_digitisation=99.5)
        services.save_draft(self.report, **self.content(self.report, figures=figures), expected_version=1, by=None)
        self.assertEqual(
            Report.objects.get(pk=self.report.pk).figures["values"],
            {"payments_online": 45, "payments_total": 60, "rate_digitisation": 99.5},
        )

    def test_values_that_are_not_numbers_are_refused_and_nothing_changes(self) -> None:
        for figures in (
            figures_doc(pakn_received="abc"),
            figures_doc(result_row(online=-1)),
            figures_doc(pakn_received=2.5),
            {"results": "x"},
            [],
        ):
            with self.subTest(figures=figures), self.assertRaises(ValidationError):
                services.save_draft(
                    self.report, **self.content(self.report, figures=figures), expected_version=1, by=None
                )
        stored = Report.objects.get(pk=self.report.pk)
        self.assertEqual(stored.version, 1)
        self.assertEqual(stored.figures["results"][0]["online"], 0)
        self.assertFalse(ReportEvent.objects.filter(kind=EventKind.SAVED).exists())

    def test_malformed_narrative_or_explanations_are_refused(self) -> None:
        for changes in ({"narrative": {"a": "text"}}, {"narrative": []}, {"explanations": ["x"]}):
            with self.subTest(changes=changes), self.assertRaises(ValidationError):
                services.save_draft(self.report, **self.content(self.report, **changes), expected_version=1, by=None)


class PrefilledPathTests(ServiceTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factories.make_report(
            cls.commune_a,
            cls.april,
            figures=load_seed(HUNG_THANG)["figures"],
            narrative={"cong-khai": {"text": "Công khai.", "after": ""}},
        )

    def setUp(self) -> None:
        self.report = services.create_draft(commune=self.commune_a, period=self.may, by=self.officer_a)

    def test_an_edited_value_is_no_longer_marked_prefilled(self) -> None:
        figures = {**self.report.figures, "results": [dict(row) for row in self.report.figures["results"]]}
        figures["results"][0]["carried_over"] = 4
        narrative = {"cong-khai": {"text": "Công khai, minh bạch.", "after": ""}}
        services.save_draft(
            self.report, **self.content(self.report, figures=figures, narrative=narrative), expected_version=1, by=None
        )
        prefilled = Report.objects.get(pk=self.report.pk).prefilled
        self.assertNotIn("figures.results.0.carried_over", prefilled)
        self.assertNotIn("narrative.cong-khai.text", prefilled)
        self.assertIn("figures.results.1.carried_over", prefilled)
        self.assertIn("figures.results.0.source", prefilled)

    def test_a_value_edited_back_stays_unmarked(self) -> None:
        figures = {**self.report.figures, "results": [dict(row) for row in self.report.figures["results"]]}
        figures["results"][0]["carried_over"] = 4
        report = services.save_draft(
            self.report, **self.content(self.report, figures=figures), expected_version=1, by=None
        )
        figures["results"][0]["carried_over"] = 3
        services.save_draft(report, **self.content(report, figures=figures), expected_version=2, by=None)
        self.assertNotIn("figures.results.0.carried_over", Report.objects.get(pk=self.report.pk).prefilled)

    def test_removing_a_row_unmarks_what_was_in_it(self) -> None:
        figures = {**self.report.figures, "results": self.report.figures["results"][:1]}
        services.save_draft(self.report, **self.content(self.report, figures=figures), expected_version=1, by=None)
        prefilled = Report.objects.get(pk=self.report.pk).prefilled
        self.assertIn("figures.results.0.carried_over", prefilled)
        self.assertNotIn("figures.results.1.carried_over", prefilled)
        self.assertNotIn("figures.results.1.source", prefilled)


class OptimisticLockingTests(ServiceTestCase):
    def setUp(self) -> None:
        self.report = services.create_draft(commune=self.commune_a, period=self.may, by=self.officer_a)

    def test_two_saves_from_the_same_version_the_second_is_refused(self) -> None:
        mine = Report.objects.get(pk=self.report.pk)
        theirs = Report.objects.get(pk=self.report.pk)
        first = {"danh-gia": {"text": "Bản của lãnh đạo.", "after": ""}}
        second = {"danh-gia": {"text": "Bản của cán bộ.", "after": ""}}
        services.save_draft(theirs, **self.content(theirs, narrative=first), expected_version=1, by=self.leader_a)
        with self.assertRaises(services.SaveConflict) as caught:
            services.save_draft(mine, **self.content(mine, narrative=second), expected_version=1, by=self.officer_a)
        stored = Report.objects.get(pk=self.report.pk)
        self.assertEqual(stored.narrative, first)
        self.assertEqual(stored.version, 2)
        self.assertEqual(caught.exception.current.version, 2)
        self.assertEqual(caught.exception.current.narrative, first)
        self.assertEqual(caught.exception.current.updated_by, self.leader_a)
        self.assertEqual(caught.exception.code, "conflict")
        # People are told who saved, never an internal version number.
        self.assertNotIn("phiên bản", caught.exception.messages[0])
        self.assertEqual(ReportEvent.objects.filter(kind=EventKind.SAVED).count(), 1)

    def test_a_save_racing_past_the_check_is_caught_by_the_conditional_update(self) -> None:
        # Another request saved between our read (version 1) and our write.
        Report.objects.filter(pk=self.report.pk).update(version=2, narrative={"x": {"text": "khác", "after": ""}})
        narrative = {"danh-gia": {"text": "Của tôi.", "after": ""}}
        with self.assertRaises(services.SaveConflict) as caught:
            services.save_draft(
                self.report, **self.content(self.report, narrative=narrative), expected_version=1, by=None
            )
        self.assertEqual(caught.exception.current.narrative, {"x": {"text": "khác", "after": ""}})
        self.assertEqual(Report.objects.get(pk=self.report.pk).version, 2)

    def test_an_old_version_number_is_a_conflict(self) -> None:
        narrative = {"danh-gia": {"text": "Của tôi.", "after": ""}}
        with self.assertRaises(services.SaveConflict):
            services.save_draft(
                self.report, **self.content(self.report, narrative=narrative), expected_version=7, by=None
            )
        self.assertEqual(Report.objects.get(pk=self.report.pk).narrative, {})

    def test_a_report_submitted_meanwhile_is_not_editable_rather_than_a_conflict(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(status=ReportStatus.SUBMITTED)
        narrative = {"danh-gia": {"text": "Của tôi.", "after": ""}}
        with self.assertRaises(ValidationError) as caught:
            services.save_draft(
                self.report, **self.content(self.report, narrative=narrative), expected_version=1, by=None
            )
        self.assertNotIsInstance(caught.exception, services.SaveConflict)
        self.assertEqual(caught.exception.messages, ["Báo cáo đã gửi hoặc đã ban hành, không thể sửa."])
        self.assertEqual(Report.objects.get(pk=self.report.pk).narrative, {})


class EditableStatusTests(ServiceTestCase):
    def test_submitted_accepted_and_issued_reports_are_refused(self) -> None:
        narrative = {"danh-gia": {"text": "Mới.", "after": ""}}
        cases = [
            ("2026-01", ReportStatus.SUBMITTED, {}),
            ("2026-02", ReportStatus.ACCEPTED, {}),
            ("2026-03", ReportStatus.ISSUED, {"number": 3, "issued_on": date(2026, 3, 20)}),
        ]
        for slug, status, extra in cases:
            with self.subTest(status=status):
                period = factories.make_period(self.regime, slug)
                report = factories.make_report(self.commune_a, period, status=status, **extra)
                with self.assertRaises(ValidationError) as caught:
                    services.save_draft(
                        report, **self.content(report, narrative=narrative), expected_version=1, by=None
                    )
                self.assertEqual(caught.exception.messages, ["Báo cáo đã gửi hoặc đã ban hành, không thể sửa."])
                self.assertEqual(Report.objects.get(pk=report.pk).narrative, {})
        self.assertFalse(ReportEvent.objects.exists())

    def test_a_returned_report_can_be_saved(self) -> None:
        narrative = {"danh-gia": {"text": "Đã sửa theo ý kiến thẩm định.", "after": ""}}
        returned = factories.make_report(self.commune_b, self.may, status=ReportStatus.RETURNED)
        services.save_draft(returned, **self.content(returned, narrative=narrative), expected_version=1, by=None)
        self.assertEqual(Report.objects.get(pk=returned.pk).narrative, narrative)


class SubmissionFindingsTests(ServiceTestCase):
    def add_reports(self, slugs: list[str], **figures_kwargs: int) -> None:
        for slug in slugs:
            period = factories.make_period(self.regime, slug)
            factories.make_report(self.commune_a, period, figures=figures_doc(result_row(**figures_kwargs)))

    def fetch(self, report: Report) -> Report:
        return Report.objects.select_related("period__regime", "commune__province").get(pk=report.pk)

    def test_targets_previous_period_and_history_are_used(self) -> None:
        # Last 3 periods: 100 received, 10 in progress; this period carries over 4 and receives 400.
        self.add_reports(["2026-02", "2026-03", "2026-04"], online=100, on_time=90, pending_on_time=10)
        report = self.fetch(
            factories.make_report(
                self.commune_a,
                self.may,
                figures=figures_doc(
                    result_row(online=30, direct=366, carried_over=4, on_time=400), rate_digitisation=95
                ),
            )
        )
        findings = services.submission_findings(report)
        self.assertEqual(
            [f.code for f in findings],
            [
                "rate_online_submission.below_target",  # 30 / 396 = 7,58% < 60%
                "rate_digitisation.below_target",  # 95% < 100%
                "carried_over.mismatch",  # 4 ≠ 10
                "received.outlier",  # 400 > 3 × 100
                "resolved.outlier",  # 400 > 3 × 90
            ],
        )
        self.assertIn("(7,58%)", findings[0].message)

    def test_the_previous_period_is_the_one_just_before(self) -> None:
        # March (10 in progress) exists but April does not: nothing to carry over from, so the
        # 0 carried over into May is not compared with March.
        self.add_reports(["2026-03"], online=100, on_time=90, pending_on_time=10)
        report = self.fetch(
            factories.make_report(self.commune_a, self.may, figures=figures_doc(result_row(online=5, on_time=5)))
        )
        self.assertEqual(services.submission_findings(report), [])

    def test_january_compares_with_december(self) -> None:
        self.add_reports(["2025-12"], online=20, on_time=15, pending_overdue=5)
        january = factories.make_period(self.regime, "2026-01")
        report = self.fetch(
            factories.make_report(
                self.commune_a, january, figures=figures_doc(result_row(online=20, carried_over=2, on_time=22))
            )
        )
        self.assertEqual([f.code for f in services.submission_findings(report)], ["carried_over.mismatch"])

    def test_a_fixed_number_of_queries_whatever_the_history(self) -> None:
        report = self.fetch(factories.make_report(self.commune_a, self.may, figures=figures_doc(result_row())))
        # Targets, and one query for every earlier period's figures.
        with self.assertNumQueries(2):
            services.submission_findings(report)
        self.add_reports([f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01", "2026-02", "2026-03", "2026-04"])
        with self.assertNumQueries(2):
            findings = services.submission_findings(report)
        self.assertEqual(findings, [])
