"""Tests for reports.rendering.document: the report as final display strings, in fixed queries."""

import copy
from datetime import date
from decimal import Decimal

from django.test import SimpleTestCase

from communes.access import get_report_for_view
from reports.demo import SEED_FILES
from reports.exchange import import_report_data, read_report_file
from reports.figures import parse_figures
from reports.models import OutlineSection, Report, ReportStatus, SectionKind
from reports.rendering.document import (
    Block,
    ReportDocument,
    build_report_document,
    build_template_context,
    province_in_text,
    recipient_lines,
)
from reports.rendering.export import document_filename, render_report
from reports.rendering.formatting import ascii_slug, day_text, document_date_line, document_number_line, month_text
from reports.rendering.templating import PLACEHOLDERS, Span
from tests import factories
from tests.base import BaseTestCase

HUNG_THANG, BINH_GIANG = SEED_FILES


def load_seed(path, **changes) -> Report:  # type: ignore[no-untyped-def]
    """Import a seed report file; `changes` update its top-level or "document" entries first."""
    data = copy.deepcopy(read_report_file(path))
    for name, value in changes.items():
        if name in data["document"]:
            data["document"][name] = value
        else:
            data[name] = value
    return import_report_data(data)


def texts(blocks: tuple[Block, ...]) -> list[str]:
    return [block.text for block in blocks]


def build(report: Report) -> ReportDocument:
    return build_report_document(Report.objects.get(pk=report.pk))


class HeaderTests(BaseTestCase):
    def test_header_of_a_draft_leaves_number_and_day_blank(self) -> None:
        doc = build(load_seed(HUNG_THANG))
        self.assertEqual(doc.header.parent_lines, ())
        self.assertEqual(doc.header.agency_lines, ("ỦY BAN NHÂN DÂN", "XÃ HÙNG THẮNG"))
        self.assertEqual(doc.header.national_name, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        self.assertEqual(doc.header.motto, "Độc lập - Tự do - Hạnh phúc")
        self.assertEqual(doc.header.number_line, "Số:        /BC-UBND")
        # Not issued: the month of the period's end (14/5/2026), the day blank.
        self.assertEqual(doc.header.place_date_line, "Hùng Thắng, ngày      tháng 5 năm 2026")

    def test_months_one_and_two_are_zero_padded(self) -> None:
        doc = build(load_seed(BINH_GIANG))
        self.assertEqual(doc.header.place_date_line, "Bình Giang, ngày      tháng 02 năm 2026")

    def test_an_issued_report_prints_its_number_and_date(self) -> None:
        report = load_seed(HUNG_THANG)
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.ISSUED, number=7, issued_on=date(2026, 6, 3))
        doc = build(report)
        self.assertEqual(doc.header.number_line, "Số: 07/BC-UBND")
        self.assertEqual(doc.header.place_date_line, "Hùng Thắng, ngày 03 tháng 6 năm 2026")
        Report.objects.filter(pk=report.pk).update(number=112, issued_on=date(2026, 2, 16))
        doc = build(report)
        self.assertEqual(doc.header.number_line, "Số: 112/BC-UBND")
        self.assertEqual(doc.header.place_date_line, "Hùng Thắng, ngày 16 tháng 02 năm 2026")

    def test_supervising_body_and_symbol_come_from_the_commune(self) -> None:
        self.commune_a.header_parent = "Ủy ban nhân dân thành phố Hải Phòng"
        self.commune_a.document_symbol = "BC-TTPVHCC"
        self.commune_a.save(update_fields=["header_parent", "document_symbol"])
        doc = build(load_seed(HUNG_THANG))
        self.assertEqual(doc.header.parent_lines, ("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",))
        self.assertEqual(doc.header.number_line, "Số:        /BC-TTPVHCC")

    def test_margins_come_from_the_province(self) -> None:
        self.province.margin_top_mm, self.province.margin_left_mm = 25, 35
        self.province.save(update_fields=["margin_top_mm", "margin_left_mm"])
        page = build(load_seed(HUNG_THANG)).page
        self.assertEqual(
            (page.margin_top_mm, page.margin_bottom_mm, page.margin_left_mm, page.margin_right_mm), (25, 20, 35, 15)
        )
        self.assertEqual(page.text_width_mm, 160)


