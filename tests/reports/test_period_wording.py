"""Every kind of period reads as official usage: labels, template fields, the shipped outlines."""

import re
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase

from communes.access import get_report_for_view
from reports.admin import RegimeForm, SectionForm
from reports.models import ReportingRegime
from reports.periods import Frequency, PeriodKey
from reports.rendering.document import build_report_document
from reports.rendering.templating import template_errors
from tests import factories
from tests.base import BaseTestCase

SEED_DIR = Path(__file__).resolve().parents[2] / "reports" / "seed_data"
# Where a longer period's own name contains "tháng" (6 tháng đầu năm, 9 tháng đầu năm, 3 tháng
# cuối năm), the word is right; anywhere else in such a report it means the wrong period.
LONG_PERIOD_PHRASE = re.compile(r"\b[369] tháng (?:đầu|cuối) năm")


class LabelTests(SimpleTestCase):
    def test_labels_nouns_and_next_labels_follow_official_usage(self) -> None:
        cases = [
            (PeriodKey(Frequency.MONTHLY, 2026, 12), "tháng 12 năm 2026", "tháng", "tháng 01 năm 2027"),
            (PeriodKey(Frequency.QUARTERLY, 2026, 4), "quý IV năm 2026", "quý", "quý I năm 2027"),
            (PeriodKey(Frequency.HALF_YEAR, 2026, 1), "6 tháng đầu năm 2026", "6 tháng", "6 tháng cuối năm 2026"),
            (PeriodKey(Frequency.HALF_YEAR, 2026, 2), "6 tháng cuối năm 2026", "6 tháng", "6 tháng đầu năm 2027"),
            (PeriodKey(Frequency.NINE_MONTHS, 2022, 1), "9 tháng đầu năm 2022", "9 tháng", "3 tháng cuối năm 2022"),
            (PeriodKey(Frequency.YEARLY, 2026, 1), "năm 2026", "năm", "năm 2027"),
        ]
        for key, label, noun, next_label in cases:
            with self.subTest(key=key):
                self.assertEqual((key.label(), key.noun(), key.next_label()), (label, noun, next_label))


class ValidatorTests(SimpleTestCase):
    def test_month_only_fields_are_refused_outside_monthly_regimes(self) -> None:
        template = "Trong tháng {period_month}, tính đến {period_month_year}."
        self.assertEqual(template_errors(template), [])
        errors = template_errors(template, monthly=False)
        self.assertEqual(len(errors), 2)
        self.assertIn("Trường “{period_month}” chỉ dùng cho chế độ báo cáo hằng tháng", errors[0])
        self.assertIn("{period_label}", errors[0])
        self.assertEqual(template_errors("Trong {period_label}; {period_noun}; {next_period_label}", monthly=False), [])

    def test_an_if_on_a_month_only_field_is_refused_too(self) -> None:
        self.assertEqual(len(template_errors("{if period_month}x{end}", monthly=False)), 1)


