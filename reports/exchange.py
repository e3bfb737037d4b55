"""JSON exchange of reports (format "bao-cao-cchc", described in docs/report-format.md).

Export writes everything a report holds, with its regime and outline, so the file imports into a
freshly migrated database. Import checks the schema, then the business and hard rules, and
writes nothing unless the whole file passes.
"""

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from jsonschema import Draft202012Validator
from jsonschema import ValidationError as SchemaError

from communes.models import Commune, Province
from reports import figures as fig
from reports.diff import diff_content
from reports.models import (
    EDITABLE_STATUSES,
    EventKind,
    OutlineSection,
    Report,
    ReportingRegime,
    ReportStatus,
    Target,
)
from reports.periods import MAX_YEAR, MIN_YEAR, Frequency, PeriodKey
from reports.rendering.formatting import round_percent
from reports.services import (
    clean_explanations,
    clean_narrative,
    get_or_create_period,
    nfc,
    record_event,
    report_content,
)

FORMAT = "bao-cao-cchc"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "report.schema.json"

CHANGED_MEANWHILE = "Dữ liệu vừa được người khác thay đổi trong lúc nhập, chưa nhập gì; hãy chạy lại lệnh."
# Accepted and issued reports are the record the city relies on; they change only by amendment.
# Only content the commune may still change is imported or replaced; sending, acceptance and issuing
# happen in the app, where the snapshots, the number register and the history are kept.
IMMUTABLE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.ISSUED)

FREQUENCY_WORDS = {
    Frequency.MONTHLY: ("hằng tháng", "2026-05"),
    Frequency.QUARTERLY: ("hằng quý", "2026-Q1"),
    Frequency.HALF_YEAR: ("6 tháng", "2026-H1"),
    Frequency.NINE_MONTHS: ("9 tháng", "2026-9M"),
    Frequency.YEARLY: ("hằng năm", "2026"),
}
ANY_SLUG_HINT = "2026-05 (tháng), 2026-Q1 (quý), 2026-H1 (6 tháng), 2026-9M (9 tháng) hoặc 2026 (năm)"

REGIME_FIELDS = (
    "directive",
    "frequency",
    "cutoff_day",
    "deadline_working_days",
    "subject_template",
    "opening_template",
    "closing_template",
    "include_appendix",
)
SECTION_FIELDS = ("number_style", "title", "kind", "run_in", "template", "default_text")
SECTION_DEFAULTS: dict[str, Any] = {"run_in": False, "template": "", "default_text": ""}
DOCUMENT_TEXT_FIELDS = ("signer_authority", "signer_position", "signer_name")


# --- Problems and JSON paths ------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported: where (a JSON path such as `$.figures.values.x`) and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ImportProblems(Exception):  # noqa: N818 - the name the commands and views catch
    """Every problem found in one file; raised before anything is written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class ReportLookupError(LookupError):
    """No report, or more than one, matches what export_report was asked for (message in Vietnamese)."""


# A JSON path as its keys and indices, e.g. ("figures", "results", 0, "online").
PathParts = tuple[str | int, ...]

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def json_path(*parts: str | int) -> str:
    """`$.figures.results[0].online`; keys that are not plain names in brackets: `$.narrative['ket-qua']`."""
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            path += f".{part}"
        else:
            path += "['" + part.replace("\\", "\\\\").replace("'", "\\'") + "']"
    return path


def _path_sort_key(parts: PathParts) -> tuple[tuple[int, int | str], ...]:
    # Indices sort as numbers (results[2] before results[10]); ints and strings are never compared.
    return tuple((0, part) if isinstance(part, int) else (1, part) for part in parts)


# --- Reading files ----------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def parse_report_json(raw: bytes | str) -> dict[str, Any]:
    """The JSON document in `raw`; ImportProblems with a Vietnamese message when it is not JSON."""
    if isinstance(raw, bytes):
        try:
            # utf-8-sig: files saved by Windows Notepad start with a byte-order mark.
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportProblems([Problem("$", "Tệp không phải văn bản UTF-8, không đọc được.")]) from None
    try:
        data: dict[str, Any] = json.loads(raw, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ImportProblems(
            [Problem("$", f"Tệp không phải JSON hợp lệ: lỗi cú pháp ở dòng {error.lineno}, cột {error.colno}.")]
        ) from None
    except ValueError as error:
        raise ImportProblems([Problem("$", f"Tệp chứa giá trị {error} không hợp lệ trong JSON.")]) from None
    return data


def read_report_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportProblems([Problem("$", "Không tìm thấy tệp.")]) from None
    except OSError:
        raise ImportProblems([Problem("$", "Không đọc được tệp (không có quyền đọc hoặc là thư mục).")]) from None
    return parse_report_json(raw)


def dump_report_json(data: Mapping[str, Any]) -> str:
    """The file text: UTF-8 letters kept readable, two-space indent, as the seed files are written."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- Export -----------------------------------------------------------------------------------