class TitleOpeningClosingTests(BaseTestCase):
    def test_hung_thang(self) -> None:
        doc = build(load_seed(HUNG_THANG))
        self.assertEqual(doc.document_type, "BÁO CÁO")
        self.assertEqual(doc.subject, "Kết quả thực hiện công tác cải cách thủ tục hành chính tháng 5 năm 2026")
        self.assertEqual(
            texts(doc.opening),
            [
                "Thực hiện Công văn số 137/UBND-TTPVHCC, ngày 23/01/2026 của UBND thành phố về việc báo cáo cải "
                "cách thủ tục hành chính hàng tháng; Ủy ban nhân dân xã Hùng Thắng báo cáo kết quả thực hiện công "
                "tác cải cách thủ tục hành chính tháng 5 năm 2026 (số liệu từ ngày 15/4/2026 đến hết ngày "
                "14/5/2026) như sau:"
            ],
        )
        self.assertEqual(
            texts(doc.closing),
            [
                "Trên đây là báo cáo tình hình, kết quả thực hiện công tác cải cách thủ tục hành chính tháng 5 năm "
                "2026 trên địa bàn xã, Ủy ban nhân dân xã Hùng Thắng trân trọng báo cáo./."
            ],
        )
        self.assertEqual(doc.title, "BÁO CÁO Kết quả thực hiện công tác cải cách thủ tục hành chính tháng 5 năm 2026")

    def test_binh_giang_pads_the_period_dates_and_month(self) -> None:
        doc = build(load_seed(BINH_GIANG))
        self.assertEqual(
            doc.subject,
            "Tình hình, kết quả cải cách thủ tục hành chính tháng 02 năm 2026 trên địa bàn xã Bình Giang "
            "(Từ ngày 15/01/2026 đến ngày 14/02/2026)",
        )
        self.assertTrue(
            texts(doc.closing)[-1].startswith("Trên đây là Báo cáo tình hình, kết quả cải cách TTHC tháng 02/2026")
        )

    def test_the_closing_always_ends_with_the_end_mark(self) -> None:
        report = load_seed(HUNG_THANG)
        regime = report.period.regime
        regime.closing_template = "Trân trọng báo cáo."
        regime.save(update_fields=["closing_template"])
        self.assertEqual(texts(build(report).closing), ["Trân trọng báo cáo./."])
        regime.closing_template = ""
        regime.save(update_fields=["closing_template"])
        self.assertEqual(texts(build(report).closing), ["./."])


