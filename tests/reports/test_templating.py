"""Tests for reports.rendering.templating: the wording language of generated paragraphs."""

import json
from datetime import date
from decimal import Decimal

from django.test import SimpleTestCase

from reports.demo import SEED_FILES
from reports.rendering.templating import (
    PLACEHOLDERS,
    NarrativeText,
    Percent,
    Span,
    format_value,
    paragraph_text,
    render_paragraphs,
    render_text,
    split_paragraphs,
    template_errors,
    uses_placeholder,
)


def texts(template: str, context: dict) -> list[str]:
    return [paragraph_text(paragraph) for paragraph in render_paragraphs(template, context)]


def seed_templates() -> list[tuple[str, str, bool]]:
    """(where, template, narrative allowed) for every template of both seed regimes."""
    found = []
    for path in SEED_FILES:
        regime = json.loads(path.read_text(encoding="utf-8"))["regime"]
        found.extend(
            (f"{path.name} {name}", regime[name], False)
            for name in ("subject_template", "opening_template", "closing_template")
        )
        nodes = list(regime["outline"])
        while nodes:
            node = nodes.pop()
            found.append((f"{path.name} {node['key']} title", node["title"], False))
            found.append((f"{path.name} {node['key']} template", node["template"], True))
            nodes.extend(node["children"])
    return found


class FormattingTests(SimpleTestCase):
    def test_numbers_group_thousands_with_dots(self) -> None:
        self.assertEqual(texts("{n} và {d}", {"n": 1909, "d": Decimal(2278)}), ["1.909 và 2.278"])

    def test_pad2_zero_pads_numbers_below_ten_only(self) -> None:
        self.assertEqual(texts("{a|pad2}, {b|pad2}, {c|pad2}", {"a": 5, "b": 0, "c": 12}), ["05, 00, 12"])

    def test_dates_are_unpadded_unless_asked(self) -> None:
        context = {"start": date(2026, 1, 15), "finish": date(2026, 4, 5)}
        self.assertEqual(texts("{start} {finish}", context), ["15/1/2026 5/4/2026"])
        self.assertEqual(texts("{start|padded} {finish|padded}", context), ["15/01/2026 05/04/2026"])

    def test_rates_use_a_decimal_comma_and_drop_trailing_zeros(self) -> None:
        context = {"a": Percent(Decimal("93.01")), "b": Percent(Decimal("100.00")), "c": Percent(Decimal("95.5"))}
        self.assertEqual(texts("{a}; {b}; {c}", context), ["93,01%; 100%; 95,5%"])

    def test_a_missing_value_prints_an_ellipsis_to_fill_in(self) -> None:
        self.assertEqual(texts("đạt {rate}, {count} hồ sơ", {"rate": Percent(None), "count": None}), ["đạt …, … hồ sơ"])

    def test_format_value_of_a_list_is_its_length(self) -> None:
        self.assertEqual(format_value([{}, {}, {}]), "3")
        self.assertEqual(format_value([{}], "pad2"), "01")