def _json_number(number: Decimal | float | int) -> int | float:
    # 100 stays 100 rather than 100.0, so a file round-trips as it was written.
    if isinstance(number, int):
        return number
    return int(number) if number == int(number) else float(number)


def _export_figures(stored: Mapping[str, Any]) -> dict[str, Any]:
    figures = fig.normalise_figures(stored)
    figures["values"] = {key: _json_number(value) for key, value in figures["values"].items()}
    return figures


def _outline_keys(outline: Sequence[Mapping[str, Any]]) -> list[str]:
    keys: list[str] = []
    for section in outline:
        keys.append(section["key"])
        keys += _outline_keys(section["children"])
    return keys


def _export_narrative(stored: Mapping[str, Any], outline: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    # Outline order, not the stored order: PostgreSQL's jsonb does not keep key order, and the
    # same report must export to the same file on every database.
    position = {key: index for index, key in enumerate(_outline_keys(outline))}
    narrative = {}
    for key, entry in sorted(stored.items(), key=lambda item: (position.get(item[0], len(position)), item[0])):
        if isinstance(entry, Mapping):
            narrative[key] = {"text": str(entry.get("text") or ""), "after": str(entry.get("after") or "")}
        else:
            narrative[key] = {"text": str(entry or ""), "after": ""}
    return narrative


def _export_outline(sections: Sequence[OutlineSection]) -> list[dict[str, Any]]:
    by_parent: dict[int | None, list[OutlineSection]] = {}
    for section in sections:
        by_parent.setdefault(section.parent_id, []).append(section)

    def build(parent_id: int | None) -> list[dict[str, Any]]:
        siblings = sorted(by_parent.get(parent_id, ()), key=lambda s: (s.position, s.pk))
        return [
            {
                "key": section.key,
                **{name: getattr(section, name) for name in SECTION_FIELDS},
                "children": build(section.pk),
            }
            for section in siblings
        ]

    return build(None)


def export_report_data(report: Report) -> dict[str, Any]:
    """The report as an exchange document; three queries whatever the size of the outline."""
    report = Report.objects.select_related("commune", "period__regime").get(pk=report.pk)
    regime = report.period.regime
    targets = list(regime.targets.order_by("id"))
    sections = list(regime.sections.all())
    outline = _export_outline(sections)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "commune": {"code": report.commune.code, "name": report.commune.name},
        "regime": {
            "province": regime.province_id,
            "name": regime.name,
            **{name: getattr(regime, name) for name in REGIME_FIELDS},
            "targets": {target.indicator: _json_number(target.minimum) for target in targets},
            "outline": outline,
        },
        "period": report.period.slug,
        "status": report.status,
        "document": {
            **{name: getattr(report, name) for name in DOCUMENT_TEXT_FIELDS},
            # Blank lines carry nothing and the format allows none.
            "recipients": [line for line in report.recipients.splitlines() if line.strip()],
            "number": report.number,
            "issued_on": report.issued_on.isoformat() if report.issued_on else None,
        },
        "figures": _export_figures(report.figures),
        "narrative": _export_narrative(report.narrative, outline),
        "explanations": dict(sorted(report.explanations.items())),
        "prefilled": list(report.prefilled),
    }