class SectionTests(BaseTestCase):
    def test_hung_thang_generated_paragraphs_use_the_seeds_wording(self) -> None:
        body = texts(build(load_seed(HUNG_THANG)).sections)
        self.assertIn(
            "- Tổng số 179 hồ sơ (kỳ trước chuyển sang 0 hồ sơ; tiếp nhận mới 179 hồ sơ, trong đó có 63 hồ sơ được "
            "tiếp nhận trên Hệ thống thông tin giải quyết TTHC của thành phố và 116 hồ sơ được tiếp nhận qua hệ "
            "thống của các bộ).",
            body,
        )
        self.assertIn(
            "- Tổng số hồ sơ tiếp nhận trực tuyến 179/179 hồ sơ, đạt tỷ lệ 100%; giải quyết đúng hạn 167 hồ sơ, "
            "đang giải quyết trong hạn 12 hồ sơ, không có hồ sơ quá hạn.",
            body,
        )
        start = body.index("Kết quả giải quyết thủ tục hành chính của ngành dọc:")
        self.assertEqual(
            body[start + 1 : start + 3],
            [
                "- Chi nhánh Văn phòng đăng ký đất đai Tiên Lãng tiếp nhận và xử lý: 20 hồ sơ;",
                "- Bảo hiểm xã hội tiếp nhận và xử lý: 15 hồ sơ.",
            ],
        )

    def test_a_may_report_never_says_march(self) -> None:
        doc = build(load_seed(HUNG_THANG))
        everything = " ".join(texts(doc.body))
        self.assertIn(
            "Kết quả giải quyết TTHC tháng 5 năm 2026 (số liệu từ ngày 15/4/2026 đến hết ngày 14/5/2026):", everything
        )
        self.assertNotIn("tháng 3", everything)

    def test_the_results_heading_line_is_bold(self) -> None:
        doc = build(load_seed(HUNG_THANG))
        block = next(b for b in doc.sections if "Kết quả giải quyết TTHC tháng 5" in b.text)
        self.assertEqual(
            block.spans,
            (
                Span("- "),
                Span(
                    "Kết quả giải quyết TTHC tháng 5 năm 2026 (số liệu từ ngày 15/4/2026 đến hết ngày 14/5/2026):", True
                ),
            ),
        )

    def test_headings_are_numbered_and_styled_by_level(self) -> None:
        doc = build(load_seed(BINH_GIANG))
        headings = {b.text: b.spans[0] for b in doc.sections if b.heading}
        self.assertEqual(headings["I. KẾT QUẢ THỰC HIỆN"], Span("I. KẾT QUẢ THỰC HIỆN", bold=True))
        self.assertEqual(headings["1. Công tác chỉ đạo, điều hành"], Span("1. Công tác chỉ đạo, điều hành", bold=True))
        nested = "2.2. Kết quả cắt giảm, đơn giản hóa quy định hành chính, TTHC."
        self.assertEqual(headings[nested], Span(nested, bold=True, italic=True))
        self.assertEqual(headings["b) Về niêm yết, công khai TTHC:"], Span("b) Về niêm yết, công khai TTHC:"))
        self.assertIn(
            "3. Về cải cách việc thực hiện TTHC (theo đánh giá trên Hệ thống giải quyết TTHC thành phố Hải Phòng từ "
            "ngày 15/01/2026 đến ngày 14/02/2026)",
            headings,
        )
        self.assertEqual(
            [text for text in headings if text[0] in "IV"],
            ["I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CHUNG", "III. NHIỆM VỤ CỦA THÁNG TIẾP THEO"],
        )

    def test_a_roman_heading_is_printed_in_capitals_whatever_was_typed(self) -> None:
        report = load_seed(HUNG_THANG)
        OutlineSection.objects.filter(regime=report.period.regime, key="danh-gia").update(title="Đánh giá chung")
        self.assertIn("II. ĐÁNH GIÁ CHUNG", texts(build(report).sections))

    def test_a_run_in_heading_shares_the_first_paragraph(self) -> None:
        doc = build(load_seed(BINH_GIANG))
        block = next(b for b in doc.sections if b.section == "cap-nhat")
        self.assertFalse(block.heading)
        self.assertEqual(block.spans[0], Span("a) Về việc cập nhật công khai TTHC:"))
        self.assertEqual(
            block.text,
            "a) Về việc cập nhật công khai TTHC: UBND xã đã chỉ đạo các Phòng chuyên môn, các đơn vị ngành dọc phối "
            "hợp Trung tâm PVHCC xã công khai, cập nhật, bổ sung các TTHC mới mà UBND thành phố Hải Phòng công bố.",
        )

    def test_narrative_before_generated_and_after(self) -> None:
        doc = build(load_seed(BINH_GIANG))
        self.assertEqual(
            [b.text[:40] for b in doc.sections if b.section == "niem-yet"],
            [
                "b) Về niêm yết, công khai TTHC:",
                "- Theo dữ liệu ghi nhận trên Cơ sở dữ li",
                "- 100% TTHC được công khai trên Trang th",
            ],
        )
        self.assertEqual(
            [b.text[:40] for b in doc.sections if b.section == "mot-cua"],
            [
                "5. Về thực hiện cơ chế một cửa, một cửa ",
                "UBND xã đã chỉ đạo Trung tâm PVHCC xã ti",
                "Thực hiện nghiêm việc công khai địa chỉ ",
                "Trong kỳ báo cáo, UBND xã tiếp tục thực ",
            ],
        )

    def test_narrative_placed_inline_by_the_template_is_not_repeated(self) -> None:
        doc = build(load_seed(BINH_GIANG))
        cut = [b.text for b in doc.sections if b.section == "cat-giam"]
        self.assertEqual(len(cut), 2)
        self.assertTrue(cut[1].startswith("Thực hiện Quyết định số 5256/QĐ-UBND"))
        self.assertIn("trên địa bàn xã. Theo đó, tính đến ngày 14/02/2026, có 795 hồ sơ", cut[1])
        directives = [b.text for b in doc.sections if b.section == "chi-dao"]
        self.assertEqual(len(directives), 2)
        self.assertTrue(directives[1].startswith("Trong kỳ báo cáo, UBND xã Bình Giang đã ban hành các văn bản"))
        self.assertIn("Kế hoạch số 28/KH-UBND ngày 23/01/2026 về khắc phục", directives[1])
        self.assertIn("Kế hoạch số 44/KH-UBND ngày 03/02/2026 về theo dõi", directives[1])
        self.assertTrue(
            directives[1].endswith(
                "trên địa bàn xã Bình Giang ...theo đó các nhiệm vụ liên quan đến Cải cách thủ tục hành chính trên địa bàn xã đã được cụ thể trong các kế hoạch trên để các đơn vị có liên quan triển khai thực hiện."
            )
        )

    def test_figures_change_the_wording(self) -> None:
        report = load_seed(HUNG_THANG)
        figures = copy.deepcopy(report.figures)
        figures["results"][0]["pending_on_time"] = 1
        figures["results"][0]["pending_overdue"] = 2
        figures["values"]["pakn_received"] = 3
        figures["sector_agencies"] = []
        Report.objects.filter(pk=report.pk).update(figures=figures)
        body = texts(build(report).sections)
        self.assertIn(
            "- Tổng số hồ sơ tiếp nhận trực tuyến 179/179 hồ sơ, đạt tỷ lệ 100%; giải quyết đúng hạn 167 hồ sơ, "
            "đang giải quyết trong hạn 10 hồ sơ, có 2 hồ sơ quá hạn.",
            body,
        )
        self.assertIn("Trong tháng 5, xã Hùng Thắng có 3 phản ánh kiến nghị trên Cổng Dịch vụ công Quốc gia.", body)
        self.assertNotIn("Kết quả giải quyết thủ tục hành chính của ngành dọc:", body)

    def test_an_unknown_placeholder_is_shown_not_raised(self) -> None:
        report = load_seed(HUNG_THANG)
        OutlineSection.objects.filter(regime=report.period.regime, key="dvctt").update(template="Số {khong_co} hồ sơ.")
        self.assertIn("Số [?khong_co] hồ sơ.", texts(build(report).sections))

    def test_a_directives_section_without_wording_lists_the_documents(self) -> None:
        report = load_seed(BINH_GIANG)
        OutlineSection.objects.filter(regime=report.period.regime, key="chi-dao").update(template="")
        lines = [b.text for b in build(report).sections if b.section == "chi-dao"]
        self.assertEqual(
            lines[1], "- Kế hoạch số 27/KH-UBND ngày 23/01/2026 về tuyên truyền CCHC nhà nước xã Bình Giang năm 2026;"
        )
        self.assertTrue(lines[15].endswith("trên địa bàn xã Bình Giang."))
        self.assertTrue(lines[16].startswith("...theo đó"))

    def test_a_results_table_section_prints_the_table(self) -> None:
        report = load_seed(HUNG_THANG)
        OutlineSection.objects.filter(regime=report.period.regime, key="dvctt").update(
            kind=SectionKind.RESULTS_TABLE, template=""
        )
        table = next(b.table for b in build(report).sections if b.table is not None)
        self.assertEqual(table.column_count, 13)
        self.assertEqual(
            table.rows[0],
            (
                "1",
                "Hệ thống thông tin giải quyết TTHC thành phố",
                "63",
                "63",
                "0",
                "0",
                "60",
                "0",
                "60",
                "0",
                "3",
                "3",
                "0",
            ),
        )
        self.assertEqual(
            table.total, ("", "Tổng cộng", "179", "179", "0", "0", "167", "0", "167", "0", "12", "12", "0")
        )
        self.assertEqual([cell.text for cell in table.header_row(3)], [f"({n})" for n in range(1, 14)])


