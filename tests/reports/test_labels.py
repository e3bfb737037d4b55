"""Tests for reports.labels: every content path and value as people read it, in Vietnamese."""

from django.test import SimpleTestCase

from reports import labels

CITY_SYSTEM = "Hệ thống thông tin giải quyết TTHC thành phố"
TITLES = {"ket-qua": "I. Kết quả thực hiện", "phuong-huong": "II. Phương hướng, nhiệm vụ tháng tới"}


class PathLabelTests(SimpleTestCase):
    content = {"figures": {"results": [{"source": CITY_SYSTEM}]}}

    def test_labels_are_vietnamese(self) -> None:
        cases = {
            "figures.values.pakn_received": "Số phản ánh, kiến nghị đã tiếp nhận",
            "figures.values.rate_online_submission": "Tỷ lệ nộp hồ sơ trực tuyến",
            "figures.results.0.online": f"Bảng kết quả giải quyết TTHC, dòng 1 ({CITY_SYSTEM}): tiếp nhận trực tuyến",
            "figures.results.0.pending_overdue": f"Bảng kết quả giải quyết TTHC, dòng 1 ({CITY_SYSTEM}): đang giải quyết quá hạn",
            "figures.results.0.source": f"Bảng kết quả giải quyết TTHC, dòng 1 ({CITY_SYSTEM}): tên hệ thống",
            "figures.results.1": "Bảng kết quả giải quyết TTHC, dòng 2 (cả dòng)",
            "figures.sector_agencies.0.received": "Cơ quan ngành dọc, dòng 1: tiếp nhận",
            "figures.sector_agencies.2": "Cơ quan ngành dọc, dòng 3 (cả dòng)",
            "figures.directives.1.subject": "Văn bản chỉ đạo, điều hành, dòng 2: trích yếu",
            "narrative.ket-qua.text": "I. Kết quả thực hiện",
            "narrative.ket-qua.after": "I. Kết quả thực hiện – phần sau số liệu",
            "narrative.phuong-huong": "II. Phương hướng, nhiệm vụ tháng tới",
            "document.signer_name": "Họ và tên người ký",
            "signer_position": "Chức vụ người ký",
            "explanations.results_balance": "Giải trình",
            "document.recipients.2": "Nơi nhận",
            "document.number": "Số văn bản",
        }
        for path, label in cases.items():
            with self.subTest(path=path):
                self.assertEqual(labels.path_label(path, TITLES, self.content), label)

    def test_unknown_parts_fall_back_without_failing(self) -> None:
        cases = {
            "figures.values.unknown_key": "Số liệu",
            "figures.results.x.online": "Số liệu",
            "narrative.missing-section.text": "Mục không còn trong đề cương",
            "something.else": "something.else",
        }
        for path, label in cases.items():
            with self.subTest(path=path):
                self.assertEqual(labels.path_label(path, TITLES, {}), label)


class ValueTextTests(SimpleTestCase):
    def test_numbers_nothing_and_booleans(self) -> None:
        self.assertEqual(labels.value_text(1909), "1.909")
        self.assertEqual(labels.value_text(93.5), "93,5")
        self.assertEqual(labels.value_text(None), "—")
        self.assertEqual(labels.value_text(""), "—")
        self.assertEqual(labels.value_text(True), "có")

    def test_a_table_row_has_vietnamese_column_names_and_no_raw_keys(self) -> None:
        row = {"doc_type": "Kế hoạch", "number": "12/KH-UBND", "issued_on": "2026-01-23", "subject": "CCHC"}
        self.assertEqual(
            labels.value_text(row, path="figures.directives.0"),
            "loại văn bản: Kế hoạch; số, ký hiệu: 12/KH-UBND; ngày ban hành: 2026-01-23; trích yếu: CCHC",
        )
        results_row = {"source": CITY_SYSTEM, "kind": "city", "online": 5}
        text = labels.value_text(results_row, path="figures.results.2")
        self.assertIn(f"tên hệ thống: {CITY_SYSTEM}", text)
        self.assertIn("tiếp nhận trực tuyến: 5", text)

    def test_a_mapping_outside_the_tables_shows_its_texts_only(self) -> None:
        self.assertEqual(labels.value_text({"text": "Tốt.", "after": ""}, path="narrative.ket-qua"), "Tốt.")


class AnchorLabelTests(SimpleTestCase):
    def test_sections_figures_and_the_whole_report(self) -> None:
        figures = {"results": [{"source": CITY_SYSTEM}]}
        self.assertEqual(labels.anchor_label("section:ket-qua", TITLES, figures), "Mục I. Kết quả thực hiện")
        self.assertEqual(
            labels.anchor_label("figure:results.0", TITLES, figures),
            f"Số liệu: Bảng kết quả giải quyết TTHC, dòng 1 ({CITY_SYSTEM}) (cả dòng)",
        )
        self.assertEqual(labels.anchor_label("", TITLES, figures), "Toàn bộ báo cáo")