def find_report(*, commune_code: int, period: str, regime_name: str | None = None) -> Report:
    """The commune's report for the period slug; `regime_name` picks one when several regimes have one."""
    commune = Commune.objects.filter(pk=commune_code).first()
    if commune is None:
        raise ReportLookupError(
            f"Không có xã, phường mã {commune_code}. Hãy nạp danh mục bằng lệnh: python manage.py load_communes."
        )
    try:
        key = PeriodKey.parse(period, None)
    except ValueError:
        raise ReportLookupError(f"Kỳ báo cáo “{period}” không hợp lệ: viết theo dạng {ANY_SLUG_HINT}.") from None
    reports = Report.objects.select_related("commune", "period__regime").filter(
        commune=commune, period__year=key.year, period__number=key.number, period__regime__frequency=key.frequency
    )
    if regime_name:
        reports = reports.filter(period__regime__name=regime_name)
    found = list(reports.order_by("period__regime__name"))
    if not found:
        under = f" theo chế độ báo cáo “{regime_name}”" if regime_name else ""
        raise ReportLookupError(f"{commune.name} chưa có báo cáo {key.label()}{under}.")
    if len(found) > 1:
        names = ", ".join(f"“{report.period.regime.name}”" for report in found)
        raise ReportLookupError(
            f"{commune.name} có {len(found)} báo cáo {key.label()} theo các chế độ báo cáo {names}. "
            'Chọn một bằng --regime "tên chế độ báo cáo".'
        )
    return found[0]


# --- Schema -----------------------------------------------------------------------------------


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


