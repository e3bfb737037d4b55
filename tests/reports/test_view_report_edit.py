"""Tests for the entry page "/reports/<id>/edit/" (GET the form, POST to save)."""

import unicodedata

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import EventKind, OutlineSection, Report, ReportEvent, ReportStatus, SectionKind
from tests import factories
from tests.reports.entry_fixtures import (
    EntryViewTestCase,
    form_data,
    result_row,
)


class ReportEditTests(EntryViewTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = f"/reports/{cls.report.pk}/edit/"

    def post(self, **overrides: object):  # type: ignore[no-untyped-def]
        return self.client.post(self.url, form_data(self.report, **overrides))

    # Access ---------------------------------------------------------------------------------

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        self.assertRedirects(self.client.get(self.url), f"/accounts/login/?next={self.url}")
        self.assertRedirects(self.post(**{"results-0-online": 5}), f"/accounts/login/?next={self.url}")
        self.assertUnchanged()

    def test_other_communes_get_404(self) -> None:
        for user in (self.officer_b, self.leader_b, self.officer_c, self.other_reviewer, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertNotFound(self.client.get(self.url))
                self.assertNotFound(self.post(**{"results-0-online": 5}))
        self.assertUnchanged()

    def test_city_staff_are_shown_the_report_page_and_may_not_post(self) -> None:
        for user in (self.reviewer, self.city_admin):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url, follow=True)
                self.assertRedirects(response, f"/reports/{self.report.pk}/")
                self.assertContains(response, "Bạn chỉ có quyền xem báo cáo này.")
                self.assertEqual(self.post(**{"results-0-online": 5}).status_code, 403)
        self.assertUnchanged()

    def test_a_submitted_report_opens_read_only_with_a_message_instead_of_403(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(status=ReportStatus.SUBMITTED)
        self.login(self.officer_a)
        response = self.client.get(self.url, follow=True)
        self.assertRedirects(response, f"/reports/{self.report.pk}/")
        self.assertContains(response, "Báo cáo đã gửi lên thành phố và đang chờ thẩm định nên chỉ xem được")
        self.assertEqual(self.post(**{"results-0-online": 5}).status_code, 403)
        self.assertUnchanged()

    def test_wrong_method_gives_405(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.put(self.url).status_code, 405)

    # The page -------------------------------------------------------------------------------

    def test_the_form_shows_the_table_sections_and_generated_paragraphs(self) -> None:
        for user in (self.officer_a, self.leader_a, self.superuser):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertContains(response, 'name="results-0-online"')
                self.assertContains(response, 'inputmode="numeric"')
                self.assertContains(response, 'name="narrative-danh-gia.text"')
                self.assertContains(response, 'name="narrative-giai-quyet.after"')
                self.assertContains(response, "Đoạn văn tự động từ số liệu (chỉ xem):")
                self.assertContains(response, "- Tổng số 0 hồ sơ (kỳ trước chuyển sang 0 hồ sơ")
                self.assertContains(response, 'name="version" value="1"')
                self.assertContains(response, "/static/js/report_form.js")
                self.assertContains(response, 'id="initial-check"')

    def test_the_generated_paragraphs_are_the_documents_own(self) -> None:
        self.login(self.officer_a)
        response = self.client.get(self.url)
        self.assertGeneratedAsPrinted(response.context["sections"])

    def test_prefilled_inputs_are_marked(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(
            prefilled=["figures.results.0.carried_over", "narrative.danh-gia.text", "signer_name"]
        )
        self.login(self.officer_a)
        response = self.client.get(self.url)
        self.assertContains(response, "lấy từ kỳ trước")
        self.assertContains(
            response,
            '<input type="text" name="results-0-carried_over" value="0" inputmode="numeric" autocomplete="off" '
            'class="form-control form-control-sm text-end prefilled" data-count="" id="id_results-0-carried_over">',
            html=True,
        )
        self.assertContains(response, 'class="form-control prefilled"')
        self.assertNotContains(
            response,
            'name="results-0-online" value="0" inputmode="numeric" autocomplete="off" class="form-control form-control-sm text-end prefilled"',
        )

    def test_rates_with_their_counts_are_computed_and_read_only(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(
            figures={**self.report.figures, "values": {"payments_online": 45, "payments_total": 60}}
        )
        self.login(self.officer_a)
        response = self.client.get(self.url)
        self.assertContains(
            response, 'name="values-rate_online_payment" id="id_values-rate_online_payment" value="75" readonly'
        )

    def test_findings_of_the_stored_figures_are_shown(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(
            figures={**self.report.figures, "results": [result_row(online=179, on_time=167, pending_on_time=11)]}
        )
        self.login(self.officer_a)
        response = self.client.get(self.url)
        self.assertContains(
            response, "Tổng số tiếp nhận (179) phải bằng đã giải quyết (167) cộng đang giải quyết (11)."
        )

    # Saving ---------------------------------------------------------------------------------

    def test_saving_stores_the_figures_and_records_the_changes(self) -> None:
        self.login(self.officer_a)
        response = self.post(
            **{
                "results-0-online": "1.909",
                "results-0-on_time": "1 900",
                "results-0-pending_on_time": "9",
                "values-pakn_received": "2",
                "values-rate_digitisation": "99,5",
                "narrative-danh-gia.text": "Tốt.",
            }
        )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        stored = self.stored()
        self.assertEqual(stored.version, 2)
        self.assertEqual(
            [stored.figures["results"][0][name] for name in ("online", "on_time", "pending_on_time")], [1909, 1900, 9]
        )
        self.assertEqual(stored.figures["values"], {"pakn_received": 2, "rate_digitisation": 99.5})
        self.assertEqual(stored.narrative, {"danh-gia": {"text": "Tốt.", "after": ""}})
        self.assertEqual(stored.updated_by, self.officer_a)
        event = ReportEvent.objects.get(report=self.report, kind=EventKind.SAVED)
        self.assertEqual(
            [change["path"] for change in event.changes],
            [
                "figures.results.0.online",
                "figures.results.0.on_time",
                "figures.results.0.pending_on_time",
                "figures.values.pakn_received",
                "figures.values.rate_digitisation",
                "narrative.danh-gia",
            ],
        )
        page = self.client.get(self.url)
        self.assertContains(page, "Đã lưu báo cáo lúc")
        self.assertNotContains(page, "phiên bản 2")

    def test_a_draft_breaking_a_hard_rule_is_saved_and_the_rule_shown(self) -> None:
        self.login(self.officer_a)
        self.post(**{"results-0-online": "179", "results-0-on_time": "167", "results-0-pending_on_time": "11"})
        self.assertEqual(self.stored().figures["results"][0]["online"], 179)
        response = self.client.get(self.url)
        self.assertContains(response, "Dòng 1 (Hệ thống thông tin giải quyết TTHC thành phố): Tổng số tiếp nhận (179)")

    def test_decomposed_text_is_stored_composed(self) -> None:
        self.login(self.officer_a)
        text = unicodedata.normalize("NFD", "Ủy ban nhân dân xã Hùng Thắng")
        self.post(**{"narrative-danh-gia.text": text, "signer_name": unicodedata.normalize("NFD", "Trần Đình Nhuận")})
        stored = self.stored()
        self.assertEqual(stored.narrative["danh-gia"]["text"], "Ủy ban nhân dân xã Hùng Thắng")
        self.assertEqual(stored.signer_name, "Trần Đình Nhuận")

    def test_rows_can_be_added_and_deleted(self) -> None:
        self.login(self.officer_a)
        data = form_data(self.report)
        data |= {
            "results-TOTAL_FORMS": 3,
            "results-1-DELETE": "on",
            "results-2-source": "Hệ thống của Bộ Công an",
            "results-2-kind": "ministry",
            "results-2-online": "4",
            "results-2-on_time": "4",
            "agencies-TOTAL_FORMS": 2,
            "agencies-0-name": "Bảo hiểm xã hội",
            "agencies-0-received": "15",
            "agencies-0-resolved": "15",
            "directives-TOTAL_FORMS": 1,
            "directives-0-doc_type": "Kế hoạch",
            "directives-0-number": "27/KH-UBND",
            "directives-0-issued_on": "23/01/2026",
            "directives-0-subject": "tuyên truyền CCHC",
        }
        self.client.post(self.url, data)
        figures = self.stored().figures
        self.assertEqual(
            [row["source"] for row in figures["results"]],
            ["Hệ thống thông tin giải quyết TTHC thành phố", "Hệ thống của Bộ Công an"],
        )
        # The second agency row was added on the page and left blank: it is not content.
        self.assertEqual(figures["sector_agencies"], [{"name": "Bảo hiểm xã hội", "received": 15, "resolved": 15}])
        self.assertEqual(
            figures["directives"],
            [
                {
                    "doc_type": "Kế hoạch",
                    "number": "27/KH-UBND",
                    "issued_on": "2026-01-23",
                    "subject": "tuyên truyền CCHC",
                }
            ],
        )

    def test_explanations_are_saved(self) -> None:
        self.login(self.officer_a)
        self.post(**{"explanation.carried_over.mismatch": " Hai hồ sơ bị rút. "})
        self.assertEqual(self.stored().explanations, {"carried_over.mismatch": "Hai hồ sơ bị rút."})

    def test_invalid_input_shows_vietnamese_messages_and_saves_nothing(self) -> None:
        cases = [
            ({"results-0-online": "abc"}, "tiếp nhận trực tuyến: không phải là số nguyên."),
            ({"results-0-online": "1,5"}, "tiếp nhận trực tuyến: không phải là số nguyên."),
            ({"results-0-online": "-5"}, "tiếp nhận trực tuyến: không được âm."),
            ({"results-0-online": "99999999999"}, "tiếp nhận trực tuyến: số quá lớn (tối đa 1.000.000.000)."),
            ({"values-rate_digitisation": "150"}, "tỷ lệ phải từ 0 đến 100%."),
            ({"values-rate_digitisation": "NaN"}, "TTHC: không phải là số."),
            ({"results-0-kind": "province"}, "Loại hệ thống không hợp lệ."),
            ({"version": ""}, "Thiếu số phiên bản của báo cáo; vui lòng tải lại trang."),
            ({"version": "abc"}, "Số phiên bản không hợp lệ; vui lòng tải lại trang."),
            ({"version": "0"}, "Số phiên bản không hợp lệ; vui lòng tải lại trang."),
            ({"results-TOTAL_FORMS": "200"}, "Bảng chỉ được có tối đa 30 dòng."),
            (
                {"directives-TOTAL_FORMS": 1, "directives-0-issued_on": "31/02/2026", "directives-0-number": "1/KH"},
                "Ngày ban hành không hợp lệ (ví dụ 23/01/2026).",
            ),
        ]
        self.login(self.officer_a)
        for overrides, message in cases:
            with self.subTest(overrides=overrides):
                response = self.post(**{"results-0-on_time": "7", **overrides})
                self.assertContains(response, message)
                self.assertContains(response, "Chưa lưu được: vui lòng sửa các ô được đánh dấu.")
        self.assertUnchanged()

    def test_a_missing_management_form_is_an_error_not_a_crash(self) -> None:
        self.login(self.officer_a)
        data = form_data(self.report)
        del data["results-TOTAL_FORMS"]
        response = self.client.post(self.url, data)
        self.assertContains(response, "Thiếu dữ liệu của bảng")
        self.assertUnchanged()

    def test_tampered_requests_never_fail_with_500(self) -> None:
        self.login(self.officer_a)
        for overrides in (
            {"results-TOTAL_FORMS": "abc"},
            {"results-INITIAL_FORMS": "5", "results-TOTAL_FORMS": "5"},
            {"results-TOTAL_FORMS": "100000"},
            {"version": "-3"},
            {"version": "99999999999999999999"},
            {"results-0-kind": ["city", "ministry", "x"]},
            {"narrative-danh-gia.text": "x" * 60_000},
            {"directives-TOTAL_FORMS": "1", "directives-0-issued_on": "1800-01-01"},
            {"values-rate_digitisation": "1e5"},
            {"results-0-online": "١٢"},
            {"results-0-online": "\x00"},
        ):
            for path in ("edit", "check", "autosave"):
                with self.subTest(path=path, overrides=str(overrides)[:60]):
                    response = self.client.post(
                        f"/reports/{self.report.pk}/{path}/", form_data(self.report, **overrides)
                    )
                    self.assertIn(response.status_code, (200, 400))
        self.assertUnchanged()

    def test_an_empty_post_saves_nothing(self) -> None:
        self.login(self.officer_a)
        response = self.client.post(self.url, {})
        self.assertEqual(response.status_code, 200)
        self.assertUnchanged()

    def test_an_invalid_post_keeps_what_was_typed(self) -> None:
        self.login(self.officer_a)
        response = self.post(**{"results-0-online": "abc", "narrative-danh-gia.text": "Văn bản chưa lưu."})
        self.assertContains(response, "Văn bản chưa lưu.")
        self.assertContains(response, 'value="abc"')
        self.assertContains(response, "is-invalid")

    # Conflicts ------------------------------------------------------------------------------

    def test_a_save_from_an_older_version_shows_both_texts_and_keeps_the_stored_one(self) -> None:
        # The leader saved version 2 while the officer still had version 1 open.
        self.login(self.leader_a)
        self.post(**{"narrative-danh-gia.text": "Bản của lãnh đạo."})
        self.login(self.officer_a)
        response = self.post(**{"narrative-danh-gia.text": "Bản của cán bộ."})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nội dung bạn nhập CHƯA được lưu")
        self.assertContains(response, "lanhdao.a")
        self.assertContains(response, "Bản của cán bộ.", count=2)  # in the form and beside the stored text
        self.assertContains(response, "Bản của lãnh đạo.")
        self.assertContains(response, 'name="version" value="2"')
        stored = self.stored()
        self.assertEqual((stored.version, stored.narrative["danh-gia"]["text"]), (2, "Bản của lãnh đạo."))
        # Saving again, now from version 2, overwrites deliberately.
        self.client.post(
            self.url, form_data(self.report, **{"version": 2, "narrative-danh-gia.text": "Bản của cán bộ."})
        )
        stored = self.stored()
        self.assertEqual((stored.version, stored.narrative["danh-gia"]["text"]), (3, "Bản của cán bộ."))

    # Queries --------------------------------------------------------------------------------

    def test_queries_do_not_grow_with_sections_and_rows(self) -> None:
        self.login(self.officer_a)
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)
        for position in range(20):
            OutlineSection.objects.create(
                regime=self.regime,
                position=50 + position,
                key=f"them-{position}",
                title=f"Mục thêm {position}",
                kind=SectionKind.GENERATED,
                template="Tổng số {received_total} hồ sơ.",
            )
        rows = [result_row(f"Hệ thống {i}", online=10, on_time=10) for i in range(12)]
        Report.objects.filter(pk=self.report.pk).update(
            figures={**self.report.figures, "results": rows},
            prefilled=[f"figures.results.{i}.source" for i in range(12)],
        )
        for slug in ("2026-01", "2026-02", "2026-03", "2026-04"):
            factories.make_report(self.commune_a, factories.make_period(self.regime, slug))
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(self.url)
        self.assertContains(response, "Mục thêm 19")
        self.assertEqual(len(large), len(small))
        # session, user, membership, report, outline, earlier periods, targets, review comments,
        # figures computed from dossiers (dossier_panel)
        self.assertEqual(len(small), 9, [q["sql"] for q in small.captured_queries])

    def test_an_explanation_with_a_nul_character_is_refused(self) -> None:
        # Explanations are read from the POST directly, not through a form field that refuses U+0000,
        # which PostgreSQL cannot store.
        self.login(self.officer_a)
        response = self.post(**{"explanation.carried_over.mismatch": "Hai hồ sơ\x00 bị rút."})
        self.assertContains(response, "ký tự NUL")
        self.assertUnchanged()
