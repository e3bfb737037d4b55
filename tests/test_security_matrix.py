"""Every URL pattern × every role × GET/POST, against an expectations table (issue 13 item 3).

The patterns come from the URL configuration itself, so a new URL without an entry in EXPECTED
fails `test_every_url_has_an_expectation`. Objects belong to commune A (Hùng Thắng, province 31);
commune B's officer and the other province's administrator must never see them (404), roles that
see but may not act get 403, anonymous users are sent to the login page. Each request runs in a
savepoint that is rolled back, so a POST that succeeds does not change what the next one meets.

The admin site's own patterns (registered models) follow one rule instead of a table row: no
anonymous or non-staff user ever gets a 200 there.
"""

import hashlib
import re
import tempfile
from http.cookies import SimpleCookie

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from communes.models import Role
from dossiers.models import DossierImportJob
from reports.figures import FIGURE_LABELS
from reports.models import ExportStatus, PeriodExport, ReportStatus, ReviewComment, SignedScan
from tests import factories
from tests.base import BaseTestCase

ROLES = ("anonymous", "officer_a", "leader_a", "officer_b", "reviewer", "city_admin", "other_admin", "superuser")
# Per URL name: the status each role gets, in ROLES order, for GET and for an empty POST.
# 302 for anonymous is the login redirect (checked); 302 for others is an action's redirect.
EXPECTED: dict[str, dict[str, str]] = {
    "communes:detail": {"GET": "302 200 200 404 200 200 404 200", "POST": "405 405 405 405 405 405 405 405"},
    "communes:list": {"GET": "302 200 200 200 200 200 200 200", "POST": "405 405 405 405 405 405 405 405"},
    "healthz": {"GET": "503 503 503 503 503 503 503 503", "POST": "405 405 405 405 405 405 405 405"},
    "home": {"GET": "302 200 200 200 200 200 200 200", "POST": "405 405 405 405 405 405 405 405"},
    "login": {"GET": "200 200 200 200 200 200 200 200", "POST": "200 200 200 200 200 200 200 200"},
    "logout": {"GET": "405 405 405 405 405 405 405 405", "POST": "302 302 302 302 302 302 302 302"},
    "password_change": {"GET": "302 200 200 200 200 200 200 200", "POST": "302 200 200 200 200 200 200 200"},
    "password_change_done": {"GET": "302 200 200 200 200 200 200 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:amend": {"GET": "302 405 405 405 405 405 405 405", "POST": "302 403 403 404 403 403 404 403"},
    "reports:autosave": {"GET": "405 405 405 405 405 405 405 405", "POST": "302 400 400 404 403 403 404 400"},
    "reports:check": {"GET": "405 405 405 405 405 405 405 405", "POST": "302 400 400 404 403 403 404 400"},
    "reports:city_report_download_docx": {
        "GET": "302 403 403 403 200 200 404 200",
        "POST": "302 405 405 405 405 405 405 405",
    },
    "reports:city_report_download_pdf": {
        "GET": "302 403 403 403 200 200 404 200",
        "POST": "302 405 405 405 405 405 405 405",
    },
    "reports:city_report_edit": {"GET": "302 403 403 403 200 200 404 200", "POST": "302 403 403 403 200 200 404 200"},
    "reports:city_report_issue": {"GET": "302 405 405 405 405 405 405 405", "POST": "302 403 403 403 200 200 404 200"},
    "reports:city_report_preview": {
        "GET": "302 403 403 403 200 200 404 200",
        "POST": "302 405 405 405 405 405 405 405",
    },
    "reports:comment_answer": {"GET": "302 405 405 405 405 405 405 405", "POST": "302 302 302 404 403 403 404 403"},
    "reports:commune_trends": {"GET": "302 200 200 404 200 200 404 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:detail": {"GET": "302 200 200 404 200 200 404 200", "POST": "405 405 405 405 405 405 405 405"},
    "reports:download_docx": {"GET": "302 200 200 404 200 200 404 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:download_pdf": {"GET": "302 200 200 404 200 200 404 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:history": {"GET": "302 200 200 404 200 200 404 200", "POST": "405 405 405 405 405 405 405 405"},
    "reports:issue": {"GET": "302 200 200 404 403 403 404 403", "POST": "302 403 403 404 403 403 404 403"},
    "reports:national": {"GET": "302 403 403 403 403 403 403 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:open": {"GET": "302 200 200 404 403 403 404 200", "POST": "302 200 200 404 403 403 404 200"},
    "reports:period_figure": {"GET": "302 403 403 403 200 200 404 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:period_grid": {"GET": "302 403 403 403 200 200 404 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:period_remind": {"GET": "302 405 405 405 405 405 405 405", "POST": "302 403 403 403 302 403 404 403"},
    "reports:period_totals": {"GET": "302 403 403 403 200 200 404 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:period_trends": {"GET": "302 403 403 403 200 200 404 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:preview": {"GET": "302 200 200 404 200 200 404 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:review": {"GET": "302 403 403 404 200 403 404 403", "POST": "302 405 405 405 405 405 405 405"},
    "reports:scan_download": {"GET": "302 200 200 404 200 200 404 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:scan_upload": {"GET": "302 405 405 405 405 405 405 405", "POST": "302 403 403 404 403 403 404 403"},
    "reports:submit": {"GET": "302 405 405 405 405 405 405 405", "POST": "302 403 302 404 403 403 404 403"},
    "reports:period_xlsx": {"GET": "302 403 403 403 200 200 404 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:period_zip_download": {
        "GET": "302 403 403 403 200 200 404 200",
        "POST": "302 405 405 405 405 405 405 405",
    },
    "reports:period_zip_start": {"GET": "302 405 405 405 405 405 405 405", "POST": "302 403 403 403 302 302 404 302"},
    "reports:period_zip_status": {"GET": "302 403 403 403 200 200 404 200", "POST": "302 405 405 405 405 405 405 405"},
    "dossiers:compute": {"GET": "405 405 405 405 405 405 405 405", "POST": "302 302 302 404 403 403 404 302"},
    "dossiers:example": {"GET": "302 200 200 200 200 200 200 200", "POST": "405 405 405 405 405 405 405 405"},
    "dossiers:import": {"GET": "405 405 405 405 405 405 405 405", "POST": "302 200 200 404 403 403 404 200"},
    "dossiers:import_map": {"GET": "405 405 405 405 405 405 405 405", "POST": "302 302 302 404 403 403 404 302"},
    "dossiers:job": {"GET": "302 200 200 404 403 403 404 200", "POST": "405 405 405 405 405 405 405 405"},
    "dossiers:list": {"GET": "302 200 200 404 403 403 404 200", "POST": "405 405 405 405 405 405 405 405"},
    "dossiers:report_dossiers": {"GET": "302 200 200 404 200 403 404 200", "POST": "405 405 405 405 405 405 405 405"},
    "reports:accept": {"GET": "302 405 405 405 405 405 405 405", "POST": "302 403 403 404 302 403 404 403"},
    "reports:edit": {"GET": "302 200 200 404 302 302 404 200", "POST": "302 200 200 404 403 403 404 200"},
    "reports:return": {"GET": "302 405 405 405 405 405 405 405", "POST": "302 403 403 404 200 403 404 403"},
    "reports:scan_confirm": {"GET": "302 405 405 405 405 405 405 405", "POST": "302 403 403 404 403 403 404 403"},
    "reports:scan_download_kept": {"GET": "302 200 200 404 200 200 404 200", "POST": "302 405 405 405 405 405 405 405"},
    "reports:scan_replace": {"GET": "302 405 405 405 405 405 405 405", "POST": "302 403 403 404 403 403 404 403"},
}


def url_patterns() -> list[tuple[str, str]]:
    """(route, name) of every pattern, namespaces included."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str | None) -> list[tuple[str, str]]:
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found += walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            else:
                name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
                found.append((prefix + str(pattern.pattern), name))
        return found

    return walk(get_resolver().url_patterns, "", None)


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="tthc-matrix-media-"))
class SecurityMatrixTests(BaseTestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.other_admin = factories.make_user("quantri.hn", Role.CITY_ADMIN, province=cls.other_province, staff=True)
        regime = factories.make_regime(cls.province)
        cls.period = factories.make_period(regime)
        cls.report = factories.make_report(cls.commune_a, cls.period, status=ReportStatus.RETURNED)
        cls.report_b = factories.make_report(cls.commune_b, cls.period)
        cls.comment = ReviewComment.objects.create(
            report=cls.report, anchor="", body="Bổ sung số liệu.", author=cls.reviewer
        )
        cls.issued = issued = factories.make_report(
            cls.commune_a, factories.make_period(regime, "2026-04"), status=ReportStatus.ISSUED
        )
        data = b"%PDF-1.7 scan"
        scan = SignedScan(
            report=issued,
            revision=0,
            original_name="a.pdf",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=cls.officer_a,
        )
        scan.file.save("a.pdf", ContentFile(data), save=True)
        cls.scan = scan
        cls.export = PeriodExport(period=cls.period, fingerprint="0" * 64, status=ExportStatus.READY, done=2, total=2)
        cls.export.file.save("ky.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
        cls.export.size = 22
        cls.export.save()
        cls.job = DossierImportJob.objects.create(
            commune=cls.commune_a,
            source_system="Hệ thống thành phố",
            source_kind="city",
            file_name="hs.csv",
            token="0" * 32,
            requested_by=cls.officer_a,
        )
        other_regime = factories.make_regime(cls.other_province)
        factories.make_period(other_regime)

    def kwargs_for(self, route: str, name: str) -> dict[str, object]:
        values: dict[str, object] = {
            # The signed scan belongs to commune A's issued report; everything else to its returned one.
            "report_id": self.issued.pk if name.startswith("reports:scan_download") else self.report.pk,
            "commune_code": self.commune_a.pk,
            "code": self.commune_a.pk,
            "comment_id": self.comment.pk,
            "period_id": self.period.pk,
            "revision": 0,
            "figure": next(iter(FIGURE_LABELS)),
            "export_id": self.export.pk,
            "job_id": self.job.pk,
            "scan_id": self.scan.pk,
        }
        return {name: values[name] for name in re.findall(r"<(?:\w+:)?(\w+)>", route)}

    def client_for(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(getattr(self, role))
        return client

    def status(self, client: Client, method: str, url: str) -> int:
        cookies = SimpleCookie({key: morsel.value for key, morsel in client.cookies.items()})
        anonymous = client.session.is_empty()
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, {})
            transaction.set_rollback(True)
        # A logout (or a login) changes the cookies; the next request must meet the same user.
        client.cookies = cookies
        if response.status_code == 302 and anonymous and not url.startswith("/accounts/log"):
            self.assertTrue(response["Location"].startswith(("/accounts/login/", "/admin/login/")), url)
        return response.status_code

    def app_patterns(self) -> list[tuple[str, str]]:
        return [(route, name) for route, name in url_patterns() if not name.startswith("admin:")]

    def test_every_url_has_an_expectation(self) -> None:
        missing = sorted(name for _, name in self.app_patterns() if name not in EXPECTED)
        self.assertEqual(missing, [], "Add these URL names to EXPECTED in tests/test_security_matrix.py")
        stale = sorted(set(EXPECTED) - {name for _, name in self.app_patterns()})
        self.assertEqual(stale, [], "These entries of EXPECTED name no URL any more")

    def test_every_url_for_every_role_and_method(self) -> None:
        clients = {role: self.client_for(role) for role in ROLES}
        actual: dict[str, dict[str, str]] = {}
        for route, name in self.app_patterns():
            url = "/" + route
            for key, value in self.kwargs_for(route, name).items():
                url = re.sub(rf"<(?:\w+:)?{key}>", str(value), url)
            actual[name] = {
                method: " ".join(str(self.status(clients[role], method, url)) for role in ROLES)
                for method in ("GET", "POST")
            }
        mismatches = [
            f'    "{name}": {{"GET": "{row["GET"]}", "POST": "{row["POST"]}"}},'
            for name, row in actual.items()
            if EXPECTED.get(name) != row
        ]
        self.assertEqual(mismatches, [], "Actual rows differing from EXPECTED:\n" + "\n".join(mismatches))

    def test_no_url_leaks_commune_a_to_commune_b_or_the_other_province(self) -> None:
        # Whatever the table says, these two never read or change commune A's objects.
        for name, row in EXPECTED.items():
            for method, statuses in row.items():
                by_role = dict(zip(ROLES, statuses.split(), strict=True))
                for role in ("officer_b", "other_admin"):
                    with self.subTest(name=name, method=method, role=role):
                        if name in SCOPE_FREE:
                            continue
                        self.assertIn(by_role[role], {"403", "404", "405"})
                with self.subTest(name=name, method=method, role="anonymous"):
                    if name not in PUBLIC:
                        self.assertIn(by_role["anonymous"], {"302", "405"})

    def test_the_admin_site_is_closed_to_anonymous_and_non_staff_users(self) -> None:
        for route, name in url_patterns():
            if not name.startswith("admin:") or "<" in route or name in ("admin:login", "admin:logout"):
                continue
            for role in ("anonymous", "officer_a", "leader_a", "officer_b", "reviewer"):
                with self.subTest(url=route, role=role):
                    self.assertNotEqual(self.status(self.client_for(role), "GET", "/" + route), 200)


# Pages not tied to commune A's objects (own home, own lists, logout, password change).
SCOPE_FREE = {
    "home",
    "dossiers:example",
    "healthz",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "communes:list",
    "reports:national",
}
# Answer anonymous users without a login redirect.
PUBLIC = {"healthz", "login", "logout"}