_TYPE_WORDS = {
    "integer": "số nguyên",
    "number": "số",
    "string": "chuỗi ký tự",
    "object": "đối tượng JSON {…}",
    "array": "danh sách JSON […]",
    "boolean": "true hoặc false",
    "null": "null",
}
_PATTERN_HINTS = {
    "^[-a-zA-Z0-9_]+$": "chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang và gạch dưới, ví dụ “ket-qua”",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "ngày viết theo dạng năm-tháng-ngày, ví dụ 2026-01-23",
    "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$": "ngày viết theo dạng năm-tháng-ngày, ví dụ 2026-01-23, hoặc để trống",
    "^[^\\r\\n]*$": "mỗi nơi nhận là một dòng, không xuống dòng",
}


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _schema_problems_for(error: SchemaError) -> list[tuple[PathParts, str]]:
    """(path parts, message) pairs: one schema error may name several fields (all missing ones)."""
    parts: list[str | int] = list(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    if "propertyNames" in error.absolute_schema_path:
        # The offending thing is the key itself, which jsonschema does not put in the path.
        return [((*parts, str(value)), f"Tên mục “{value}” không hợp lệ.")]
    if kind == "required":
        return [((*parts, name), "Thiếu trường bắt buộc.") for name in expected if name not in value]
    if kind == "additionalProperties":
        known = error.schema.get("properties", {})
        return [
            ((*parts, name), f"Trường “{name}” không có trong định dạng tệp.") for name in value if name not in known
        ]
    here = tuple(parts)
    if kind == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " hoặc ".join(_TYPE_WORDS.get(name, name) for name in names)
        return [(here, f"Phải là {wanted}, không phải {_shown(value)}.")]
    if kind == "minimum":
        if expected == 0:
            return [(here, f"Không được âm ({_shown(value)}).")]
        return [(here, f"Phải từ {expected} trở lên ({_shown(value)}).")]
    if kind == "maximum":
        return [(here, f"Không được lớn hơn {expected} ({_shown(value)}).")]
    if kind == "enum":
        allowed = ", ".join(str(option) for option in expected)
        return [(here, f"Giá trị {_shown(value)} không hợp lệ; chỉ nhận một trong: {allowed}.")]
    if kind == "const":
        return [(here, f"Phải là {_shown(expected)}, không phải {_shown(value)}.")]
    if kind == "pattern":
        hint = _PATTERN_HINTS.get(expected, f"khớp mẫu {expected}")
        return [(here, f"Giá trị {_shown(value)} không đúng dạng: {hint}.")]
    if kind == "minLength":
        if expected == 1:
            return [(here, "Không được để trống.")]
        return [(here, f"Phải có ít nhất {expected} ký tự.")]
    if kind == "maxLength":
        return [(here, f"Dài quá {expected} ký tự (hiện có {len(value)} ký tự).")]
    if kind == "minItems":
        return [(here, f"Phải có ít nhất {expected} mục.")]
    if kind == "uniqueItems":
        return [(here, "Các phần tử không được trùng nhau.")]
    return [(here, f"Không đúng định dạng tệp (quy tắc “{kind}”).")]


def schema_problems(data: Any) -> list[Problem]:
    """Every schema violation of the document, each with its JSON path, sorted by path."""
    found = {pair for error in _validator().iter_errors(data) for pair in _schema_problems_for(error)}
    return [Problem(json_path(*parts), message) for parts, message in sorted(found, key=_problem_sort_key)]


def _problem_sort_key(pair: tuple[PathParts, str]) -> tuple[tuple[tuple[int, int | str], ...], str]:
    return _path_sort_key(pair[0]), pair[1]


# --- Import: checks ---------------------------------------------------------------------------


def _same_name(first: str, second: str) -> bool:
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def _walk_outline(
    nodes: Sequence[Mapping[str, Any]], parts: PathParts = ("regime", "outline")
) -> Iterator[tuple[PathParts, Mapping[str, Any]]]:
    for index, node in enumerate(nodes):
        here = (*parts, index)
        yield here, node
        yield from _walk_outline(node.get("children", ()), (*here, "children"))


def _is_real_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _finding_path(finding: fig.Finding) -> str:
    """The JSON path of the figure a finding is about, as precise as the finding allows."""
    if finding.code.startswith("unknown:values."):
        return json_path("figures", "values", finding.code.removeprefix("unknown:values."))
    if not finding.paths:
        return json_path("figures")
    split = [[int(part) if part.isdigit() else part for part in path.split(".")] for path in finding.paths]
    common: list[str | int] = []
    for segments in zip(*split, strict=False):
        if any(segment != segments[0] for segment in segments):
            break
        common.append(segments[0])
    # All the columns of one results row point at the row; a rule across values names its first figure.
    chosen = common if len(common) >= 2 else split[0]
    return json_path("figures", *chosen)


def _finding_problem(finding: fig.Finding) -> Problem:
    message = finding.message
    if finding.explainable:
        message += f" Nếu giữ nguyên số liệu này, ghi giải trình tại {json_path('explanations', finding.code)}."
    return Problem(_finding_path(finding), message)


@dataclass
class _Checked:
    """What the checks found in the database, for the writes that follow."""

    commune: Commune | None = None
    regime: ReportingRegime | None = None
    key: PeriodKey | None = None
    existing: Report | None = None


def _check_places(data: Mapping[str, Any], checked: _Checked, problems: list[Problem]) -> None:
    code, name = data["commune"]["code"], data["commune"]["name"]
    province_code = data["regime"]["province"]
    commune = Commune.objects.select_related("province").filter(pk=code).first()
    if commune is None:
        problems.append(
            Problem(
                json_path("commune", "code"),
                f"Không có xã, phường mã {code} ({name}) trong cơ sở dữ liệu. Hãy nạp danh mục bằng lệnh: "
                f"python manage.py load_communes --province {province_code}.",
            )
        )
    elif not _same_name(commune.name, name):
        problems.append(
            Problem(
                json_path("commune", "name"),
                f"Mã {code} là “{commune.name}” trong cơ sở dữ liệu, không phải “{name}”. Kiểm tra lại mã xã.",
            )
        )
    checked.commune = commune
    if not Province.objects.filter(pk=province_code).exists():
        problems.append(
            Problem(
                json_path("regime", "province"),
                f"Không có tỉnh, thành phố mã {province_code} trong cơ sở dữ liệu. Hãy nạp danh mục bằng lệnh: "
                f"python manage.py load_communes --province {province_code}.",
            )
        )
    elif commune is not None and commune.province_id != province_code:
        problems.append(
            Problem(
                json_path("regime", "province"),
                f"{commune.name} thuộc {commune.province.name} (mã {commune.province_id}), không thuộc tỉnh, "
                f"thành phố mã {province_code} của chế độ báo cáo “{data['regime']['name']}”.",
            )
        )


def _check_regime(data: Mapping[str, Any], checked: _Checked, problems: list[Problem]) -> set[str]:
    """The section keys narrative may use; refuses a file whose outline differs from the stored regime's."""
    regime_data = data["regime"]
    file_keys: dict[str, PathParts] = {}
    for parts, node in _walk_outline(regime_data["outline"]):
        key = node["key"]
        if key in file_keys:
            problems.append(
                Problem(
                    json_path(*parts, "key"),
                    f"Mã mục “{key}” bị trùng (đã dùng ở {json_path(*file_keys[key], 'key')}).",
                )
            )
        else:
            file_keys[key] = parts
    regime = (
        ReportingRegime.objects.filter(province_id=regime_data["province"], name=regime_data["name"])
        .prefetch_related("sections")
        .first()
    )
    checked.regime = regime
    if regime is None:
        problems.extend(
            Problem(
                json_path("regime", "targets", indicator),
                f"Chỉ tiêu “{indicator}” không phải là tỷ lệ trong danh mục ({', '.join(fig.RATE_KEYS)}).",
            )
            for indicator in regime_data["targets"]
            if indicator not in fig.RATE_KEYS
        )
        return set(file_keys)
    commune = checked.commune
    if commune is not None and not regime.applies_to_all and not regime.communes.filter(pk=commune.pk).exists():
        problems.append(
            Problem(
                json_path("regime", "name"),
                f"Chế độ báo cáo “{regime.name}” không áp dụng cho {commune.name}.",
            )
        )
    stored_keys = {section.key for section in regime.sections.all()}
    missing = sorted(stored_keys - set(file_keys))
    extra = sorted(set(file_keys) - stored_keys)
    if missing or extra:
        details = []
        if extra:
            details.append(f"tệp có các mục không có trong chế độ báo cáo: {', '.join(extra)}")
        if missing:
            details.append(f"tệp thiếu các mục: {', '.join(missing)}")
        problems.append(
            Problem(
                json_path("regime", "outline"),
                f"Chế độ báo cáo “{regime.name}” đã có trong cơ sở dữ liệu với đề cương khác ({'; '.join(details)}). "
                "Chế độ báo cáo đang dùng không được tự động sửa: hãy đổi tên chế độ báo cáo trong tệp để tạo "
                "chế độ mới, hoặc sửa đề cương trong trang quản trị.",
            )
        )
    return stored_keys


def _check_period(data: Mapping[str, Any], checked: _Checked, problems: list[Problem]) -> None:
    frequency = Frequency(checked.regime.frequency if checked.regime else data["regime"]["frequency"])
    try:
        checked.key = PeriodKey.parse(data["period"], frequency)
    except ValueError:
        words, example = FREQUENCY_WORDS[frequency]
        problems.append(
            Problem(
                json_path("period"),
                f"Kỳ báo cáo “{data['period']}” không hợp lệ với chế độ báo cáo {words}: viết theo dạng {example}, "
                f"năm từ {MIN_YEAR} đến {MAX_YEAR}.",
            )
        )


def _check_content(data: Mapping[str, Any], section_keys: set[str], problems: list[Problem]) -> None:
    regime_name = data["regime"]["name"]
    problems.extend(
        Problem(json_path("narrative", key), f"Mục “{key}” không có trong đề cương của chế độ báo cáo “{regime_name}”.")
        for key in data["narrative"]
        if key not in section_keys
    )
    for index, directive in enumerate(data["figures"]["directives"]):
        if directive["issued_on"] and not _is_real_date(directive["issued_on"]):
            problems.append(
                Problem(
                    json_path("figures", "directives", index, "issued_on"),
                    f"Ngày “{directive['issued_on']}” không có thật.",
                )
            )
    document, status = data["document"], data["status"]
    if status not in EDITABLE_STATUSES:
        problems.append(
            Problem(
                json_path("status"),
                f"Chỉ nhập được báo cáo ở trạng thái “{ReportStatus.DRAFT.label}” hoặc “{ReportStatus.RETURNED.label}”; "
                "việc gửi, tiếp nhận và ban hành báo cáo được thực hiện trên hệ thống.",
            )
        )
    if document["issued_on"] is not None and not _is_real_date(document["issued_on"]):
        problems.append(Problem(json_path("document", "issued_on"), f"Ngày “{document['issued_on']}” không có thật."))
    # Nghị định 30/2020 Điều 15: the văn thư gives the number and date when the report is issued.
    if status == ReportStatus.ISSUED:
        if document["number"] is None:
            problems.append(Problem(json_path("document", "number"), "Báo cáo đã ban hành phải có số văn bản."))
        if document["issued_on"] is None:
            problems.append(Problem(json_path("document", "issued_on"), "Báo cáo đã ban hành phải có ngày ban hành."))
    else:
        label = ReportStatus(status).label
        if document["number"] is not None:
            problems.append(
                Problem(
                    json_path("document", "number"),
                    f"Chỉ báo cáo đã ban hành mới có số văn bản; báo cáo ở trạng thái “{label}” phải để null.",
                )
            )
        if document["issued_on"] is not None:
            problems.append(
                Problem(
                    json_path("document", "issued_on"),
                    f"Chỉ báo cáo đã ban hành mới có ngày ban hành; báo cáo ở trạng thái “{label}” phải để null.",
                )
            )


def _target_minimum(number: float) -> Decimal:
    # Target.minimum has two decimal places, like every rate.
    return round_percent(Decimal(str(number)))


def _check_figures(data: Mapping[str, Any], checked: _Checked, problems: list[Problem]) -> None:
    if checked.regime is None:
        targets = {
            key: _target_minimum(minimum) for key, minimum in data["regime"]["targets"].items() if key in fig.RATE_KEYS
        }
    else:
        targets = {target.indicator: target.minimum for target in checked.regime.targets.all()}
    findings = fig.check_figures(data["figures"], targets=targets)
    # Imported reports are drafts: soft rules ask for explanations only when the report is submitted.
    blocking = [
        finding
        for finding in fig.unresolved_findings(findings, data["explanations"])
        if finding.severity == fig.Severity.ERROR
    ]
    problems.extend(_finding_problem(finding) for finding in blocking)


def _check_existing(data: Mapping[str, Any], checked: _Checked, replace: bool, problems: list[Problem]) -> None:
    if checked.regime is None or checked.commune is None or checked.key is None:
        return
    key = checked.key
    existing = (
        Report.objects.filter(
            commune=checked.commune, period__regime=checked.regime, period__year=key.year, period__number=key.number
        )
        .select_related("period__regime")
        .first()
    )
    checked.existing = existing
    if existing is None:
        return
    what = f"{checked.commune.name} đã có báo cáo {key.label()}"
    status = ReportStatus(existing.status)
    if status in IMMUTABLE_STATUSES:
        problems.append(
            Problem(
                json_path("period"),
                f"{what} ở trạng thái “{status.label}”: báo cáo này không được thay thế. "
                "Báo cáo đã gửi chỉ sửa được khi bị trả lại; báo cáo đã tiếp nhận hoặc ban hành phải lập đính chính.",
            )
        )
    elif not replace:
        problems.append(
            Problem(
                json_path("period"),
                f"{what} (trạng thái “{status.label}”). Dùng tùy chọn --replace để thay thế báo cáo đó bằng tệp này.",
            )
        )


# --- Import: writes ---------------------------------------------------------------------------


def _create_regime(regime_data: Mapping[str, Any]) -> ReportingRegime:
    regime = ReportingRegime.objects.create(
        province_id=regime_data["province"],
        name=regime_data["name"],
        **{name: regime_data[name] for name in REGIME_FIELDS},
    )
    Target.objects.bulk_create(
        Target(regime=regime, indicator=indicator, minimum=_target_minimum(minimum))
        for indicator, minimum in regime_data["targets"].items()
    )
    # One insert per outline level: children need their parent's primary key.
    level: list[tuple[OutlineSection | None, Sequence[Mapping[str, Any]]]] = [(None, regime_data["outline"])]
    while level:
        created: list[tuple[OutlineSection, Sequence[Mapping[str, Any]]]] = []
        for parent, nodes in level:
            for position, node in enumerate(nodes, start=1):
                section = OutlineSection(
                    regime=regime,
                    parent=parent,
                    position=position,
                    key=node["key"],
                    **{name: node.get(name, SECTION_DEFAULTS.get(name)) for name in SECTION_FIELDS},
                )
                created.append((section, node.get("children", ())))
        OutlineSection.objects.bulk_create([section for section, _ in created])
        level = [(section, children) for section, children in created if children]
    return regime


@transaction.atomic
def ensure_regime(data: Mapping[str, Any]) -> tuple[ReportingRegime, bool]:
    """The regime an exchange file describes, created with its targets and outline when missing.

    An existing regime of the same province and name is left untouched (as imports do).
    """
    problems = schema_problems(data)
    if problems:
        raise ImportProblems(problems)
    regime_data = data["regime"]
    if not Province.objects.filter(pk=regime_data["province"]).exists():
        raise ImportProblems(
            [
                Problem(
                    json_path("regime", "province"),
                    f"Không có tỉnh, thành phố mã {regime_data['province']} trong cơ sở dữ liệu. Hãy nạp danh mục "
                    f"bằng lệnh: python manage.py load_communes --province {regime_data['province']}.",
                )
            ]
        )
    existing = ReportingRegime.objects.filter(province_id=regime_data["province"], name=regime_data["name"]).first()
    if existing is not None:
        return existing, False
    return _create_regime(regime_data), True


def _report_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    document = data["document"]
    return {
        "status": data["status"],
        "figures": fig.normalise_figures(data["figures"]),
        # The same cleaning as a save from the screen, so an imported draft is stored alike.
        "narrative": clean_narrative(data["narrative"]),
        "explanations": clean_explanations(data["explanations"]),
        "prefilled": list(data["prefilled"]),
        **{name: document[name] for name in DOCUMENT_TEXT_FIELDS},
        "recipients": "\n".join(document["recipients"]),
        "number": document["number"],
        "issued_on": date.fromisoformat(document["issued_on"]) if document["issued_on"] else None,
    }


def _content(report: Report) -> dict[str, Any]:
    """Everything an import may change, in the shape the save history compares."""
    return {
        **report_content(report),
        "status": report.status,
        "prefilled": report.prefilled,
        "number": report.number,
        "issued_on": report.issued_on.isoformat() if report.issued_on else None,
    }


def _note(source: str, replaced: bool) -> str:
    action = "Thay thế nội dung bằng tệp" if replaced else "Nhập từ tệp"
    return f"{action} {source}" if source else action


@transaction.atomic
def import_report_data(
    data: dict[str, Any], *, replace: bool = False, by: User | None = None, source: str = ""
) -> Report:
    """Create (or, with `replace`, overwrite) the report a document describes, with its regime if new.

    Raises ImportProblems listing every problem, and then nothing has been written.
    """
    # Vietnamese arrives composed or decomposed depending on the keyboard (house style 7.8); the
    # same name in two forms would otherwise make two regimes or miss a commune.
    data = nfc(data)
    problems = schema_problems(data)
    if problems:
        # The business rules below rely on the shape the schema guarantees.
        raise ImportProblems(problems)
    checked = _Checked()
    _check_places(data, checked, problems)
    section_keys = _check_regime(data, checked, problems)
    _check_period(data, checked, problems)
    _check_content(data, section_keys, problems)
    _check_figures(data, checked, problems)
    _check_existing(data, checked, replace, problems)
    commune, key = checked.commune, checked.key
    # A missing commune or period always comes with its problem; the None test is for the type checker.
    if problems or commune is None or key is None:
        raise ImportProblems(problems)

    fields = _report_fields(data)
    existing = checked.existing
    if existing is None:
        try:
            regime = checked.regime or _create_regime(data["regime"])
            period = get_or_create_period(regime, key)
            report = Report.objects.create(commune=commune, period=period, created_by=by, updated_by=by, **fields)
        except IntegrityError:
            # Someone created the same regime or report between our checks and our inserts.
            raise ImportProblems([Problem("$", CHANGED_MEANWHILE)]) from None
        record_event(report, kind=EventKind.IMPORTED, by=by, note=_note(source, replaced=False))
        return report
    before = _content(existing)
    # Claim the row only if it is still replaceable, in case it was accepted meanwhile; the new
    # version makes an editor who opened the old content get a conflict instead of overwriting.
    claimed = (
        Report.objects.filter(pk=existing.pk)
        .exclude(status__in=IMMUTABLE_STATUSES)
        .update(**fields, version=F("version") + 1, updated_by=by, updated_at=timezone.now())
    )
    if claimed != 1:
        raise ImportProblems([Problem(json_path("period"), CHANGED_MEANWHILE)])
    existing.refresh_from_db()
    changes = [change.as_dict() for change in diff_content(before, _content(existing))]
    record_event(existing, kind=EventKind.IMPORTED, by=by, changes=changes, note=_note(source, replaced=True))
    return existing
