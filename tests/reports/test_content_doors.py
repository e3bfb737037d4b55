"""Every door into a report's content (form save, autosave, JSON import) refuses bad values alike.

One table of bad values; each goes through the entry form's save ("/reports/<id>/edit/"), the
autosave ("/reports/<id>/autosave/") and the import_report command, and each door must answer
with the same Vietnamese message (naming the field) and leave the database as it was.
"""

import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command

from reports.exchange import export_report_data
from reports.models import Report, ReportEvent
from reports.outline import iter_nodes
from reports.queries import entry as entry_queries
from tests.reports.entry_fixtures import EntryViewTestCase, form_data

SECTION = "danh-gia"  # "II. ĐÁNH GIÁ CHUNG" in the Hùng Thắng outline
SECTION_LABEL = "II. ĐÁNH GIÁ CHUNG"
ROW_SOURCE = "Bảng kết quả giải quyết TTHC, dòng 1: tên hệ thống"
ROW_ONLINE = "Bảng kết quả giải quyết TTHC, dòng 1: tiếp nhận trực tuyến"
PAKN = "Số phản ánh, kiến nghị đã tiếp nhận"
ALL_DOORS = ("form", "autosave", "import")


def _set(*path: str | int, value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        target = data
        for part in path[:-1]:
            target = target[part]  # type: ignore[index]
        target[path[-1]] = value  # type: ignore[index]

    return apply


# Replaced in the file's text by that many nested lists: json.dumps itself cannot write them.
NESTED = "@@nested:{depth}@@"


@dataclass(frozen=True)
class Bad:
    name: str
    post: dict[str, Any]  # overrides of the page's POST body
    edit: Callable[[dict[str, Any]], None]  # change to the exchange file
    message: str
    doors: tuple[str, ...] = ALL_DOORS
    why_not: dict[str, str] = field(default_factory=dict)


def _bad_values(outline_keys: list[str]) -> list[Bad]:
    big = "ă" * 45_000
    return [
        Bad(
            "NUL",
            {"signer_name": "Trần\x00"},
            _set("document", "signer_name", value="Trần\x00"),
            "Họ và tên người ký: có ký tự NUL (mã 0), không lưu được; vui lòng xóa ký tự này.",
        ),
        Bad(
            "U+0001",
            {f"narrative-{SECTION}.text": "Tốt\x01"},
            _set("narrative", SECTION, value={"text": "Tốt\x01", "after": ""}),
            f"{SECTION_LABEL}: có ký tự điều khiển không in được (U+0001), không lưu được; vui lòng xóa ký tự này.",
        ),
        Bad(
            "U+0085 (C1)",
            # Inside the text: at either end Python's strip() (and so the form) takes U+0085 for a space.
            {"results-0-source": "Hệ\x85thống"},
            _set("figures", "results", 0, "source", value="Hệ\x85thống"),
            f"{ROW_SOURCE}: có ký tự điều khiển không in được (U+0085), không lưu được; vui lòng xóa ký tự này.",
        ),
        Bad(
            "lone surrogate",
            {},
            _set("narrative", SECTION, value={"text": "Tốt\ud800", "after": ""}),
            f"{SECTION_LABEL}: có ký tự không hợp lệ (U+D800, nửa cặp UTF-16), không lưu được; vui lòng xóa ký tự này.",
            doors=("import",),
            why_not={
                "form": "a form body is UTF-8, which cannot carry a lone surrogate: Django decodes it to U+FFFD "
                "(test_view_report_autosave.test_a_lone_surrogate_in_the_body_does_not_fail)"
            },
        ),
        Bad(
            "unknown narrative key",
            {"narrative-khong-co.text": "Thêm"},
            _set("narrative", "khong-co", value={"text": "Thêm", "after": ""}),
            "Nội dung theo mục: mục “khong-co” không có trong đề cương của chế độ báo cáo.",
        ),
        Bad(
            "unknown figure key",
            {"values-khong_co": "5"},
            _set("figures", "values", "khong_co", value=5),
            "Số liệu: chỉ tiêu “khong_co” không có trong danh mục số liệu.",
        ),
        Bad(
            "over-long text",
            {f"narrative-{SECTION}.text": "a" * 50_001},
            _set("narrative", SECTION, value={"text": "a" * 50_001, "after": ""}),
            f"{SECTION_LABEL}: dài quá 50.000 ký tự (hiện có 50.001 ký tự).",
        ),
        Bad(
            "oversize content",
            {f"narrative-{key}.text": big for key in outline_keys[:6]},
            lambda data: data["narrative"].update({key: {"text": big, "after": ""} for key in outline_keys[:6]}),
            "Báo cáo: nội dung quá lớn",
        ),
        Bad(
            "1e308",
            {"values-pakn_received": "1e308"},
            _set("figures", "values", "pakn_received", value=1e308),
            f"{PAKN}: số quá lớn (tối đa 1.000.000.000).",
        ),
        Bad(
            "NaN",
            {"values-pakn_received": "NaN"},
            _set("figures", "values", "pakn_received", value=float("nan")),
            f"{PAKN}: không phải là số nguyên.",
        ),
        Bad(
            "309-digit integer",
            {"results-0-online": "1" + "0" * 308},
            _set("figures", "results", 0, "online", value=10**308),
            f"{ROW_ONLINE}: số quá lớn (tối đa 1.000.000.000).",
        ),
        Bad(
            "negative count",
            {"results-0-online": "-5"},
            _set("figures", "results", 0, "online", value=-5),
            f"{ROW_ONLINE}: không được âm.",
        ),
        # 40 levels passes the JSON parser and is refused by the import; 100,000 stops the parser.
        *[
            Bad(
                f"deeply nested JSON ({depth} levels)",
                {},
                _set("narrative", SECTION, value={"text": NESTED.format(depth=depth), "after": ""}),
                "Dữ liệu lồng nhau quá sâu.",
                doors=("import",),
                why_not={"form": "a form body is flat name=value pairs, it has no nesting"},
            )
            for depth in (40, 100_000)
        ],
        Bad(
            "1 MB signer",
            {"signer_authority": "A" * 1_000_000},
            _set("document", "signer_authority", value="A" * 1_000_000),
            "Thẩm quyền ký: dài quá 500 ký tự (hiện có 1.000.000 ký tự).",
        ),
    ]


class ContentDoorTests(EntryViewTestCase):
    def outline_keys(self) -> list[str]:
        return [node.key for node in iter_nodes(entry_queries.outline_for_regime(self.regime.pk))]

    def snapshot(self) -> tuple[dict[str, Any], int]:
        row = Report.objects.filter(pk=self.report.pk).values().get()
        return row, ReportEvent.objects.count()

    def refusal_from_form(self, bad: Bad) -> str:
        response = self.client.post(
            f"/reports/{self.report.pk}/edit/", form_data(self.report, **bad.post), HTTP_ACCEPT_LANGUAGE="vi"
        )
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def refusal_from_autosave(self, bad: Bad) -> str:
        response = self.client.post(f"/reports/{self.report.pk}/autosave/", form_data(self.report, **bad.post))
        self.assertEqual(response.status_code, 400, response.content[:500])
        errors = response.json()["errors"]
        return "\n".join(f"{e['label']}: {e['message']}" if e["label"] else e["message"] for e in errors)

    def refusal_from_import(self, bad: Bad) -> str:
        data = export_report_data(self.report)
        bad.edit(data)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bad.json"
            # ensure_ascii writes a lone surrogate as the escape \ud800, as another program might.
            text = json.dumps(data, ensure_ascii=True)
            text = re.sub(r'"@@nested:(\d+)@@"', lambda m: "[" * int(m[1]) + '"x"' + "]" * int(m[1]), text)
            path.write_text(text, encoding="utf-8")
            err = StringIO()
            with self.assertRaises(CommandError):
                call_command("import_report", str(path), "--replace", stderr=err)
        lines = err.getvalue().splitlines()
        self.assertTrue(lines)
        for line in lines:
            self.assertRegex(line, rf"^{path}: \$[^ ]*: ")
        return "\n".join(line.split(": ", 2)[2] for line in lines)

    def test_every_door_gives_the_same_refusal_and_changes_nothing(self) -> None:
        self.login(self.officer_a)
        outline_keys = self.outline_keys()
        doors = {
            "form": self.refusal_from_form,
            "autosave": self.refusal_from_autosave,
            "import": self.refusal_from_import,
        }
        for bad in _bad_values(outline_keys):
            for door in bad.doors:
                with self.subTest(bad=bad.name, door=door):
                    before = self.snapshot()
                    refusal = doors[door](bad)
                    self.assertIn(bad.message, refusal)
                    self.assertEqual(self.snapshot(), before)

    def test_the_oversize_refusal_is_word_for_word_the_same(self) -> None:
        self.login(self.officer_a)
        bad = next(bad for bad in _bad_values(self.outline_keys()) if bad.name == "oversize content")
        autosave, imported = self.refusal_from_autosave(bad), self.refusal_from_import(bad)
        self.assertEqual(autosave, imported)
        self.assertIn(autosave, self.refusal_from_form(bad))
