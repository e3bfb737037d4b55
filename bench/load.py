"""Locust scenario (headless): 114 commune officers editing their reports and 5 reviewers browsing.

Run through bench/load_run.py, which seeds a throw-away PostgreSQL database, starts gunicorn with
deploy/gunicorn.conf.py and runs `locust -f bench/load.py --headless`. Users and their report ids
come from the CSV file named by LOAD_USERS (username,password,role,report_id,period_id).

Officers: log in once, open their report's edit page, then keep typing: a live check every 2–5 s,
an autosave every 10–20 s (the form as the page would send it, one narrative box changed), and once
each the preview and the PDF download. Reviewers: log in once, then browse the period grid, the
city totals, the city home and reports (detail, history, preview), 2–6 s apart.
"""

import csv
import os
import random
import re
import time
from html.parser import HTMLParser
from itertools import count
from typing import Any

from locust import HttpUser, between, events, task

# Think times and typed letters, not secrets.
random = random.Random(13)  # noqa: S311

USERS_FILE = os.environ.get("LOAD_USERS", "bench/out/load_users.csv")
# The run's length: each officer's preview and PDF fall somewhere in it (after the first 30 s).
RUN_SECONDS = float(os.environ.get("LOAD_SECONDS", "300"))
# When this file was loaded: the run starts within a second of it.
STARTED = time.monotonic()


def _rows(role: str) -> list[dict[str, str]]:
    with open(USERS_FILE, encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["role"] == role]


OFFICERS = _rows("officer")
REVIEWERS = _rows("reviewer")
_next_officer, _next_reviewer = count(), count()


class FormFields(HTMLParser):
    """The fields a browser would submit from the report form (inputs, textareas, selected options)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("id") == "report-form":
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form = False


class LoggedIn(HttpUser):
    abstract = True
    row: dict[str, str]

    def log_in(self) -> None:
        page = self.client.get("/accounts/login/", name="/accounts/login/ (form)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if token is None:
            raise RuntimeError("no CSRF token on the login page")
        with self.client.post(
            "/accounts/login/",
            {"username": self.row["username"], "password": self.row["password"], "csrfmiddlewaretoken": token.group(1)},
            name="/accounts/login/ (post)",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login answered {answer.status_code}")

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")


class Officer(LoggedIn):
    weight = 114
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.row = OFFICERS[next(_next_officer) % len(OFFICERS)]
        self.report = self.row["report_id"]
        self.log_in()
        self.load_form()
        self.next_save = time.monotonic() + random.uniform(10, 20)
        self.preview_at = time.monotonic() + random.uniform(30, max(31, RUN_SECONDS - 30))
        self.pdf_at = time.monotonic() + random.uniform(30, max(31, RUN_SECONDS - 30))

    def load_form(self) -> None:
        page = self.client.get(f"/reports/{self.report}/edit/", name="/reports/<id>/edit/")
        parser = FormFields()
        parser.feed(page.text)
        self.fields = parser.fields
        self.narrative = next((i for i, (name, _) in enumerate(self.fields) if name.startswith("narrative")), None)

    def typed(self) -> list[tuple[str, str]]:
        fields = list(self.fields)
        if self.narrative is not None:
            name, value = fields[self.narrative]
            fields[self.narrative] = (name, value + random.choice(" abcdeđêôơư"))
        return fields

    def post_form(self, path: str, name: str) -> Any:
        with self.client.post(
            path, self.typed(), headers={"X-CSRFToken": self.csrf()}, name=name, catch_response=True
        ) as answer:
            if answer.status_code == 0:
                # No answer at all: keep the connection error and when it happened in the run, to
                # tell a worker being recycled (mid-run) from a request cut by locust stopping.
                at = time.monotonic() - STARTED
                answer.failure(f"no answer after {at:.0f} s of the run: {answer.error!r}")
                return None
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}: {answer.text[:200]}")
                return None
            return answer.json()

    @task
    def work(self) -> None:
        now = time.monotonic()
        if now >= self.next_save:
            saved = self.post_form(f"/reports/{self.report}/autosave/", "/reports/<id>/autosave/")
            if saved is not None:
                self.fields = [(k, str(saved["version"]) if k == "version" else v) for k, v in self.typed()]
            self.next_save = now + random.uniform(10, 20)
        elif self.preview_at and now >= self.preview_at:
            self.client.get(f"/reports/{self.report}/preview/", name="/reports/<id>/preview/")
            self.preview_at = 0
        elif self.pdf_at and now >= self.pdf_at:
            self.client.get(f"/reports/{self.report}/download/pdf/", name="/reports/<id>/download/pdf/")
            self.pdf_at = 0
        else:
            self.post_form(f"/reports/{self.report}/check/", "/reports/<id>/check/")


class Reviewer(LoggedIn):
    weight = 5
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.row = REVIEWERS[next(_next_reviewer) % len(REVIEWERS)]
        self.period = self.row["period_id"]
        self.reports = [row["report_id"] for row in OFFICERS]
        self.log_in()

    @task(3)
    def grid(self) -> None:
        self.client.get(f"/reports/periods/{self.period}/", name="/reports/periods/<id>/")

    @task(2)
    def totals(self) -> None:
        self.client.get(f"/reports/periods/{self.period}/totals/", name="/reports/periods/<id>/totals/")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="/ (city home)")

    @task(4)
    def report(self) -> None:
        report = random.choice(self.reports)
        page = random.choice(["", "history/", "preview/"])
        self.client.get(f"/reports/{report}/{page}", name=f"/reports/<id>/{page}")


@events.test_stop.add_listener
def _summary(environment: Any, **kwargs: Any) -> None:
    stats = environment.stats.total
    print(f"requests={stats.num_requests} failures={stats.num_failures} rps={stats.total_rps:.1f}")
