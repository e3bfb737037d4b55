"""Tests for the review-workflow helpers of communes.access, against the whole cast and every status.

Each test states the whole table of answers ("ok", "403", "404"), one row per cast member.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from communes import access
from communes.models import Role
from reports.models import Report, ReportStatus, ReviewComment, SignedScan
from tests import factories
from tests.base import BaseTestCase

CAST = (
    "officer_a",
    "submitting_officer_a",
    "leader_a",
    "officer_b",
    "leader_b",
    "officer_c",
    "reviewer",
    "city_admin",
    "other_reviewer",
    "outsider",
    "superuser",
    "anonymous",
)
COMMUNE_A_STAFF = ("officer_a", "submitting_officer_a", "leader_a")
SUBMITTERS_A = ("submitting_officer_a", "leader_a")
# Everyone who can see commune A's reports but is not its staff gets 403; the others 404.
SEES_A_ONLY_AS_CITY = ("reviewer", "city_admin", "superuser")


def table(ok: tuple[str, ...] = (), forbidden: tuple[str, ...] = ()) -> dict[str, str]:
    return dict.fromkeys(CAST, "404") | dict.fromkeys(forbidden, "403") | dict.fromkeys(ok, "ok")


class WorkflowAccessTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.anonymous = AnonymousUser()
        cls.regime = factories.make_regime(cls.province)
        cls.period = factories.make_period(cls.regime)
        cls.report_a = factories.make_report(cls.commune_a, cls.period)
        cls.submitting_officer_a = factories.make_user(
            "canbo.a.duocgui", Role.COMMUNE_OFFICER, commune=cls.commune_a, can_submit=True
        )

    def set_status(self, status: str) -> None:
        issued = status == ReportStatus.ISSUED
        Report.objects.filter(pk=self.report_a.pk).update(
            status=status, number=1 if issued else None, issued_on=self.period.end if issued else None
        )

    def assertTable(self, expected: dict[str, str], call) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.assertEqual(set(expected), set(CAST), "the table must list the whole cast")
        for name, want in expected.items():
            with self.subTest(user=name):
                try:
                    found = call(getattr(self, name))
                except Http404:
                    answer = "404"
                except PermissionDenied as error:
                    answer = "403"
                    self.assertTrue(str(error), "a 403 says why, in Vietnamese")
                else:
                    answer = "ok"
                    self.assertIsNotNone(found)
                self.assertEqual(answer, want)


class GetReportForSubmitTests(WorkflowAccessTestCase):
    def test_the_leader_and_allowed_officers_submit_drafts_and_returned_reports(self) -> None:
        others = ("officer_a", *SEES_A_ONLY_AS_CITY)
        for status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            with self.subTest(status=status):
                self.set_status(status)
                self.assertTable(
                    table(ok=SUBMITTERS_A, forbidden=others),
                    lambda user: access.get_report_for_submit(user, self.report_a.pk),
                )

    def test_a_submitted_report_passes_its_submitters_so_a_repeat_is_told_it_was_sent(self) -> None:
        self.set_status(ReportStatus.SUBMITTED)
        self.assertTable(
            table(ok=SUBMITTERS_A, forbidden=("officer_a", *SEES_A_ONLY_AS_CITY)),
            lambda user: access.get_report_for_submit(user, self.report_a.pk),
        )

    def test_other_statuses_are_forbidden_to_everyone_who_can_see_them(self) -> None:
        for status in (ReportStatus.ACCEPTED, ReportStatus.ISSUED):
            with self.subTest(status=status):
                self.set_status(status)
                self.assertTable(
                    table(forbidden=(*COMMUNE_A_STAFF, *SEES_A_ONLY_AS_CITY)),
                    lambda user: access.get_report_for_submit(user, self.report_a.pk),
                )

    def test_the_messages(self) -> None:
        with self.assertRaisesMessage(PermissionDenied, "Chỉ lãnh đạo UBND cấp xã hoặc cán bộ được giao"):
            access.get_report_for_submit(self.officer_a, self.report_a.pk)
        self.set_status(ReportStatus.ACCEPTED)
        with self.assertRaisesMessage(PermissionDenied, "không thể gửi"):
            access.get_report_for_submit(self.leader_a, self.report_a.pk)


class GetReportForReviewTests(WorkflowAccessTestCase):
    def test_reviewers_of_the_province_see_every_status(self) -> None:
        forbidden = ("city_admin", "superuser", *COMMUNE_A_STAFF)
        for status in ReportStatus:
            with self.subTest(status=status):
                self.set_status(status)
                self.assertTable(
                    table(ok=("reviewer",), forbidden=forbidden),
                    lambda user: access.get_report_for_review(user, self.report_a.pk),
                )

    def test_deciding_needs_a_submitted_report(self) -> None:
        forbidden = ("city_admin", "superuser", *COMMUNE_A_STAFF)
        self.set_status(ReportStatus.SUBMITTED)
        self.assertTable(
            table(ok=("reviewer",), forbidden=forbidden),
            lambda user: access.get_report_for_review(user, self.report_a.pk, deciding=True),
        )
        # Returned and accepted pass the reviewer, so a repeated decision is told it was made.
        for status in (ReportStatus.RETURNED, ReportStatus.ACCEPTED):
            with self.subTest(status=status):
                self.set_status(status)
                self.assertTable(
                    table(ok=("reviewer",), forbidden=forbidden),
                    lambda user: access.get_report_for_review(user, self.report_a.pk, deciding=True),
                )
        for status in (ReportStatus.DRAFT, ReportStatus.ISSUED):
            with self.subTest(status=status):
                self.set_status(status)
                self.assertTable(
                    table(forbidden=("reviewer", *forbidden)),
                    lambda user: access.get_report_for_review(user, self.report_a.pk, deciding=True),
                )
        with self.assertRaisesMessage(PermissionDenied, "Báo cáo không ở trạng thái chờ thẩm định."):
            access.get_report_for_review(self.reviewer, self.report_a.pk, deciding=True)


class GetReportForIssueTests(WorkflowAccessTestCase):
    def test_commune_staff_see_the_issuing_page_in_any_status(self) -> None:
        for status in ReportStatus:
            with self.subTest(status=status):
                self.set_status(status)
                self.assertTable(
                    table(ok=COMMUNE_A_STAFF, forbidden=SEES_A_ONLY_AS_CITY),
                    lambda user: access.get_report_for_issue(user, self.report_a.pk),
                )

    def test_numbering_needs_an_accepted_report_and_the_upload_an_issued_one(self) -> None:
        for needed in (ReportStatus.ACCEPTED, ReportStatus.ISSUED):
            for status in ReportStatus:
                with self.subTest(needed=needed, status=status):
                    self.set_status(status)
                    # An issued report passes a repeated "Cấp số", which is then told its number.
                    repeat = needed == ReportStatus.ACCEPTED and status == ReportStatus.ISSUED
                    ok = COMMUNE_A_STAFF if status == needed or repeat else ()
                    forbidden = SEES_A_ONLY_AS_CITY if ok else (*SEES_A_ONLY_AS_CITY, *COMMUNE_A_STAFF)
                    self.assertTable(
                        table(ok=ok, forbidden=forbidden),
                        lambda user, needed=needed: access.get_report_for_issue(user, self.report_a.pk, status=needed),
                    )
        self.set_status(ReportStatus.ACCEPTED)
        with self.assertRaisesMessage(PermissionDenied, "Chỉ tải bản ký cho báo cáo đã cấp số ban hành."):
            access.get_report_for_issue(self.officer_a, self.report_a.pk, status=ReportStatus.ISSUED)


class GetReportForAmendTests(WorkflowAccessTestCase):
    def test_the_leader_and_allowed_officers_amend_accepted_or_issued_reports(self) -> None:
        for status in (ReportStatus.ACCEPTED, ReportStatus.ISSUED):
            with self.subTest(status=status):
                self.set_status(status)
                self.assertTable(
                    table(ok=SUBMITTERS_A, forbidden=("officer_a", *SEES_A_ONLY_AS_CITY)),
                    lambda user: access.get_report_for_amend(user, self.report_a.pk),
                )

    def test_can_amend_report_gives_the_same_answers_as_a_boolean(self) -> None:
        for status in ReportStatus:
            with self.subTest(status=status):
                self.set_status(status)
                report = Report.objects.get(pk=self.report_a.pk)
                allowed = status in (ReportStatus.ACCEPTED, ReportStatus.ISSUED)
                for name in CAST:
                    expected = allowed and name in SUBMITTERS_A
                    self.assertEqual(access.can_amend_report(getattr(self, name), report), expected, name)

    def test_other_statuses_are_forbidden(self) -> None:
        for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED):
            with self.subTest(status=status):
                self.set_status(status)
                self.assertTable(
                    table(forbidden=(*COMMUNE_A_STAFF, *SEES_A_ONLY_AS_CITY)),
                    lambda user: access.get_report_for_amend(user, self.report_a.pk),
                )


class GetCommentForAnswerTests(WorkflowAccessTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.comment = ReviewComment.objects.create(report=self.report_a, body="Xem lại.", author=self.reviewer)

    def test_commune_staff_answer_while_the_report_is_with_them(self) -> None:
        for status in (ReportStatus.RETURNED, ReportStatus.DRAFT):
            with self.subTest(status=status):
                self.set_status(status)
                self.assertTable(
                    table(ok=COMMUNE_A_STAFF, forbidden=SEES_A_ONLY_AS_CITY),
                    lambda user: access.get_comment_for_answer(user, self.comment.pk),
                )

    def test_not_once_it_left_them(self) -> None:
        for status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.ISSUED):
            with self.subTest(status=status):
                self.set_status(status)
                self.assertTable(
                    table(forbidden=(*COMMUNE_A_STAFF, *SEES_A_ONLY_AS_CITY)),
                    lambda user: access.get_comment_for_answer(user, self.comment.pk),
                )

    def test_an_unknown_comment_is_404(self) -> None:
        self.assertTable(table(), lambda user: access.get_comment_for_answer(user, 999999))


class GetPeriodForGridTests(WorkflowAccessTestCase):
    def test_hai_phong_period(self) -> None:
        commune_staff = ("officer_a", "submitting_officer_a", "leader_a", "officer_b", "leader_b")
        self.assertTable(
            table(ok=("reviewer", "city_admin", "superuser"), forbidden=commune_staff),
            lambda user: access.get_period_for_grid(user, self.period.pk),
        )

    def test_ha_noi_period(self) -> None:
        period = factories.make_period(factories.make_regime(self.other_province, name="Báo cáo Hà Nội"))
        self.assertTable(
            table(ok=("other_reviewer", "superuser"), forbidden=("officer_c",)),
            lambda user: access.get_period_for_grid(user, period.pk),
        )

    def test_an_unknown_period_is_404(self) -> None:
        self.assertTable(table(), lambda user: access.get_period_for_grid(user, 999999))

    def test_the_period_comes_with_its_regime_and_province(self) -> None:
        period = access.get_period_for_grid(self.reviewer, self.period.pk)
        with self.assertNumQueries(0):
            self.assertEqual(period.regime.province.name, "Thành phố Hải Phòng")


class GetScanForViewTests(WorkflowAccessTestCase):
    def test_whoever_sees_the_report_gets_its_scan_and_a_missing_revision_is_404(self) -> None:
        self.set_status(ReportStatus.ISSUED)
        scan = SignedScan.objects.create(
            report=self.report_a,
            file="signed/scan.pdf",
            original_name="scan.pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=self.officer_a,
        )
        visible = (*COMMUNE_A_STAFF, *SEES_A_ONLY_AS_CITY)
        self.assertTable(table(ok=visible), lambda user: access.get_scan_for_view(user, self.report_a.pk, 0))
        self.assertEqual(access.get_scan_for_view(self.officer_a, self.report_a.pk, 0), scan)
        self.assertTable(table(), lambda user: access.get_scan_for_view(user, self.report_a.pk, 1))
