"""Tests for the draft autosave endpoint "/reports/<id>/autosave/" (form-encoded or JSON)."""

import json

from reports.models import EventKind, Report, ReportEvent, ReportStatus
from tests.reports.entry_fixtures import EntryViewTestCase, form_data, result_row


class ReportAutosaveTests(EntryViewTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = f"/reports/{cls.report.pk}/autosave/"

    def post_form(self, **overrides: object):  # type: ignore[no-untyped-def]
        return self.client.post(self.url, form_data(self.report, **overrides))

    def post_json(self, body: object):  # type: ignore[no-untyped-def]
        raw = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(self.url, raw, content_type="application/json")

    def json_content(self, **changes: object) -> dict:
        return {
            "version": 1,
            "figures": self.report.figures,
            "narrative": self.report.narrative,
            "explanations": {},
            **changes,
        }

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        response = self.post_form(**{"results-0-online": 5})
        self.assertRedirects(response, f"/accounts/login/?next={self.url}", fetch_redirect_response=False)
        self.assertUnchanged()

    def test_other_communes_get_404(self) -> None:
        for user in (self.officer_b, self.officer_c, self.other_reviewer, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.post_form(**{"results-0-online": 5}).status_code, 404)
        self.assertEqual(self.post_form(**{"results-0-online": 5}).status_code, 404)
        self.login(self.officer_a)
        self.assertEqual(self.client.post("/reports/999999/autosave/", {}).status_code, 404)
        self.assertUnchanged()

    def test_city_staff_and_submitted_reports_get_403(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.post_form(**{"results-0-online": 5}).status_code, 403)
        Report.objects.filter(pk=self.report.pk).update(status=ReportStatus.SUBMITTED)
        self.login(self.officer_a)
        self.assertEqual(self.post_form(**{"results-0-online": 5}).status_code, 403)
        self.assertEqual(self.stored().figures, self.report.figures)

    def test_wrong_method_gives_405(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_a_form_encoded_save(self) -> None:
        self.login(self.officer_a)
        response = self.post_form(
            **{"results-0-online": "179", "results-0-on_time": "167", "results-0-pending_on_time": "11"}
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["version"], 2)
        self.assertTrue(body["saved_at"].startswith("20"))
        # Saved even though a hard rule fails; the finding names the inputs of row 1.
        self.assertEqual([f["code"] for f in body["findings"]], ["results.0.balance"])
        self.assertIn("results-0-online", body["findings"][0]["fields"])
        self.assertEqual(body["totals"]["total"]["received"], "179")
        self.assertIn('<template data-swap="slot-results-0">', body["html"])
        self.assertEqual(self.stored().figures["results"][0]["online"], 179)
        self.assertEqual(ReportEvent.objects.filter(report=self.report, kind=EventKind.SAVED).count(), 1)

    def test_nothing_changed_keeps_the_version(self) -> None:
        self.login(self.officer_a)
        response = self.post_form()
        self.assertEqual(response.json()["version"], 1)
        self.assertUnchanged()

    def test_a_json_save(self) -> None:
        self.login(self.officer_a)
        figures = {**self.report.figures, "results": [result_row(online=63, on_time=60, pending_on_time=3)]}
        response = self.post_json(
            self.json_content(
                figures=figures,
                narrative={"danh-gia": {"text": "Tốt.", "after": ""}},
                signer_name="Trần Đình Nhuận",
            )
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["findings"], [])
        stored = self.stored()
        self.assertEqual((stored.version, stored.signer_name), (2, "Trần Đình Nhuận"))
        self.assertEqual(stored.figures["results"][0]["online"], 63)
        self.assertEqual(stored.narrative, {"danh-gia": {"text": "Tốt.", "after": ""}})

    def test_a_conflict_returns_409_with_the_stored_content(self) -> None:
        self.login(self.leader_a)
        self.post_form(**{"narrative-danh-gia.text": "Bản của lãnh đạo."})
        self.login(self.officer_a)
        response = self.post_form(**{"narrative-danh-gia.text": "Bản của cán bộ."})
        self.assertEqual(response.status_code, 409)
        body = response.json()
        self.assertEqual(body["version"], 2)
        self.assertEqual(body["current"]["narrative"], {"danh-gia": {"text": "Bản của lãnh đạo.", "after": ""}})
        self.assertEqual(
            body["differences"],
            [
                {
                    "path": "narrative.danh-gia.text",
                    "label": "II. ĐÁNH GIÁ CHUNG",
                    "stored": "Bản của lãnh đạo.",
                    "mine": "Bản của cán bộ.",
                }
            ],
        )
        self.assertIn("Nội dung bạn nhập CHƯA được lưu", body["message"])
        # The banner's rows, rendered by the entry template's partial.
        self.assertInHTML(
            '<tr><td>II. ĐÁNH GIÁ CHUNG</td><td class="conflict-text">Bản của cán bộ.</td>'
            '<td class="conflict-text">Bản của lãnh đạo.</td></tr>',
            body["html"],
        )
        self.assertEqual(self.stored().narrative["danh-gia"]["text"], "Bản của lãnh đạo.")

    def test_a_json_conflict(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(version=5)
        self.login(self.officer_a)
        response = self.post_json(self.json_content(narrative={"danh-gia": {"text": "Của tôi.", "after": ""}}))
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["version"], 5)
        self.assertEqual(self.stored().narrative, self.report.narrative)

    def test_invalid_form_data_gives_400_with_messages(self) -> None:
        self.login(self.officer_a)
        response = self.post_form(**{"results-0-online": "abc"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["errors"],
            [
                {
                    "field": "results-0-online",
                    "label": "Bảng kết quả giải quyết TTHC, dòng 1: tiếp nhận trực tuyến",
                    "message": "“abc” không phải là số nguyên.",
                }
            ],
        )
        self.assertUnchanged()

    def test_bad_json_gives_400_and_changes_nothing(self) -> None:
        cases = [
            ("{not json", "Dữ liệu gửi lên không phải JSON hợp lệ."),
            (b"\xff\xfe", "Dữ liệu gửi lên không phải JSON hợp lệ."),
            ("[1, 2]", "Dữ liệu gửi lên phải là một đối tượng JSON."),
            ("[" * 100000 + "]" * 100000, "Dữ liệu gửi lên không phải JSON hợp lệ."),
            ('{"version": 1, "figures": {"values": {"pakn_received": 1' + "0" * 5000 + "}}}", "không phải JSON hợp lệ"),
            (self.json_content(version=None), "Thiếu hoặc sai số phiên bản (version)."),
            (self.json_content(version=True), "Thiếu hoặc sai số phiên bản (version)."),
            (self.json_content(figures=None), "Thiếu số liệu (figures) hoặc số liệu không đúng cấu trúc."),
            (
                self.json_content(figures={"values": {"pakn_received": "1e999999"}}),
                "“1e999999” không phải là số nguyên.",
            ),
            (self.json_content(figures={"values": {"pakn_received": 10**30}}), "Số quá lớn (tối đa 1.000.000.000)."),
            (self.json_content(figures={"values": {"pakn_received": -3}}), "Số liệu không được âm."),
            (self.json_content(figures={"values": {"rate_digitisation": 101}}), "Tỷ lệ phải từ 0 đến 100%."),
            (self.json_content(figures={"values": {"khong_co": 1}}), "Chỉ tiêu “khong_co” không có trong danh mục."),
            (self.json_content(figures={"results": [{"kind": "province"}]}), "loại hệ thống không hợp lệ"),
            (self.json_content(figures={"results": "x"}), "phải là danh sách tối đa 30 dòng"),
            (self.json_content(figures={"directives": [{"issued_on": "2026-02-31"}]}), "ngày ban hành không hợp lệ"),
            (self.json_content(narrative={"danh-gia": "text"}), "phải có dạng"),
            (self.json_content(explanations={"x": 1}), "phải là chuỗi ký tự"),
            (self.json_content(signer_name=["x"]), "Họ và tên người ký: phải là chuỗi ký tự"),
        ]
        self.login(self.officer_a)
        for body, message in cases:
            with self.subTest(body=str(body)[:80]):
                response = self.post_json(body)
                self.assertEqual(response.status_code, 400)
                messages = " ".join(error["message"] for error in response.json()["errors"])
                self.assertIn(message, messages)
        self.assertUnchanged()

    def test_a_json_signer_longer_than_its_column_gives_400(self) -> None:
        # PostgreSQL refuses a value longer than varchar(100); the form path already stops it.
        self.login(self.officer_a)
        for name, label in (("signer_name", "Họ và tên người ký"), ("signer_position", "Chức vụ người ký")):
            with self.subTest(name=name):
                response = self.post_json(self.json_content(**{name: "Nguyễn " * 20}))
                self.assertEqual(response.status_code, 400)
                messages = " ".join(error["message"] for error in response.json()["errors"])
                self.assertIn(f"{label}: phải là chuỗi ký tự (tối đa 100 ký tự).", messages)
        self.assertEqual(self.stored().signer_name, self.report.signer_name)
        self.assertUnchanged()

    def test_json_text_with_a_nul_character_gives_400(self) -> None:
        # PostgreSQL cannot store U+0000 in text or jsonb; the form fields already refuse it.
        figures = {**self.report.figures, "results": [result_row(source="Hệ\x00thống", online=1, on_time=1)]}
        cases = [
            self.json_content(figures=figures),
            self.json_content(narrative={"danh-gia": {"text": "Tốt\x00", "after": ""}}),
            self.json_content(narrative={"danh\x00gia": {"text": "Tốt", "after": ""}}),
            self.json_content(explanations={"carried_over.mismatch": "Rút\x00"}),
            self.json_content(signer_name="Trần\x00"),
        ]
        self.login(self.officer_a)
        for body in cases:
            with self.subTest(body=str(body)[:120]):
                response = self.post_json(body)
                self.assertEqual(response.status_code, 400)
                messages = " ".join(error["message"] for error in response.json()["errors"])
                self.assertIn("ký tự NUL", messages)
        self.assertUnchanged()

    def test_a_form_explanation_with_a_nul_character_gives_400(self) -> None:
        self.login(self.officer_a)
        for name, text in (("explanation.carried_over.mismatch", "Rút\x00"), ("explanation.x\x00", "Rút")):
            with self.subTest(name=name):
                response = self.post_form(**{name: text})
                self.assertEqual(response.status_code, 400)
                self.assertIn("ký tự NUL", response.json()["errors"][0]["message"])
        self.assertUnchanged()
