"""Tests for reports/rendering/xlsx.py: the period's Excel file, read back with openpyxl."""

from io import BytesIO

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from reports.models import ReportStatus
from reports.queries import city
from reports.rendering.xlsx import render_period_xlsx
from tests import factories
from tests.reports.city_helpers import CityTestCase, results_figures
from tests.reports.workflow_helpers import AFTER_DEADLINE, at


class PeriodXlsxTestCase(CityTestCase):
    def setUp(self) -> None:
        super().setUp()
        factories.make_commune(10001, "Xã An Lư", self.province)
        # A: 90 of 100 online (met), 1 of 4 paid online (25 %, missed). B: 30 of 100 online (missed), late.
        self.sent(
            self.report_a, ReportStatus.ACCEPTED, results_figures(90, 10, 100, 0, payments_online=1, payments_total=4)
        )
        self.sent(self.report_b, ReportStatus.SUBMITTED, results_figures(30, 70, 50, 50), on_time=False)

    def workbook(self, basis: city.Basis = city.Basis.SENT, *, values: bool = False) -> dict[str, Worksheet]:
        with at(AFTER_DEADLINE):
            data = city.period_figures(self.period_with_regime(), basis=basis)
        book = load_workbook(BytesIO(render_period_xlsx(data)), data_only=values)
        return {sheet.title: sheet for sheet in book.worksheets}

    def header_column(self, sheet: Worksheet, header: str, group: str | None = None) -> str:
        """The letter of the column titled `header` on the second header row (under `group`)."""
        current_group = None
        for cell in sheet[5]:
            above = sheet.cell(row=4, column=cell.column).value
            current_group = above if above else (current_group if cell.column > 6 else None)
            if cell.value == header and (group is None or current_group == group):
                return cell.column_letter
        raise AssertionError(f"no column {header!r} under {group!r}")


