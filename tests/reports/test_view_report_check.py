"""Tests for the live check endpoint "/reports/<id>/check/": findings for the typed figures, saving nothing."""

from reports.models import Report, ReportStatus
from tests.reports.entry_fixtures import EntryViewTestCase, form_data


class ReportCheckTests(EntryViewTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = f"/reports/{cls.report.pk}/check/"

    def post(self, **overrides: object):  # type: ignore[no-untyped-def]
        return self.client.post(self.url, form_data(self.report, **overrides))

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        response = self.post()
        self.assertRedirects(response, f"/accounts/login/?next={self.url}", fetch_redirect_response=False)

    def test_other_communes_get_404(self) -> None:
        for user in (self.officer_b, self.officer_c, self.other_reviewer, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.post().status_code, 404)

    def test_city_staff_and_submitted_reports_get_403(self) -> None:
        self.login(self.city_admin)
        self.assertEqual(self.post().status_code, 403)
        Report.objects.filter(pk=self.report.pk).update(status=ReportStatus.ACCEPTED)
        self.login(self.officer_a)
        self.assertEqual(self.post().status_code, 403)

    def test_wrong_method_gives_405(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_a_hard_rule_is_reported_with_the_inputs_it_concerns(self) -> None:
        self.login(self.officer_a)
        response = self.post(
            **{"results-0-online": "179", "results-0-on_time": "167", "results-0-pending_on_time": "11"}
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        finding = body["findings"][0]
        self.assertEqual(finding["code"], "results.0.balance")
        self.assertEqual(finding["severity"], "error")
        self.assertEqual(
            finding["message"],
            "Dòng 1 (Hệ thống thông tin giải quyết TTHC thành phố): Tổng số tiếp nhận (179) phải bằng "
            "đã giải quyết (167) cộng đang giải quyết (11).",
        )
        self.assertEqual(
            finding["fields"],
            [
                "results-0-online",
                "results-0-direct",
                "results-0-postal",
                "results-0-carried_over",
                "results-0-early",
                "results-0-on_time",
                "results-0-overdue",
                "results-0-pending_on_time",
                "results-0-pending_overdue",
                "results-0-returned",
            ],
        )
        self.assertFalse(finding["needs_explanation"])
        self.assertEqual(body["marks"]["results-0-online"], "finding-error")
        total = body["totals"]["total"]
        self.assertEqual(
            (total["received"], total["online"], total["resolved"], total["in_progress"]), ("179", "179", "167", "11")
        )
        self.assertEqual(
            body["totals"]["rows"]["results-0"], {"received": "179", "resolved": "167", "in_progress": "11"}
        )
        self.assertEqual(
            body["rates"]["rate_online_submission"], {"value": "100.00", "display": "100", "source": "computed"}
        )
        self.assertEqual(body["rates"]["rate_pakn_satisfaction"], {"value": None, "display": "", "source": "typed"})
        # The page's fragments, rendered by the partials of the entry template.
        html = body["html"]
        self.assertInHTML(
            f'<div class="finding-message small check-error">{finding["message"]}</div>',
            self.fragment(html, "slot-results-0"),
        )
        self.assertIn(finding["message"], self.fragment(html, "findings-list"))
        self.assertIn("Tổng số 179 hồ sơ", self.fragment(html, "generated-giai-quyet"))
        self.assertUnchanged()

    @staticmethod
    def fragment(html: str, target: str) -> str:
        start = html.index(f'<template data-swap="{target}">') + len(f'<template data-swap="{target}">')
        return html[start : html.index("</template>", start)]

    def test_fixing_the_figures_clears_the_finding(self) -> None:
        self.login(self.officer_a)
        response = self.post(
            **{"results-0-online": "179", "results-0-on_time": "167", "results-0-pending_on_time": "12"}
        )
        body = response.json()
        self.assertEqual((body["findings"], body["marks"]), ([], {}))
        self.assertIn('id="findings-ok"', self.fragment(body["html"], "findings-list"))
        self.assertNotIn("slot-results-0", body["html"])

    def test_findings_point_at_the_inputs_when_rows_are_deleted(self) -> None:
        # Row 1 is deleted, so the stored row 0 is input row 1.
        self.login(self.officer_a)
        response = self.post(**{"results-0-DELETE": "on", "results-1-online": "5"})
        finding = response.json()["findings"][0]
        self.assertEqual(finding["code"], "results.0.balance")
        self.assertIn("results-1-online", finding["fields"])
        # The deleted input row has no totals; the stored row 0 shows its totals on input row 1.
        self.assertEqual(list(response.json()["totals"]["rows"]), ["results-1"])
        self.assertIn('<template data-swap="slot-results-1">', response.json()["html"])

    def test_soft_rules_need_an_explanation(self) -> None:
        self.login(self.officer_a)
        response = self.post(**{"values-rate_digitisation": "95"})
        finding = response.json()["findings"][0]
        self.assertEqual(finding["code"], "rate_digitisation.below_target")
        self.assertEqual(finding["severity"], "warning")
        self.assertTrue(finding["needs_explanation"])
        self.assertEqual(finding["fields"], ["values-rate_digitisation"])
        body = response.json()
        self.assertEqual(body["marks"], {"values-rate_digitisation": "finding-warning"})
        explanations = self.fragment(body["html"], "explanations")
        self.assertIn('name="explanation.rate_digitisation.below_target"', explanations)
        self.assertIn(finding["message"], explanations)

    def test_invalid_input_gives_400_with_messages_and_saves_nothing(self) -> None:
        self.login(self.officer_a)
        response = self.post(**{"results-0-online": "-5", "values-pakn_received": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            [(e["field"], e["message"]) for e in response.json()["errors"]],
            [("results-0-online", "không được âm."), ("values-pakn_received", "không phải là số nguyên.")],
        )
        body = response.json()
        self.assertEqual(body["marks"], {"results-0-online": "is-invalid", "values-pakn_received": "is-invalid"})
        self.assertIn("không được âm.", self.fragment(body["html"], "slot-results-0"))
        self.assertIn("không phải là số nguyên", self.fragment(body["html"], "slot-values-pakn_received"))
        self.assertIn("dòng 1: tiếp nhận trực tuyến: không được âm.", self.fragment(body["html"], "findings-list"))
        # The explanations box and the totals are left as they are.
        self.assertNotIn("explanations", body["html"])
        self.assertNotIn("totals", body)
        self.assertUnchanged()

    def test_missing_fields_give_400_not_500(self) -> None:
        self.login(self.officer_a)
        response = self.client.post(self.url, {})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.json()["errors"])
        response = self.client.post(self.url, "{}", content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertUnchanged()
