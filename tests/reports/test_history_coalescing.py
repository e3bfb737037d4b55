"""Autosaves of one editor coalesce into one history entry per quarter hour (reports.diff.merge_changes
and services.record_save through save_draft)."""

import zoneinfo
from datetime import datetime, timedelta

import time_machine
from django.test import SimpleTestCase

from reports import services
from reports.diff import merge_changes
from reports.models import EventKind, Report, ReportEvent
from tests.reports.test_services import ServiceTestCase

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 5, 12, 9, 0, tzinfo=HANOI)


def change(path: str, old: object, new: object) -> dict[str, object]:
    return {"path": path, "old": old, "new": new}


class MergeChangesTests(SimpleTestCase):
    def test_a_place_changed_twice_keeps_the_first_old_and_the_last_new_value(self) -> None:
        merged = merge_changes(
            [change("figures.values.pakn_received", 0, 2)], [change("figures.values.pakn_received", 2, 3)]
        )
        self.assertEqual(merged, [change("figures.values.pakn_received", 0, 3)])

    def test_different_places_are_all_kept_in_order(self) -> None:
        earlier = [change("narrative.a.text", "", "Một")]
        later = [change("figures.values.x", 1, 2)]
        self.assertEqual(merge_changes(earlier, later), earlier + later)

    def test_a_change_undone_drops_out(self) -> None:
        merged = merge_changes([change("narrative.a.text", "Cũ", "Mới")], [change("narrative.a.text", "Mới", "Cũ")])
        self.assertEqual(merged, [])

    def test_a_cell_typed_into_a_row_added_earlier_updates_the_added_row(self) -> None:
        earlier = [change("figures.results.2", None, {"source": "", "online": 0})]
        later = [change("figures.results.2.online", 0, 5), change("figures.results.2.source", "", "Bộ Công an")]
        self.assertEqual(
            merge_changes(earlier, later),
            [change("figures.results.2", None, {"source": "Bộ Công an", "online": 5})],
        )

    def test_a_row_removed_after_its_cells_changed_shows_the_row_as_it_was_before(self) -> None:
        earlier = [change("figures.results.1.online", 3, 4)]
        later = [change("figures.results.1", {"source": "B", "online": 4}, None)]
        self.assertEqual(
            merge_changes(earlier, later), [change("figures.results.1", {"source": "B", "online": 3}, None)]
        )

    def test_a_row_added_and_removed_again_leaves_nothing(self) -> None:
        earlier = [change("figures.results.2", None, {"online": 0})]
        later = [change("figures.results.2", {"online": 0}, None)]
        self.assertEqual(merge_changes(earlier, later), [])

    def test_merging_does_not_alter_its_inputs(self) -> None:
        earlier = [change("figures.results.2", None, {"online": 0})]
        later = [change("figures.results.2.online", 0, 5)]
        merge_changes(earlier, later)
        self.assertEqual(earlier, [change("figures.results.2", None, {"online": 0})])


class RecordSaveTests(ServiceTestCase):
    def setUp(self) -> None:
        with time_machine.travel(START, tick=False):
            self.report = services.create_draft(commune=self.commune_a, period=self.may, by=self.officer_a)
        # The section exists (empty) before the minutes these tests count, saved by someone else.
        self.save("Ban đầu", by=self.reviewer, minutes=-60)
        ReportEvent.objects.filter(report=self.report, by=self.reviewer).update(kind=EventKind.IMPORTED)

    def save(self, text: str, *, by: object, minutes: float) -> None:
        report = Report.objects.get(pk=self.report.pk)
        narrative = {**report.narrative, "danh-gia": {"text": text, "after": ""}}
        with time_machine.travel(START + timedelta(minutes=minutes), tick=False):
            services.save_draft(
                report, **self.content(report, narrative=narrative), expected_version=report.version, by=by
            )

    def saves(self) -> list[tuple[str, list[tuple[object, object]]]]:
        events = ReportEvent.objects.filter(report=self.report, kind=EventKind.SAVED).order_by("at", "id")
        return [(e.by.username, [(c["old"], c["new"]) for c in e.changes]) for e in events]

    def test_twenty_autosaves_in_two_minutes_make_one_entry_from_first_old_to_last_new(self) -> None:
        for step in range(1, 21):
            self.save("Đánh giá " + "x" * step, by=self.officer_a, minutes=step * 0.1)
        self.assertEqual(self.saves(), [("canbo.a", [("Ban đầu", "Đánh giá " + "x" * 20)])])
        # The content still moved on at every save.
        self.assertEqual(Report.objects.get(pk=self.report.pk).version, 22)

    def test_a_new_entry_after_fifteen_minutes(self) -> None:
        self.save("Một", by=self.officer_a, minutes=1)
        self.save("Hai", by=self.officer_a, minutes=16.5)
        self.assertEqual(self.saves(), [("canbo.a", [("Ban đầu", "Một")]), ("canbo.a", [("Một", "Hai")])])

    def test_another_editor_starts_their_own_entry(self) -> None:
        self.save("Một", by=self.officer_a, minutes=1)
        self.save("Hai", by=self.leader_a, minutes=2)
        self.save("Ba", by=self.officer_a, minutes=3)
        self.assertEqual(
            self.saves(),
            [("canbo.a", [("Ban đầu", "Một")]), ("lanhdao.a", [("Một", "Hai")]), ("canbo.a", [("Hai", "Ba")])],
        )

    def test_typing_and_undoing_within_the_window_leaves_no_entry(self) -> None:
        self.save("Tạm", by=self.officer_a, minutes=1)
        self.save("Ban đầu", by=self.officer_a, minutes=2)
        self.assertEqual(self.saves(), [])
