"""Tests for the Centre's own report: its data (reports/queries/city_report.py), services
(reports/city_report.py) and document (reports/rendering/document.py), against figures worked out
by hand in tests/reports/city_report_fixtures.py."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from reports import city_report as services
from reports.models import CityCentre, CityReport, CityReportStatus, Period, Report
from reports.queries.city_report import CityReportData, centre_for, city_report_data, suggested_number
from reports.rendering.document import build_city_report_document
from reports.rendering.export import city_report_document, city_report_filename
from tests.reports.city_report_fixtures import CityReportTestCase
from tests.reports.workflow_helpers import AFTER_DEADLINE, at

ISSUE_DAY = date(2026, 5, 20)


class CityReportDataTests(CityReportTestCase):
    def data(self, basis: str = "sent") -> CityReportData:
        period = self.loaded_period()
        with at(AFTER_DEADLINE):
            return city_report_data(period, basis=basis, centre=centre_for(period.regime.province))

    def test_totals_sum_every_sent_report(self) -> None:
        data = self.data()
        self.assertEqual(data.reports_counted, 2)
        totals = data.totals
        self.assertEqual((totals.received, totals.online, totals.direct, totals.carried_over), (210, 80, 120, 10))
        self.assertEqual((totals.resolved, totals.early, totals.on_time, totals.overdue), (175, 30, 130, 15))
        self.assertEqual((totals.in_progress, totals.pending_on_time, totals.pending_overdue), (35, 32, 3))

    def test_rates_are_recomputed_from_summed_counts(self) -> None:
        rates = {rate.key: rate for rate in self.data().rates}
        self.assertEqual(rates["rate_online_submission"].value, Decimal("40.00"))
        self.assertEqual(rates["rate_on_time"].value, Decimal("91.43"))  # not the average 91,12%
        self.assertEqual(rates["rate_online_payment"].value, Decimal("40.00"))
        digitisation = rates["rate_digitisation"]
        self.assertEqual(digitisation.value, Decimal("90.00"))
        self.assertEqual((digitisation.counted, digitisation.typed), (1, 1))
        # One of the two communes meets each target.
        for key in ("rate_online_submission", "rate_on_time", "rate_online_payment", "rate_digitisation"):
            with self.subTest(key=key):
                self.assertEqual((rates[key].met, rates[key].missed), (1, 1))
        self.assertEqual(rates["rate_online_submission"].outcome, "missed")
        self.assertEqual(rates["rate_on_time"].outcome, "met")

    def test_accepted_basis_counts_only_accepted_reports(self) -> None:
        data = self.data("accepted")
        self.assertEqual(data.reports_counted, 1)
        self.assertEqual((data.totals.received, data.totals.resolved, data.totals.in_progress), (110, 95, 15))
        rates = {rate.key: rate.value for rate in data.rates}
        self.assertEqual(rates["rate_online_submission"], Decimal("60.00"))

    def test_communes_late_and_missing(self) -> None:
        data = self.data()
        self.assertEqual(
            [(line.name, line.status, line.counted) for line in data.communes],
            [
                ("Xã Bình Giang", "submitted", True),
                ("Xã Hùng Thắng", "accepted", True),
                ("Xã Kiến Thụy", "draft", False),
                ("Xã Yên Lư", "missing", False),
            ],
        )
        self.assertEqual([line.name for line in data.sent_late], ["Xã Bình Giang"])
        self.assertEqual(data.sent_late[0].days_late, 2)
        self.assertEqual([line.name for line in data.sent_on_time], ["Xã Hùng Thắng"])
        self.assertEqual([line.name for line in data.not_sent], ["Xã Kiến Thụy", "Xã Yên Lư"])

    def test_data_survives_json(self) -> None:
        data = self.data()
        self.assertEqual(CityReportData.from_json(data.to_json()), data)

    def test_four_queries_whatever_the_number_of_communes(self) -> None:
        period = self.loaded_period()
        with self.assertNumQueries(4):
            city_report_data(period, basis="sent", centre=centre_for(period.regime.province))
        self.add_communes(27)
        with self.assertNumQueries(4):
            data = city_report_data(period, basis="sent", centre=centre_for(period.regime.province))
        self.assertEqual(data.bound, 31)


class CityReportDocumentTests(CityReportTestCase):
    def document_texts(self, city_report: CityReport | None = None) -> list[str]:
        period = self.loaded_period()
        with at(AFTER_DEADLINE):
            doc = city_report_document(period, city_report)
        return [block.text for block in doc.body]

    def test_header_is_the_centres(self) -> None:
        period = self.loaded_period()
        with at(AFTER_DEADLINE):
            doc = city_report_document(period, None)
        self.assertEqual(doc.header.parent_lines, ("UBND THÀNH PHỐ HẢI PHÒNG",))
        self.assertEqual(doc.header.agency_lines, ("TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG"))
        self.assertEqual(doc.header.number_line, "Số:        /BC-TTPVHCC")
        self.assertEqual(doc.header.place_date_line, "Hải Phòng, ngày      tháng 5 năm 2026")
        self.assertEqual(doc.watermark, "DỰ THẢO")
        self.assertEqual(doc.signature.upper_lines, ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))
        self.assertEqual(doc.recipients[-1], "- Lưu: VT, TTPVHCC.")
        self.assertEqual(
            doc.subject,
            "Kết quả công tác cải cách thủ tục hành chính tháng 5 năm 2026 của các xã, phường, đặc khu",
        )

    def test_centre_details_come_from_the_province_setting(self) -> None:
        CityCentre.objects.create(
            province=self.province,
            header_parent="ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
            header_agency="Trung tâm Phục vụ hành chính công",
            name_in_text="Trung tâm Phục vụ hành chính công thành phố",
            place_name="Hải Phòng",
            document_symbol="BC-TTHCC",
            signer_authority="",
            signer_position="Giám đốc",
            signer_name="Nguyễn Văn A",
            recipients="UBND thành phố\nLưu: VT",
        )
        period = self.loaded_period()
        doc = city_report_document(period, None)
        self.assertEqual(doc.header.agency_lines, ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",))
        self.assertEqual(doc.header.number_line, "Số:        /BC-TTHCC")
        self.assertEqual(doc.signature.upper_lines, ("GIÁM ĐỐC",))
        self.assertEqual(doc.signature.name, "Nguyễn Văn A")

    def test_generated_paragraphs_state_the_hand_worked_totals(self) -> None:
        texts = self.document_texts()
        self.assertIn("I. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC XÃ, PHƯỜNG, ĐẶC KHU", texts)
        self.assertIn(
            "Kỳ báo cáo tháng 5 năm 2026 (số liệu từ ngày 15/4/2026 đến ngày 14/5/2026, hạn gửi ngày 18/5/2026): "
            "2/4 xã, phường, đặc khu đã gửi báo cáo, trong đó 1 đơn vị gửi đúng hạn, 1 đơn vị gửi quá hạn; "
            "2 đơn vị chưa gửi hoặc chưa gửi lại báo cáo.",
            texts,
        )
        self.assertIn("- Các đơn vị gửi báo cáo quá hạn: Xã Bình Giang (2 ngày).", texts)
        self.assertIn("- Các đơn vị chưa gửi báo cáo: Xã Kiến Thụy, Xã Yên Lư.", texts)
        self.assertIn(
            "- Tổng số hồ sơ tiếp nhận: 210 hồ sơ (trực tuyến: 80; trực tiếp, dịch vụ bưu chính: 120; "
            "từ kỳ trước chuyển sang: 10).",
            texts,
        )
        self.assertIn("- Số hồ sơ đã giải quyết: 175 hồ sơ (trước hạn: 30; đúng hạn: 130; quá hạn: 15).", texts)
        self.assertIn("- Số hồ sơ đang giải quyết: 35 hồ sơ (trong hạn: 32; quá hạn: 3).", texts)
        self.assertIn("- Tỷ lệ nộp hồ sơ trực tuyến: 40% (chỉ tiêu ≥ 60%: chưa đạt); 1/2 đơn vị đạt chỉ tiêu.", texts)
        self.assertIn(
            "- Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn: 91,43% (chỉ tiêu ≥ 90%: đạt); 1/2 đơn vị đạt chỉ tiêu.",
            texts,
        )
        self.assertIn(
            "- Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC: 90% (chỉ tiêu ≥ 80%: đạt); 1/2 đơn vị đạt chỉ tiêu; "
            "tính trên 1/2 báo cáo có đủ số liệu.",
            texts,
        )
        self.assertTrue(texts[-1].endswith("xem xét, chỉ đạo./."))

    def test_appendix_lists_every_commune_with_the_city_total(self) -> None:
        period = self.loaded_period()
        with at(AFTER_DEADLINE):
            doc = city_report_document(period, None)
        appendix = doc.appendix
        assert appendix is not None
        self.assertEqual(
            appendix.reference_line,
            "(Kèm theo Báo cáo số         /BC-TTPVHCC ngày      tháng 5 năm 2026 "
            "của Trung tâm Phục vụ hành chính công thành phố)",
        )
        table = appendix.table
        self.assertEqual(table.column_count, 15)
        self.assertEqual(
            [row[1] for row in table.rows],
            ["Xã Bình Giang", "Xã Hùng Thắng", "Xã Kiến Thụy (chưa gửi)", "Xã Yên Lư (chưa lập báo cáo)"],
        )
        self.assertEqual(
            table.rows[0][2:], ("100", "20", "80", "0", "80", "10", "60", "10", "20", "20", "0", "20", "87,5")
        )
        self.assertEqual(table.rows[2][2:], ("",) * 13)
        self.assertEqual(
            table.total,
            ("", "Tổng cộng", "210", "80", "120", "10", "175", "30", "130", "15", "35", "32", "3", "40", "91,43"),
        )

    def test_free_text_follows_its_heading(self) -> None:
        city_report = CityReport(
            province=self.province,
            period=self.period,
            narrative={"assessment": "Đoạn một.\n\nĐoạn hai.", "results_note": "Nhận xét."},
        )
        texts = self.document_texts(city_report)
        index = texts.index("III. ĐÁNH GIÁ CHUNG")
        self.assertEqual(texts[index + 1 : index + 3], ["Đoạn một.", "Đoạn hai."])
        self.assertEqual(texts[texts.index("II. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH") :].count("Nhận xét."), 1)

    def test_builder_reads_nothing_from_the_database(self) -> None:
        period = self.loaded_period()
        data = city_report_data(period, basis="sent", centre=centre_for(period.regime.province))
        with self.assertNumQueries(0):
            build_city_report_document(period=period, data=data, narrative={}, number=None, issued_on=None)

    def test_filename_is_ascii(self) -> None:
        period = self.loaded_period()
        self.assertEqual(city_report_filename(period, "pdf"), "Bao-cao-TTPVHCC-thang-05-2026-Hai-Phong.pdf")


class CityReportServiceTests(CityReportTestCase):
    def save(self, version: int = 0, **narrative: str) -> CityReport:
        return services.save_city_report(
            self.loaded_period(), by=self.reviewer, basis="sent", narrative=narrative, version=version
        )

    def test_first_save_creates_the_draft_in_nfc(self) -> None:
        decomposed = "Đánh gia\u0301 chung"
        city_report = self.save(assessment=decomposed, proposals="  ")
        self.assertEqual(city_report.status, CityReportStatus.DRAFT)
        self.assertEqual(city_report.narrative, {"assessment": "Đánh giá chung"})
        self.assertEqual((city_report.version, city_report.province_id, city_report.created_by), (1, 31, self.reviewer))

    def test_a_stale_version_is_refused_and_nothing_changes(self) -> None:
        city_report = self.save(assessment="Bản một")
        self.save(version=1, assessment="Bản hai")
        with self.assertRaisesMessage(ValidationError, "vừa được người khác lưu"):
            self.save(version=1, assessment="Bản ba")
        with self.assertRaisesMessage(ValidationError, "vừa được người khác lưu"):
            self.save(version=0, assessment="Bản bốn")
        city_report.refresh_from_db()
        self.assertEqual((city_report.version, city_report.narrative), (2, {"assessment": "Bản hai"}))

    def test_control_characters_and_unknown_basis_are_refused(self) -> None:
        with self.assertRaisesMessage(ValidationError, "ký tự NUL"):
            self.save(assessment="a\x00b")
        with self.assertRaisesMessage(ValidationError, "Nguồn số liệu"):
            services.save_city_report(self.loaded_period(), by=self.reviewer, basis="all", narrative={}, version=0)
        self.assertFalse(CityReport.objects.exists())

    def issue(self, number: int = 7, issued_on: date = ISSUE_DAY) -> CityReport:
        with at(AFTER_DEADLINE):
            return services.issue_city_report(
                self.loaded_period(), by=self.reviewer, number=number, issued_on=issued_on
            )

    def test_issuing_numbers_dates_and_freezes_the_report(self) -> None:
        self.save(assessment="Tốt")
        city_report = self.issue()
        self.assertEqual((city_report.status, city_report.number, city_report.issued_on), ("issued", 7, ISSUE_DAY))
        # Later changes in a commune's report or in the regime do not change the issued document.
        Report.objects.filter(pk=self.report_b.pk).update(status="returned")
        type(self.regime).objects.filter(pk=self.regime.pk).update(directive="Công văn khác")
        period = self.loaded_period()
        doc = city_report_document(period, city_report)
        self.assertEqual(doc.header.number_line, "Số: 07/BC-TTPVHCC")
        self.assertEqual(doc.header.place_date_line, "Hải Phòng, ngày 20 tháng 5 năm 2026")
        self.assertEqual(doc.watermark, "")
        texts = [block.text for block in doc.body]
        self.assertTrue(texts[0].startswith("Thực hiện Công văn số 137/UBND-TTPVHCC"), texts[0])
        self.assertIn("- Các đơn vị gửi báo cáo quá hạn: Xã Bình Giang (2 ngày).", texts)
        assert doc.appendix is not None
        self.assertIn("Báo cáo số 07/BC-TTPVHCC ngày 20 tháng 5 năm 2026", doc.appendix.reference_line)
        with self.assertRaisesMessage(ValidationError, "đã ban hành"):
            self.save(version=city_report.version, assessment="Sửa")
        with self.assertRaisesMessage(ValidationError, "đã được cấp số"):
            self.issue(number=8)

    def test_issue_rules(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Hãy lưu báo cáo"):
            self.issue()
        self.save()
        cases = {
            "trước ngày kết thúc kỳ": (7, date(2026, 5, 13)),
            "sau ngày hôm nay": (7, date(2026, 5, 21)),
            "từ 1 trở lên": (0, ISSUE_DAY),
        }
        for message, (number, issued_on) in cases.items():
            with self.subTest(message=message), self.assertRaisesMessage(ValidationError, message):
                self.issue(number=number, issued_on=issued_on)
        self.assertEqual(CityReport.objects.get().status, CityReportStatus.DRAFT)

    def test_a_number_is_used_once_a_year_and_the_next_one_is_suggested(self) -> None:
        self.save()
        self.issue(number=7)
        self.assertEqual(suggested_number(self.province.pk, 2026), 8)
        self.assertEqual(suggested_number(self.province.pk, 2027), 1)
        june = Period.objects.create(
            regime=self.regime, year=2026, number=6, start=date(2026, 5, 15), end=date(2026, 6, 14),
            deadline=date(2026, 6, 16),
        )  # fmt: skip
        june = Period.objects.select_related("regime__province").get(pk=june.pk)
        services.save_city_report(june, by=self.reviewer, basis="sent", narrative={}, version=0)
        with at(AFTER_DEADLINE.replace(month=7)), self.assertRaisesMessage(ValidationError, "đã được dùng"):
            services.issue_city_report(june, by=self.reviewer, number=7, issued_on=date(2026, 6, 20))
        self.assertEqual(CityReport.objects.get(period=june).status, CityReportStatus.DRAFT)
