"""Tests for reports.diff: field-level differences between two versions of a report's content."""

from django.test import SimpleTestCase

from reports.diff import Change, diff_content, path_is_within


class DiffContentTests(SimpleTestCase):
    def test_identical_content_has_no_changes(self) -> None:
        content = {"figures": {"values": {"pakn_received": 2}}, "narrative": {"a": {"text": "x", "after": ""}}}
        self.assertEqual(diff_content(content, content), [])

    def test_a_changed_leaf(self) -> None:
        old = {"figures": {"values": {"pakn_received": 0, "pakn_resolved": 1}}}
        new = {"figures": {"values": {"pakn_received": 2, "pakn_resolved": 1}}}
        self.assertEqual(diff_content(old, new), [Change("figures.values.pakn_received", 0, 2)])

    def test_added_and_removed_keys(self) -> None:
        old = {"explanations": {"carried_over.mismatch": "Có 2 hồ sơ rút."}}
        new = {"explanations": {"procedures_city_total.balance": "Số liệu trích nguyên văn."}}
        self.assertEqual(
            diff_content(old, new),
            # The new side's keys come first (stored jsonb content has no reliable key order).
            [
                Change("explanations.procedures_city_total.balance", None, "Số liệu trích nguyên văn."),
                Change("explanations.carried_over.mismatch", "Có 2 hồ sơ rút.", None),
            ],
        )

    def test_list_items_compared_by_position(self) -> None:
        old = {"results": [{"source": "A", "online": 1}, {"source": "B", "online": 2}]}
        new = {"results": [{"source": "A", "online": 5}]}
        self.assertEqual(
            diff_content(old, new),
            [Change("results.0.online", 1, 5), Change("results.1", {"source": "B", "online": 2}, None)],
        )

    def test_an_added_row_is_one_change(self) -> None:
        old = {"directives": []}
        row = {"doc_type": "Kế hoạch", "number": "27/KH-UBND", "issued_on": "2026-01-23", "subject": "x"}
        self.assertEqual(diff_content(old, {"directives": [row]}), [Change("directives.0", None, row)])

    def test_json_numbers_100_and_100_0_are_equal(self) -> None:
        self.assertEqual(diff_content({"v": 100}, {"v": 100.0}), [])
        self.assertEqual(diff_content({"v": 100}, {"v": 100.5}), [Change("v", 100, 100.5)])

    def test_types_matter_otherwise(self) -> None:
        self.assertEqual(diff_content({"v": 1}, {"v": True}), [Change("v", 1, True)])
        self.assertEqual(diff_content({"v": "1"}, {"v": 1}), [Change("v", "1", 1)])
        self.assertEqual(diff_content({"v": None}, {"v": ""}), [Change("v", None, "")])

    def test_a_value_replaced_by_a_structure(self) -> None:
        self.assertEqual(diff_content({"a": "x"}, {"a": {"text": "x"}}), [Change("a", "x", {"text": "x"})])

    def test_text_changes_keep_the_whole_texts(self) -> None:
        old = {"narrative": {"danh-gia": {"text": "Tốt.", "after": ""}}}
        new = {"narrative": {"danh-gia": {"text": "Tốt hơn.", "after": ""}}}
        self.assertEqual(diff_content(old, new), [Change("narrative.danh-gia.text", "Tốt.", "Tốt hơn.")])

    def test_as_dict_is_what_the_history_stores(self) -> None:
        self.assertEqual(Change("signer_name", "A", "B").as_dict(), {"path": "signer_name", "old": "A", "new": "B"})


class PathIsWithinTests(SimpleTestCase):
    def test_same_path_and_subtrees_in_both_directions(self) -> None:
        self.assertTrue(path_is_within("figures.results.0.carried_over", "figures.results.0.carried_over"))
        self.assertTrue(path_is_within("figures.results.0.carried_over", "figures.results.0"))
        self.assertTrue(path_is_within("figures.results.0", "figures.results.0.carried_over"))

    def test_neighbours_are_not_within(self) -> None:
        self.assertFalse(path_is_within("figures.results.1.carried_over", "figures.results.10"))
        self.assertFalse(path_is_within("figures.results.0.carried_over", "figures.results.0.online"))