class SummarySheetTests(PeriodXlsxTestCase):
    def test_titles_and_two_header_rows_in_vietnamese(self) -> None:
        sheet = self.workbook()["Tổng hợp"]
        self.assertEqual(sheet["A1"].value, "TỔNG HỢP KẾT QUẢ CẢI CÁCH THỦ TỤC HÀNH CHÍNH THÁNG 5 NĂM 2026")
        self.assertIn("Số liệu: tất cả báo cáo đã gửi", sheet["A2"].value)
        self.assertEqual(
            [sheet.cell(row=5, column=c).value for c in range(1, 18)],
            ["STT", "Mã xã", "Xã, phường", "Trạng thái", "Gửi lúc", "Số ngày chậm", "Tổng số", "Trực tuyến",
             "Trực tiếp, bưu chính", "Từ kỳ trước", "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số",
             "Trong hạn", "Quá hạn"],
        )  # fmt: skip
        self.assertEqual(sheet["G4"].value, "Số hồ sơ nhận giải quyết")
        self.assertEqual(sheet["K4"].value, "Số hồ sơ đã giải quyết")
        self.assertEqual(sheet["O4"].value, "Số hồ sơ đang giải quyết")
        merged = {str(cells) for cells in sheet.merged_cells.ranges}
        self.assertLessEqual({"G4:J4", "K4:N4", "O4:Q4"}, merged)
        headers = [cell.value for cell in sheet[5]]
        self.assertIn("Tỷ lệ nộp hồ sơ trực tuyến", headers)
        self.assertIn("Số phản ánh, kiến nghị đã tiếp nhận", headers)
        self.assertIn("Tỷ lệ nộp hồ sơ trực tuyến ≥ 60%", headers)
        self.assertIn("Tỷ lệ hồ sơ thanh toán trực tuyến ≥ 50%", headers)

    def test_frozen_header_and_names_widths_and_number_formats(self) -> None:
        sheet = self.workbook()["Tổng hợp"]
        self.assertEqual(sheet.freeze_panes, "D6")
        self.assertGreater(sheet.column_dimensions["C"].width, 25)
        self.assertLess(sheet.column_dimensions["A"].width, 7)
        self.assertEqual(sheet["H7"].number_format, "#,##0")
        self.assertEqual(sheet["E7"].number_format, "dd/mm/yyyy hh:mm")
        rate = self.header_column(sheet, "Tỷ lệ nộp hồ sơ trực tuyến")
        self.assertEqual(sheet[f"{rate}7"].number_format, "0.00%")
        self.assertEqual(sheet[f"{rate}9"].number_format, "0.00%")

    def test_a_row_per_commune_by_name_with_status_and_figures(self) -> None:
        sheet = self.workbook()["Tổng hợp"]
        rows = [[cell.value for cell in sheet[r]][:10] for r in (6, 7, 8)]
        self.assertEqual(rows[0][:6], [1, 10001, "Xã An Lư", "Chưa lập", None, 2])
        self.assertEqual(rows[1][:4], [2, 10966, "Xã Bình Giang", "Đã gửi"])
        self.assertEqual(rows[1][5:10], [2, "=H7+I7+J7", 30, 70, 0])
        self.assertEqual(rows[2][:4], [3, 11809, "Xã Hùng Thắng", "Đã tiếp nhận"])
        self.assertEqual(rows[2][5:10], [None, "=H8+I8+J8", 90, 10, 0])
        self.assertEqual(sheet["K8"].value, "=L8+M8+N8")
        rate = self.header_column(sheet, "Tỷ lệ nộp hồ sơ trực tuyến")
        self.assertEqual((sheet[f"{rate}7"].value, sheet[f"{rate}8"].value), (0.3, 0.9))
        payment = self.header_column(sheet, "Tỷ lệ hồ sơ thanh toán trực tuyến")
        self.assertEqual((sheet[f"{payment}7"].value, sheet[f"{payment}8"].value), (None, 0.25))
        self.assertIsNone(sheet["H6"].value)

    def test_the_totals_row_sums_counts_and_recomputes_rates_with_formulas(self) -> None:
        sheet = self.workbook()["Tổng hợp"]
        self.assertEqual(sheet["A9"].value, "Tổng cộng")
        self.assertEqual(sheet["D9"].value, "2 báo cáo")
        self.assertEqual(sheet["G9"].value, "=SUM(G6:G8)")
        self.assertEqual(sheet["H9"].value, "=SUM(H6:H8)")
        rate = self.header_column(sheet, "Tỷ lệ nộp hồ sơ trực tuyến")
        self.assertEqual(sheet[f"{rate}9"].value, '=IF((H9+I9)=0,"",H9/(H9+I9))')
        on_time = self.header_column(sheet, "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn")
        self.assertEqual(sheet[f"{on_time}9"].value, '=IF(K9=0,"",(L9+M9)/K9)')
        paid, due = (
            self.header_column(sheet, h) for h in ("Số hồ sơ thanh toán trực tuyến", "Số hồ sơ phải nộp phí, lệ phí")
        )
        self.assertEqual(sheet[f"{paid}9"].value, f'=SUMIFS({paid}6:{paid}8,{due}6:{due}8,"<>")')
        payment = self.header_column(sheet, "Tỷ lệ hồ sơ thanh toán trực tuyến")
        self.assertEqual(sheet[f"{payment}9"].value, f'=IF({due}9=0,"",{paid}9/{due}9)')
        met = self.header_column(sheet, "Tỷ lệ nộp hồ sơ trực tuyến ≥ 60%")
        self.assertEqual(sheet[f"{met}9"].value, f'=COUNTIF({met}6:{met}8,"Đạt")')
        self.assertEqual(sheet[f"{met}8"].value, f'=IF({rate}8="","Chưa có số liệu",IF({rate}8>=0.6,"Đạt","Chưa đạt"))')

    def test_formulas_carry_the_values_the_screens_show(self) -> None:
        sheet = self.workbook(values=True)["Tổng hợp"]
        rate = self.header_column(sheet, "Tỷ lệ nộp hồ sơ trực tuyến")
        on_time = self.header_column(sheet, "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn")
        met = self.header_column(sheet, "Tỷ lệ nộp hồ sơ trực tuyến ≥ 60%")
        # (90 + 30) / 200 = 60 %; on time (100 + 50) / 200 = 75 %: from the summed counts.
        self.assertEqual((sheet["G9"].value, sheet["H9"].value, sheet["K9"].value), (200, 120, 200))
        self.assertEqual((sheet[f"{rate}9"].value, sheet[f"{on_time}9"].value), (0.6, 0.75))
        self.assertEqual(
            (sheet[f"{met}7"].value, sheet[f"{met}8"].value, sheet[f"{met}9"].value), ("Chưa đạt", "Đạt", 1)
        )
        self.assertEqual(sheet["G7"].value, 100)

    def test_accepted_only_leaves_the_other_reports_out(self) -> None:
        sheet = self.workbook(city.Basis.ACCEPTED, values=True)["Tổng hợp"]
        self.assertIn("chỉ báo cáo đã tiếp nhận", sheet["A2"].value)
        self.assertIsNone(sheet["H7"].value)
        self.assertEqual((sheet["D9"].value, sheet["H9"].value), ("1 báo cáo", 90))


