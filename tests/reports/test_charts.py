"""Tests for reports/rendering/charts.py: SVG line charts read back as XML."""

from decimal import Decimal
from xml.etree import ElementTree

from django.test import SimpleTestCase

from reports.periods import Frequency, PeriodKey
from reports.rendering.charts import SERIES_STYLES, Series, line_chart, nice_ceiling, period_short_label

SVG = "{http://www.w3.org/2000/svg}"
LABELS = ("T3/2026", "T4/2026", "T5/2026")


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 (our own markup, parsed to check it is well formed)


def texts(root: ElementTree.Element, css_class: str | None = None) -> list[str]:
    return [
        element.text or ""
        for element in root.iter(f"{SVG}text")
        if css_class is None or element.get("class") == css_class
    ]


class PeriodLabelTests(SimpleTestCase):
    def test_labels_are_short_and_vietnamese(self) -> None:
        cases = {
            PeriodKey(Frequency.MONTHLY, 2026, 5): "T5/2026",
            PeriodKey(Frequency.MONTHLY, 2025, 12): "T12/2025",
            PeriodKey(Frequency.QUARTERLY, 2026, 2): "Q2/2026",
            PeriodKey(Frequency.HALF_YEAR, 2026, 1): "6T đầu/2026",
            PeriodKey(Frequency.HALF_YEAR, 2026, 2): "6T cuối/2026",
            PeriodKey(Frequency.NINE_MONTHS, 2026, 1): "9T/2026",
            PeriodKey(Frequency.YEARLY, 2026, 1): "2026",
        }
        for key, expected in cases.items():
            with self.subTest(key=key):
                self.assertEqual(period_short_label(key), expected)


class NiceCeilingTests(SimpleTestCase):
    def test_axis_top_is_a_round_multiple_of_a_1_2_5_step(self) -> None:
        cases = {0: (1, 1), 7: (8, 2), 100: (100, 20), 101: (150, 50), 1909: (2000, 500), Decimal("2.5"): (3, 1)}
        for value, expected in cases.items():
            with self.subTest(value=value):
                self.assertEqual(nice_ceiling(value), expected)


class LineChartTests(SimpleTestCase):
    def test_single_series_writes_every_value_and_the_target(self) -> None:
        svg = line_chart(
            title="Tỷ lệ nộp hồ sơ trực tuyến",
            labels=LABELS,
            series=[Series("Tỷ lệ nộp trực tuyến", (Decimal("55.5"), None, Decimal("62.25")))],
            percent=True,
            target=Decimal(60),
            chart_id="online",
        )
        root = parse(svg)
        self.assertEqual(root.get("role"), "img")
        self.assertEqual(root.find(f"{SVG}title").text, "Tỷ lệ nộp hồ sơ trực tuyến")  # type: ignore[union-attr]
        self.assertEqual(texts(root, "bc-chart-value"), ["55,5%", "62,25%"])
        # A fixed 0-100% axis, labelled in Vietnamese.
        self.assertEqual(texts(root)[:6], ["0%", "20%", "40%", "60%", "80%", "100%"])
        for label in LABELS:
            self.assertIn(label, texts(root))
        self.assertIn("Chỉ tiêu 60%", texts(root))
        # Two points; the legend names only the target, since the title names the series.
        self.assertEqual(len(list(root.iter(f"{SVG}circle"))), 2)
        description = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
        self.assertIn("T4/2026: không có số liệu", description)
        self.assertIn("T5/2026: 62,25%", description)
        # The missing month breaks the line: two one-point runs draw no segment joining them.
        polylines = [line.get("points", "") for line in root.iter(f"{SVG}polyline")]
        self.assertTrue(all(len(points.split()) == 1 for points in polylines), polylines)

    def test_series_differ_by_marker_and_dash_so_black_and_white_prints_read(self) -> None:
        styles = {(style.marker, style.dash) for style in SERIES_STYLES}
        self.assertEqual(len(styles), len(SERIES_STYLES))
        self.assertEqual(len({style.marker for style in SERIES_STYLES}), len(SERIES_STYLES))
        svg = line_chart(
            title="Hồ sơ",
            labels=LABELS,
            series=[
                Series("Tiếp nhận", (1900, 1909, 2000)),
                Series("Đã giải quyết", (1500, 1600, 1700)),
                Series("Đang giải quyết", (10, 20, 30)),
            ],
        )
        root = parse(svg)
        dashes = [line.get("stroke-dasharray") for line in root.iter(f"{SVG}polyline")]
        self.assertEqual(dashes, [None, "7 4", "2 3"])
        self.assertEqual(texts(root)[:6], ["0", "500", "1.000", "1.500", "2.000", "T3/2026"])
        # With three series only the newest values are written on the chart, in order top-down.
        self.assertEqual(texts(root, "bc-chart-value"), ["2.000", "1.700", "30"])
        self.assertIn("Đang giải quyết", texts(root))  # the legend

    def test_text_is_escaped(self) -> None:
        svg = line_chart(title="<b>&", labels=("<T1>",), series=[Series('"x"', (1,))])
        root = parse(svg)
        self.assertEqual(root.find(f"{SVG}title").text, "<b>&")  # type: ignore[union-attr]
        self.assertIn("<T1>", texts(root))

    def test_series_must_match_the_labels(self) -> None:
        with self.assertRaises(ValueError):
            line_chart(title="x", labels=LABELS, series=[Series("a", (1, 2))])
        with self.assertRaises(ValueError):
            line_chart(title="x", labels=LABELS, series=[])
