"""Tests for the draft autosave endpoint "/reports/<id>/autosave/" (form-encoded, as report_form.js sends it)."""

from urllib.parse import urlencode

from reports.models import EventKind, Report, ReportEvent, ReportStatus
from tests.reports.entry_fixtures import EntryViewTestCase, form_data


class ReportAutosaveTests(EntryViewTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = f"/reports/{cls.report.pk}/autosave/"

    def post_form(self, **overrides: object):  # type: ignore[no-untyped-def]
        return self.client.post(self.url, form_data(self.report, **overrides))

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
                    "message": "không phải là số nguyên.",
                }
            ],
        )
        self.assertUnchanged()

    def test_a_json_body_is_not_a_save(self) -> None:
        # The page sends FormData; a JSON body carries no form fields and saves nothing.
        self.login(self.officer_a)
        response = self.client.post(self.url, '{"version": 1, "figures": {}}', content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertUnchanged()

    def test_a_lone_surrogate_in_the_body_does_not_fail(self) -> None:
        # Form decoding replaces bytes that are not UTF-8 (here a UTF-16 half) with U+FFFD.
        self.login(self.officer_a)
        body = urlencode({k: v for k, v in form_data(self.report).items() if k != "signer_name"})
        body += "&signer_name=%ED%A0%80"
        response = self.client.post(self.url, body, content_type="application/x-www-form-urlencoded")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(self.stored().signer_name, "\ufffd" * 3)

    def test_a_form_explanation_with_a_nul_character_gives_400(self) -> None:
        self.login(self.officer_a)
        for name, text in (("explanation.carried_over.mismatch", "Rút\x00"), ("explanation.x\x00", "Rút")):
            with self.subTest(name=name):
                response = self.post_form(**{name: text})
                self.assertEqual(response.status_code, 400)
                self.assertIn("ký tự NUL", response.json()["errors"][0]["message"])
        self.assertUnchanged()
