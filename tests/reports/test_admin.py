"""The reports admin: city administrators set up their own province's regimes; records stay read-only."""

import unicodedata

from communes.models import Province
from reports.models import OutlineSection, Report, ReportingRegime
from tests import factories
from tests.base import BaseTestCase


def regime_form_data(province: Province, **changes: object) -> dict:
    data = {
        "province": province.pk,
        "name": "Báo cáo CCHC hằng quý",
        "directive": "Công văn số 1/UBND-TTPVHCC ngày 05/01/2026 của UBND thành phố",
        "frequency": "quarterly",
        "cutoff_day": "14",
        "deadline_working_days": "2",
        "subject_template": "Kết quả cải cách thủ tục hành chính {period_label}",
        "opening_template": "Thực hiện {directive}, Ủy ban nhân dân {commune_name} báo cáo như sau:",
        "closing_template": "Trên đây là báo cáo {period_label}./.",
        "is_active": "on",
        "applies_to_all": "on",
        "directives-TOTAL_FORMS": "0",
        "directives-INITIAL_FORMS": "0",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-0-indicator": "rate_online_submission",
        "targets-0-minimum": "60",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "0",
        "sections-0-position": "1",
        "sections-0-key": "ket-qua",
        "sections-0-number_style": "roman",
        "sections-0-title": "KẾT QUẢ THỰC HIỆN",
        "sections-0-kind": "generated",
        "sections-0-template": "Tổng số {received_total} hồ sơ.",
    }
    return data | changes


class RegimeAdminTests(BaseTestCase):
    def test_the_city_admin_creates_a_regime_with_targets_and_outline_for_their_province(self) -> None:
        self.login(self.city_admin)
        response = self.client.post("/admin/reports/reportingregime/add/", regime_form_data(self.province))
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        regime = ReportingRegime.objects.get(name="Báo cáo CCHC hằng quý")
        self.assertEqual(regime.province, self.province)
        self.assertEqual(regime.targets.get().indicator, "rate_online_submission")
        self.assertEqual(OutlineSection.objects.get(regime=regime).key, "ket-qua")

    def test_decomposed_vietnamese_is_stored_composed(self) -> None:
        # The import looks regimes up by their NFC name; a decomposed one would be created twice.
        self.login(self.city_admin)
        nfd = {
            "name": "Báo cáo CCHC hằng quý",
            "directive": "Công văn số 1/UBND-TTPVHCC",
            "sections-0-title": "KẾT QUẢ THỰC HIỆN",
            "sections-0-default_text": "Đã triển khai đầy đủ.",
        }
        data = regime_form_data(self.province, **{k: unicodedata.normalize("NFD", v) for k, v in nfd.items()})
        response = self.client.post("/admin/reports/reportingregime/add/", data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        regime = ReportingRegime.objects.get()
        section = OutlineSection.objects.get(regime=regime)
        self.assertEqual(
            [regime.name, regime.directive, section.title, section.default_text],
            [nfd["name"], nfd["directive"], nfd["sections-0-title"], nfd["sections-0-default_text"]],
        )

    def test_control_characters_in_templates_and_titles_are_refused(self) -> None:
        self.login(self.city_admin)
        for name in ("directive", "subject_template", "closing_template", "sections-0-title"):
            with self.subTest(name=name):
                data = regime_form_data(self.province, **{name: "Kết quả\x85 CCHC"})
                response = self.client.post("/admin/reports/reportingregime/add/", data)
                self.assertContains(response, "Có ký tự điều khiển không in được (U+0085)")
        self.assertFalse(ReportingRegime.objects.exists())

    def test_the_city_admin_cannot_create_a_regime_for_another_province(self) -> None:
        self.login(self.city_admin)
        response = self.client.post("/admin/reports/reportingregime/add/", regime_form_data(self.other_province))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ReportingRegime.objects.exists())

    def test_an_unknown_placeholder_is_refused_with_a_vietnamese_message(self) -> None:
        self.login(self.city_admin)
        data = regime_form_data(self.province, **{"sections-0-template": "Tổng số {tong_so} hồ sơ."})
        response = self.client.post("/admin/reports/reportingregime/add/", data)
        self.assertContains(response, "Trường “{tong_so}” không tồn tại.")
        self.assertFalse(ReportingRegime.objects.exists())

    def test_a_regime_limited_to_named_communes_of_its_province(self) -> None:
        self.login(self.city_admin)
        data = regime_form_data(self.province, applies_to_all="", communes=[self.commune_b.pk])
        response = self.client.post("/admin/reports/reportingregime/add/", data)
        self.assertEqual(response.status_code, 302)
        regime = ReportingRegime.objects.get()
        self.assertEqual(list(regime.bound_communes()), [self.commune_b])
        self.assertEqual(list(ReportingRegime.objects.for_commune(self.commune_a)), [])
        self.assertEqual(list(ReportingRegime.objects.for_commune(self.commune_b)), [regime])

    def test_a_regime_cannot_name_communes_of_another_province_or_none(self) -> None:
        self.login(self.superuser)
        data = regime_form_data(self.province, applies_to_all="", communes=[self.commune_c.pk])
        response = self.client.post("/admin/reports/reportingregime/add/", data)
        self.assertContains(response, "không thuộc tỉnh, thành phố đã chọn: Phường Ba Đình")
        response = self.client.post(
            "/admin/reports/reportingregime/add/", regime_form_data(self.province, applies_to_all="")
        )
        self.assertContains(response, "Chọn ít nhất một xã, phường")
        self.assertFalse(ReportingRegime.objects.exists())

    def test_the_city_admin_sees_only_their_provinces_regimes(self) -> None:
        factories.make_regime(self.province, name="Chế độ Hải Phòng")
        factories.make_regime(self.other_province, name="Chế độ Hà Nội")
        self.login(self.city_admin)
        response = self.client.get("/admin/reports/reportingregime/")
        self.assertContains(response, "Chế độ Hải Phòng")
        self.assertNotContains(response, "Chế độ Hà Nội")

    def test_a_reviewer_without_staff_status_cannot_open_the_admin(self) -> None:
        self.login(self.reviewer)
        response = self.client.get("/admin/reports/reportingregime/")
        self.assertEqual(response.status_code, 302)


class ReportAdminTests(BaseTestCase):
    def test_reports_are_read_only_even_for_a_superuser(self) -> None:
        report = factories.make_report(self.commune_a)
        self.login(self.superuser)
        self.assertEqual(self.client.get(f"/admin/reports/report/{report.pk}/change/").status_code, 200)
        response = self.client.post(f"/admin/reports/report/{report.pk}/delete/", {"post": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Report.objects.filter(pk=report.pk).exists())
        self.assertEqual(self.client.get("/admin/reports/report/add/").status_code, 403)

    def test_history_cannot_be_edited_or_deleted_in_the_admin(self) -> None:
        report = factories.make_report(self.commune_a)
        event = report.events.create(kind="saved", by=self.officer_a)
        self.login(self.superuser)
        response = self.client.post(f"/admin/reports/reportevent/{event.pk}/delete/", {"post": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(report.events.filter(pk=event.pk).exists())
