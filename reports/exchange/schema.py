"""The exchange format's schema, its Vietnamese problem messages and reading files."""

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema import ValidationError as SchemaError

FORMAT = "bao-cao-cchc"
FORMAT_VERSION = 2
# Version 1 files (before dossiers by post and returned dossiers were counted apart) import
# unchanged: every version-1 file is a valid version-2 file without those counts.
READABLE_VERSIONS = (1, 2)
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "report.schema.json"


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


def parse_report_json(raw: bytes | str) -> dict[str, Any]:
    """The JSON document in `raw`; ImportProblems with a Vietnamese message when it is not JSON.

    NaN and Infinity are read as numbers, so that the import refuses them at their path with the
    message the entry form gives for the same value.
    """
    if isinstance(raw, bytes):
        try:
            # utf-8-sig: files saved by Windows Notepad start with a byte-order mark.
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportProblems([Problem("$", "Tệp không phải văn bản UTF-8, không đọc được.")]) from None
    try:
        # Not always an object: the import refuses anything else with its path.
        data: dict[str, Any] = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImportProblems(
            [Problem("$", f"Tệp không phải JSON hợp lệ: lỗi cú pháp ở dòng {error.lineno}, cột {error.colno}.")]
        ) from None
    except RecursionError:
        raise ImportProblems([Problem("$", "Dữ liệu lồng nhau quá sâu.")]) from None
    except ValueError as error:
        # An integer of more than 4,300 digits (Python's limit on converting text to int).
        raise ImportProblems([Problem("$", f"Tệp chứa giá trị không hợp lệ trong JSON ({error}).")]) from None
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