class StructureTests(SimpleTestCase):
    def test_paragraphs_are_separated_by_blank_lines_and_single_breaks_are_spaces(self) -> None:
        self.assertEqual(texts("Một\nhai.\n\n  \n\nBa.", {}), ["Một hai.", "Ba."])

    def test_if_else_follows_the_value(self) -> None:
        template = "{if overdue}có {overdue} hồ sơ quá hạn{else}không có hồ sơ quá hạn{end}."
        self.assertEqual(texts(template, {"overdue": 0}), ["không có hồ sơ quá hạn."])
        self.assertEqual(texts(template, {"overdue": 3}), ["có 3 hồ sơ quá hạn."])

    def test_truth_of_texts_lists_and_rates(self) -> None:
        template = "{if x}có{else}không{end}"
        cases = [
            ("", "không"),
            ("  ", "không"),
            ("a", "có"),
            ([], "không"),
            ([{"a": 1}], "có"),
            (Percent(None), "không"),
            (Percent(Decimal(0)), "không"),
            (Percent(Decimal("0.5")), "có"),
            (None, "không"),
            (NarrativeText(), "không"),
            (NarrativeText(("x",)), "có"),
        ]
        for value, expected in cases:
            with self.subTest(value=value):
                self.assertEqual(texts(template, {"x": value}), [expected])

    def test_if_without_else_and_nested_blocks(self) -> None:
        template = "A{if x} [{for items sep=', '}{if n}{name}{end}{end}]{end}."
        items = [{"name": "một", "n": 1}, {"name": "hai", "n": 0}, {"name": "ba", "n": 2}]
        self.assertEqual(texts(template, {"x": 1, "items": items}), ["A [một, , ba]."])
        self.assertEqual(texts(template, {"x": 0, "items": items}), ["A."])

    def test_inline_for_joins_items_with_the_separator(self) -> None:
        items = [{"number": "27/KH-UBND", "on": date(2026, 1, 23)}, {"number": "28/KH-UBND", "on": date(2026, 2, 3)}]
        template = 'Gồm: {for items sep="; "}Kế hoạch số {number} ngày {on|padded}{end}.'
        self.assertEqual(
            texts(template, {"items": items}),
            ["Gồm: Kế hoạch số 27/KH-UBND ngày 23/01/2026; Kế hoạch số 28/KH-UBND ngày 03/02/2026."],
        )

    def test_inline_for_without_sep_joins_with_semicolons(self) -> None:
        self.assertEqual(texts("X: {for items}{n}{end}.", {"items": [{"n": 1}, {"n": 2}]}), ["X: 1; 2."])

    def test_item_fields_shadow_outer_names_and_outer_names_stay_visible(self) -> None:
        context = {"name": "ngoài", "kind": "xã", "items": [{"name": "trong"}]}
        self.assertEqual(texts("{for items sep=''}{name} {kind}{end} {name}", context), ["trong xã ngoài"])

    def test_a_paragraph_of_only_a_for_is_a_list_of_paragraphs(self) -> None:
        # Nghị định 30/2020 list style: each item ends with ";", the last with "." (standards.md §3.7).
        agencies = [
            {"name": "Chi nhánh VPĐKĐĐ", "n": 20},
            {"name": "Bảo hiểm xã hội", "n": 15},
            {"name": "Thuế", "n": 1},
        ]
        template = "Ngành dọc:\n\n{for agencies}- {name}: {n} hồ sơ{end}\n\nHết."
        self.assertEqual(
            texts(template, {"agencies": agencies}),
            ["Ngành dọc:", "- Chi nhánh VPĐKĐĐ: 20 hồ sơ;", "- Bảo hiểm xã hội: 15 hồ sơ;", "- Thuế: 1 hồ sơ.", "Hết."],
        )

    def test_list_items_lose_their_own_end_punctuation(self) -> None:
        template = "{for items}- {name}{end}"
        items = [{"name": "Một;"}, {"name": "Hai."}, {"name": "Ba,"}]
        self.assertEqual(texts(template, {"items": items}), ["- Một;", "- Hai;", "- Ba."])

    def test_an_empty_list_gives_no_paragraph_and_its_heading_can_be_conditional(self) -> None:
        template = "{if agencies}Ngành dọc:{end}\n\n{for agencies}- {name}{end}\n\nHết."
        self.assertEqual(texts(template, {"agencies": []}), ["Hết."])

    def test_bold_spans(self) -> None:
        paragraphs = render_paragraphs("- **Kết quả {label}:** xong", {"label": "tháng 5"})
        self.assertEqual(paragraphs, [(Span("- "), Span("Kết quả tháng 5:", bold=True), Span(" xong"))])

    def test_bold_does_not_leak_into_the_next_paragraph(self) -> None:
        paragraphs = render_paragraphs("**a\n\nb", {})
        self.assertEqual(paragraphs, [(Span("a", bold=True),), (Span("b"),)])

    def test_empty_paragraphs_are_dropped_and_spaces_collapsed(self) -> None:
        self.assertEqual(texts("{if x}Có{end}\n\n  a  {y}  b  ", {"x": 0, "y": ""}), ["a b"])

    def test_narrative_is_inserted_inline_and_split_into_its_paragraphs(self) -> None:
        context = {"text": NarrativeText(("Đoạn một.", "Đoạn hai.")), "after": NarrativeText()}
        self.assertEqual(texts("Mở: {text} Tiếp theo.{after}", context), ["Mở: Đoạn một.", "Đoạn hai. Tiếp theo."])

    def test_narrative_text_is_literal(self) -> None:
        context = {"text": NarrativeText.from_text("**không đậm** {x}")}
        self.assertEqual(render_paragraphs("{text}", context), [(Span("**không đậm** {x}"),)])

    def test_render_text_is_one_line_without_bold(self) -> None:
        self.assertEqual(render_text("**Báo cáo** {p}\n\nhai", {"p": "tháng 5"}), "Báo cáo tháng 5 hai")

    def test_split_paragraphs(self) -> None:
        # Text as typed: a single line break is a new paragraph, blank lines only separate.
        self.assertEqual(split_paragraphs("a\r\nb\r\n\r\nc\n \n\n"), ("a", "b", "c"))
        self.assertEqual(split_paragraphs("- Một;\n-  Hai   ba.\n"), ("- Một;", "- Hai ba."))
        self.assertEqual(split_paragraphs(""), ())