class AdminValidatorTests(BaseTestCase):
    def regime_data(self, **changes: object) -> dict[str, object]:
        return {
            "province": self.province.pk,
            "name": "Báo cáo quý",
            "directive": "Quyết định số 5256/QĐ-UBND ngày 26/12/2025 của UBND thành phố",
            "frequency": "quarterly",
            "cutoff_day": 14,
            "month_offset": 0,
            "deadline_working_days": 2,
            "subject_template": "Kết quả {period_label}",
            "opening_template": "Trong tháng {period_month}, …",
            "closing_template": "Trân trọng báo cáo./.",
            "is_active": True,
            "applies_to_all": True,
            **changes,
        }

    def test_regime_form_refuses_month_fields_in_a_quarterly_regime(self) -> None:
        form = RegimeForm(data=self.regime_data())
        self.assertFalse(form.is_valid())
        self.assertIn("chỉ dùng cho chế độ báo cáo hằng tháng", str(form.errors["opening_template"]))
        self.assertTrue(RegimeForm(data=self.regime_data(frequency="monthly")).is_valid(), form.errors)
        self.assertFalse(ReportingRegime.objects.filter(name="Báo cáo quý").exists())

    def test_section_form_checks_against_the_regime_frequency(self) -> None:
        data = {"position": 1, "key": "pakn", "number_style": "arabic", "title": "PAKN", "kind": "generated"}
        data["template"] = "Trong tháng {period_month}, không có phản ánh."
        quarterly = type("F", (SectionForm,), {"regime_frequency": "quarterly"})
        form = quarterly(data=data)
        self.assertFalse(form.is_valid())
        self.assertIn("chỉ dùng cho chế độ báo cáo hằng tháng", str(form.errors["template"]))
        self.assertTrue(SectionForm(data=data).is_valid(), SectionForm(data=data).errors)

    def test_admin_save_of_a_quarterly_regime_refuses_a_monthly_section(self) -> None:
        regime = factories.make_regime(self.province, name="Quý", frequency="quarterly")
        self.login(self.superuser)
        data = {
            **{k: str(v) for k, v in self.regime_data(opening_template="Mở đầu {period_label}").items()},
            "name": "Quý",
            "directives-TOTAL_FORMS": "0",
            "directives-INITIAL_FORMS": "0",
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
            "sections-TOTAL_FORMS": "1",
            "sections-INITIAL_FORMS": "0",
            "sections-0-position": "1",
            "sections-0-key": "pakn",
            "sections-0-number_style": "arabic",
            "sections-0-title": "PAKN",
            "sections-0-kind": "generated",
            "sections-0-template": "Trong tháng {period_month}, không có.",
        }
        data["is_active"] = "on"
        data["applies_to_all"] = "on"
        response = self.client.post(f"/admin/reports/reportingregime/{regime.pk}/change/", data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "chỉ dùng cho chế độ báo cáo hằng tháng")
        self.assertFalse(regime.sections.exists())


class ShippedOutlineTests(BaseTestCase):
    def test_each_longer_kind_renders_without_month_wording(self) -> None:
        call_command("load_regimes", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        cases = {
            Frequency.QUARTERLY: ("2026-Q1", "quý I năm 2026", "QUÝ II NĂM 2026"),
            Frequency.HALF_YEAR: ("2026-H1", "6 tháng đầu năm 2026", "6 THÁNG CUỐI NĂM 2026"),
            Frequency.NINE_MONTHS: ("2026-9M", "9 tháng đầu năm 2026", "3 THÁNG CUỐI NĂM 2026"),
            Frequency.YEARLY: ("2026", "năm 2026", "NĂM 2027"),
        }
        for frequency, (slug, label, next_title) in cases.items():
            with self.subTest(frequency=frequency):
                regime = ReportingRegime.objects.get(province=self.province, frequency=frequency)
                report = factories.make_report(self.commune_a, factories.make_period(regime, slug))
                document = build_report_document(get_report_for_view(self.superuser, report.pk))
                texts = [document.subject, *(block.text for block in document.body)]
                whole = "\n".join(texts)
                self.assertIn(label, document.subject)
                self.assertIn(f"Trong {label}, xã Hùng Thắng không có phản ánh kiến nghị", whole)
                self.assertIn(f"NHIỆM VỤ TRỌNG TÂM {next_title}", whole)
                self.assertNotIn("[?", whole)
                self.assertNotIn("tháng", LONG_PERIOD_PHRASE.sub("", whole))

    def test_shipped_outlines_pass_the_admin_validator_for_their_kind(self) -> None:
        import json

        for path in sorted(SEED_DIR.glob("*.json")):
            regime = json.loads(path.read_text(encoding="utf-8"))["regime"]
            monthly = regime["frequency"] == Frequency.MONTHLY
            texts = [regime["subject_template"], regime["opening_template"], regime["closing_template"]]
            stack = list(regime["outline"])
            while stack:
                node = stack.pop()
                texts += [node["title"], node["template"]]
                stack.extend(node["children"])
            with self.subTest(path=path.name):
                self.assertEqual([e for text in texts for e in template_errors(text, monthly=monthly)], [])