class TargetsSheetTests(PeriodXlsxTestCase):
    def test_each_commune_rate_against_its_target_then_the_city(self) -> None:
        sheet = self.workbook(values=True)["Chỉ tiêu"]
        self.assertEqual(sheet.freeze_panes, "D5")
        self.assertEqual(
            [cell.value for cell in sheet[4]][:7],
            ["STT", "Mã xã", "Xã, phường", "Tỷ lệ", "Đạt được", "Chỉ tiêu tối thiểu", "Kết quả"],
        )
        lines = [[cell.value for cell in sheet[r]][1:7] for r in range(5, 11)]
        self.assertEqual(
            lines,
            [
                [10966, "Xã Bình Giang", "Tỷ lệ nộp hồ sơ trực tuyến", 0.3, 0.6, "Chưa đạt"],
                [10966, "Xã Bình Giang", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", 0.5, None, "Không đặt chỉ tiêu"],
                [10966, "Xã Bình Giang", "Tỷ lệ hồ sơ thanh toán trực tuyến", None, 0.5, "Chưa có số liệu"],
                [11809, "Xã Hùng Thắng", "Tỷ lệ nộp hồ sơ trực tuyến", 0.9, 0.6, "Đạt"],
                [11809, "Xã Hùng Thắng", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", 1, None, "Không đặt chỉ tiêu"],
                [11809, "Xã Hùng Thắng", "Tỷ lệ hồ sơ thanh toán trực tuyến", 0.25, 0.5, "Chưa đạt"],
            ],
        )
        self.assertEqual(sheet["E5"].number_format, "0.00%")
        self.assertEqual(sheet["A12"].value, "TOÀN THÀNH PHỐ")
        city_rows = [[cell.value for cell in sheet[r]][3:10] for r in (14, 15, 16)]
        self.assertEqual(
            city_rows,
            [
                ["Tỷ lệ nộp hồ sơ trực tuyến", 0.6, 0.6, "Đạt", 1, 1, 0],
                ["Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", 0.75, None, "Không đặt chỉ tiêu", None, None, None],
                ["Tỷ lệ hồ sơ thanh toán trực tuyến", 0.25, 0.5, "Chưa đạt", 0, 1, 1],
            ],
        )

    def test_results_are_formulas(self) -> None:
        sheet = self.workbook()["Chỉ tiêu"]
        self.assertEqual(sheet["G5"].value, '=IF(E5="","Chưa có số liệu",IF(E5>=0.6,"Đạt","Chưa đạt"))')