class ErrorTests(SimpleTestCase):
    def test_unknown_placeholders_render_visibly_and_never_raise(self) -> None:
        self.assertEqual(texts("Có {nothing} và {x|bogus}.", {"x": 1}), ["Có [?nothing] và [?x|bogus]."])

    def test_broken_syntax_renders_visibly(self) -> None:
        cases = {
            "a {end} b": ["a [?end] b"],
            "a {else} b": ["a [?else] b"],
            "a {if} b": ["a [?if] b"],
            "a {1x} b": ["a [?1x] b"],
            "{if x}open": ["open"],
            "{for x}item": ["[?x]"],
            "a { b": ["a { b"],
        }
        for template, expected in cases.items():
            with self.subTest(template=template):
                self.assertEqual(texts(template, {"x": 1}), expected)

    def test_every_seed_template_is_valid(self) -> None:
        for where, template, narrative in seed_templates():
            with self.subTest(where=where):
                self.assertEqual(template_errors(template, narrative=narrative), [])

    def test_errors_are_listed_in_vietnamese(self) -> None:
        cases = {
            "{nothing}": "Trường “{nothing}” không tồn tại.",
            "{if nothing}x{end}": "Trường “{if nothing}” không tồn tại.",
            "{if pakn_received}x": "Thiếu {end} cho {if pakn_received}.",
            "{for directives}x": "Thiếu {end} cho {for directives}.",
            "x{end}": "{end} thừa, không có {if …} hoặc {for …} tương ứng.",
            "x{else}y": "{else} không nằm trong một {if …}.",
            "{if pakn_received}a{else}b{else}c{end}": "{else} không nằm trong một {if …}.",
            "{for pakn_received}x{end}": "“{for pakn_received}”: “pakn_received” không phải là danh sách.",
            "{received_total|upper}": "Bộ lọc “|upper” trong “{received_total|upper}” không được hỗ trợ.",
            "**đậm": "Dấu ** (chữ đậm) chưa được đóng trong đoạn.",
            "**a\n\nb**": "Dấu ** (chữ đậm) chưa được đóng trong đoạn.",
            "{ received_total": "Dấu ngoặc nhọn không khớp trong “{ received_total”.",
            "{if}x{end}": "“{if}” thiếu tên trường.",
            "{for directives}{name}{end}": "Trường “{name}” không tồn tại.",
        }
        for template, message in cases.items():
            with self.subTest(template=template):
                self.assertIn(message, template_errors(template))

    def test_list_fields_are_known_only_inside_their_loop(self) -> None:
        self.assertEqual(template_errors("{for sector_agencies}{name}: {received}{end}"), [])
        self.assertEqual(template_errors("{name}"), ["Trường “{name}” không tồn tại."])

    def test_narrative_placeholders_only_where_allowed(self) -> None:
        self.assertEqual(template_errors("{text} {after}"), [])
        self.assertEqual(
            template_errors("{text} {after}", narrative=False),
            ["Trường “{text}” không tồn tại.", "Trường “{after}” không tồn tại."],
        )

    def test_custom_name_list(self) -> None:
        self.assertEqual(template_errors("{a} {b}", names={"a"}, narrative=False), ["Trường “{b}” không tồn tại."])

    def test_catalogue_names_every_figure_target_and_list(self) -> None:
        for name in ("received_total", "rate_on_time", "target_rate_on_time", "pakn_received", "directives"):
            with self.subTest(name=name):
                self.assertIn(name, PLACEHOLDERS)
        self.assertNotIn("text", PLACEHOLDERS)

    def test_uses_placeholder(self) -> None:
        self.assertTrue(uses_placeholder("a {text} b", "text"))
        self.assertTrue(uses_placeholder("{if x}{after}{end}", "after"))
        self.assertFalse(uses_placeholder("a text b", "text"))