class SignatureAndRecipientsTests(BaseTestCase):
    def test_signature_and_recipients_of_the_seed(self) -> None:
        doc = build(load_seed(HUNG_THANG))
        self.assertEqual(doc.recipients_heading, "Nơi nhận:")
        self.assertEqual(
            doc.recipients, ("- Trung tâm PV HCC thành phố;", "- CT, các PCT UBND xã;", "- C, PCVP;", "- Lưu: VT, HCC.")
        )
        self.assertEqual(doc.signature.upper_lines, ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"))
        self.assertEqual(doc.signature.name, "Trần Đình Nhuận")

    def test_recipient_lines_are_normalised_whatever_was_typed(self) -> None:
        self.assertEqual(
            recipient_lines("- Văn phòng UBND Tp;\n\n  CT, các PCT UBND xã.  \n- Lưu: VT, TTPVHCC"),
            ("- Văn phòng UBND Tp;", "- CT, các PCT UBND xã;", "- Lưu: VT, TTPVHCC."),
        )
        self.assertEqual(recipient_lines(""), ())

    def test_blank_report_fields_fall_back_to_the_communes_defaults(self) -> None:
        report = load_seed(HUNG_THANG)
        Report.objects.filter(pk=report.pk).update(
            recipients="", signer_authority="", signer_position="", signer_name=""
        )
        doc = build(report)
        self.assertEqual(doc.recipients[-1], "- Lưu: VT, TTPVHCC.")
        self.assertEqual(doc.signature.upper_lines, ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"))


class WatermarkAndAppendixTests(BaseTestCase):
    def test_watermark_until_the_city_accepts(self) -> None:
        report = load_seed(HUNG_THANG)
        for status, watermark in (
            (ReportStatus.DRAFT, "DỰ THẢO"),
            (ReportStatus.SUBMITTED, "DỰ THẢO"),
            (ReportStatus.RETURNED, "DỰ THẢO"),
            (ReportStatus.ACCEPTED, ""),
        ):
            with self.subTest(status=status):
                Report.objects.filter(pk=report.pk).update(status=status)
                self.assertEqual(build(report).watermark, watermark)
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.ISSUED, number=3, issued_on=date(2026, 5, 20))
        self.assertEqual(build(report).watermark, "")

    def test_appendix_only_when_the_regime_asks_for_it(self) -> None:
        report = load_seed(HUNG_THANG)
        self.assertIsNone(build(report).appendix)
        report.period.regime.include_appendix = True
        report.period.regime.save(update_fields=["include_appendix"])
        appendix = build(report).appendix
        self.assertIsNotNone(appendix)
        assert appendix is not None
        self.assertEqual(appendix.heading, "Phụ lục")
        self.assertEqual(appendix.title, "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
        self.assertEqual(
            appendix.reference_line,
            "(Kèm theo Báo cáo số         /BC-UBND ngày      tháng 5 năm 2026 của Ủy ban nhân dân xã Hùng Thắng)",
        )
        self.assertEqual(appendix.period_line, "Kỳ báo cáo: tháng 5 năm 2026 (từ ngày 15/4/2026 đến ngày 14/5/2026)")
        self.assertEqual(len(appendix.table.rows), 2)
        self.assertEqual(appendix.table.total[2], "179")


class ContextTests(BaseTestCase):
    def test_every_catalogued_placeholder_has_a_value(self) -> None:
        report = get_report_for_view(self.superuser, load_seed(BINH_GIANG).pk)
        context = build_template_context(
            report, commune=report.commune, period=report.period, figures=parse_figures(report.figures), targets={}
        )
        self.assertEqual(set(PLACEHOLDERS) - set(context), set())
        self.assertEqual(context["province_name"], "thành phố Hải Phòng")
        self.assertEqual(context["commune_name"], "xã Bình Giang")
        self.assertEqual(context["period_month"], "02")
        self.assertEqual(context["period_month_year"], "02/2026")
        self.assertEqual(context["period_start"], date(2026, 1, 15))
        self.assertEqual(context["procedures_provincial"], 1909)
        self.assertEqual(context["rate_online_submission"].value, Decimal("100.00"))
        self.assertEqual(context["directives"][0]["issued_on"], date(2026, 1, 23))

    def test_province_in_text_lowers_only_the_generic_noun(self) -> None:
        self.assertEqual(province_in_text(self.province), "thành phố Hải Phòng")
        self.province.name = "Tỉnh Lào Cai"
        self.assertEqual(province_in_text(self.province), "tỉnh Lào Cai")


class QueryCountTests(BaseTestCase):
    def big_report(self) -> Report:
        report = load_seed(BINH_GIANG)
        regime = report.period.regime
        root = OutlineSection.objects.create(regime=regime, position=99, key="them", number_style="roman", title="Thêm")
        OutlineSection.objects.bulk_create(
            OutlineSection(
                regime=regime, parent=root, position=i, key=f"them-{i}", number_style="arabic", title=f"Mục {i}"
            )
            for i in range(40)
        )
        figures = copy.deepcopy(report.figures)
        figures["directives"] = figures["directives"] * 10
        figures["sector_agencies"] = [{"name": f"Cơ quan {i}", "received": i, "resolved": i} for i in range(30)]
        narrative = {
            **report.narrative,
            **{f"them-{i}": {"text": "Đoạn một.\n\nĐoạn hai.", "after": ""} for i in range(40)},
        }
        Report.objects.filter(pk=report.pk).update(figures=figures, narrative=narrative)
        return report

    def test_two_queries_once_the_report_is_fetched_for_viewing_whatever_its_size(self) -> None:
        small, big = load_seed(HUNG_THANG), self.big_report()
        for report in (small, big):
            with self.subTest(report=str(report)):
                fetched = get_report_for_view(self.superuser, report.pk)
                with self.assertNumQueries(2):
                    doc = build_report_document(fetched)
                self.assertTrue(doc.sections)
        self.assertGreater(len(build(big).sections), 100)

    def test_four_queries_from_a_bare_report(self) -> None:
        report = self.big_report()
        bare = Report.objects.get(pk=report.pk)
        with self.assertNumQueries(4):
            build_report_document(bare)


class DocumentFormattingTests(SimpleTestCase):
    """The legal date line and number (standards.md §1, ô 3 and ô 4) and ASCII file-name parts."""

    def test_month_and_day_padding(self) -> None:
        self.assertEqual([month_text(m) for m in (1, 2, 3, 10, 12)], ["01", "02", "3", "10", "12"])
        self.assertEqual([day_text(d) for d in (1, 9, 10, 31)], ["01", "09", "10", "31"])

    def test_number_line(self) -> None:
        self.assertEqual(document_number_line(None, "BC-UBND"), "Số:        /BC-UBND")
        self.assertEqual(document_number_line(3, "BC-UBND"), "Số: 03/BC-UBND")
        self.assertEqual(document_number_line(1024, "BC-UBND"), "Số: 1024/BC-UBND")

    def test_date_line(self) -> None:
        self.assertEqual(
            document_date_line("Hùng Thắng", None, month=5, year=2026), "Hùng Thắng, ngày      tháng 5 năm 2026"
        )
        self.assertEqual(
            document_date_line("Bình Giang", date(2026, 2, 5), month=1, year=2025),
            "Bình Giang, ngày 05 tháng 02 năm 2026",
        )
        self.assertEqual(
            document_date_line("Phường 1", date(2026, 12, 24), month=1, year=2025),
            "Phường 1, ngày 24 tháng 12 năm 2026",
        )

    def test_ascii_slug(self) -> None:
        self.assertEqual(ascii_slug("xã Hùng Thắng"), "xa-Hung-Thang")
        self.assertEqual(ascii_slug("Đặc khu Bạch Long Vĩ"), "Dac-khu-Bach-Long-Vi")
        self.assertEqual(ascii_slug("phường Đồng Hòa (cũ)"), "phuong-Dong-Hoa-cu")


class ExportTests(BaseTestCase):
    def test_file_names_are_ascii_with_the_period_and_commune(self) -> None:
        report = load_seed(HUNG_THANG)
        self.assertEqual(document_filename(report, "pdf"), "Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang.pdf")
        self.assertEqual(document_filename(report, ".docx"), "Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang.docx")
        regime = factories.make_regime(name="Báo cáo CCHC hằng quý", frequency="quarterly")
        quarterly = factories.make_report(self.commune_b, factories.make_period(regime, "2026-Q1"))
        self.assertEqual(document_filename(quarterly, "pdf"), "Bao-cao-CCHC-quy-i-nam-2026-xa-Binh-Giang.pdf")

    def test_render_report_formats(self) -> None:
        report = load_seed(HUNG_THANG)
        self.assertTrue(render_report(report, "pdf").startswith(b"%PDF-"))
        self.assertTrue(render_report(report, "docx").startswith(b"PK"))
        html = render_report(report, "html").decode("utf-8")
        self.assertIn('<html lang="vi">', html)
        self.assertIn("@font-face", html)  # the stylesheet travels with the file
        self.assertIn("Trần Đình Nhuận", html)
        with self.assertRaisesMessage(ValueError, "Định dạng “xlsx” không được hỗ trợ"):
            render_report(report, "xlsx")
