"""Reading dossier files: CSV and XLSX into header and rows, the documented columns, the mapping
of a file's own headers onto them, and each cell's value (Vietnamese dates, yes/no, channels).

Pure (no database): dossiers/services.py stores what this returns. docs/dossier-format.md
documents the columns.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from dossiers.computation import LOCAL_ZONE
from dossiers.models import Authority, Channel
from reports.rendering.formatting import format_int


class Kind:
    TEXT = "text"
    MOMENT = "moment"
    DUE = "due"  # a date without time means the end of that day
    BOOL = "bool"
    CHANNEL = "channel"
    AUTHORITY = "authority"


@dataclass(frozen=True)
class Column:
    name: str  # the model field
    header: str  # the documented Vietnamese header
    required: bool
    kind: str
    max_length: int = 0


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã hồ sơ", True, Kind.TEXT, 100),
    Column("procedure_name", "Tên thủ tục", True, Kind.TEXT, 1000),
    Column("procedure_code", "Mã thủ tục", False, Kind.TEXT, 100),
    Column("field", "Lĩnh vực", False, Kind.TEXT, 300),
    Column("authority", "Thẩm quyền", False, Kind.AUTHORITY),
    Column("channel", "Hình thức nộp", True, Kind.CHANNEL),
    Column("received_at", "Ngày tiếp nhận", True, Kind.MOMENT),
    Column("due_at", "Ngày hẹn trả", False, Kind.DUE),
    Column("finished_at", "Ngày hoàn thành", False, Kind.MOMENT),
    Column("result_returned_at", "Ngày trả kết quả", False, Kind.MOMENT),
    Column("withdrawn_at", "Ngày trả lại, rút hồ sơ", False, Kind.MOMENT),
    Column("input_digitised", "Số hóa hồ sơ", False, Kind.BOOL),
    Column("result_electronic", "Kết quả điện tử", False, Kind.BOOL),
    Column("data_reused", "Tái sử dụng dữ liệu", False, Kind.BOOL),
    Column("fee_bearing", "Có phí, lệ phí", False, Kind.BOOL),
    Column("paid_online", "Thanh toán trực tuyến", False, Kind.BOOL),
)
COLUMN_BY_NAME = {column.name: column for column in COLUMNS}
MOMENT_KINDS = (Kind.MOMENT, Kind.DUE)
REQUIRED_NAMES = tuple(column.name for column in COLUMNS if column.required)
DATA_FIELDS = tuple(column.name for column in COLUMNS if column.name != "code")


class FileRefused(Exception):
    """The file cannot be read at all (not CSV/XLSX, wrong encoding, no header)."""


class TooManyRows(FileRefused):
    """More rows than a page imports; the background worker takes such files."""


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" + (f", cột “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: Sequence[Sequence[Any]]


@lru_cache(maxsize=4096)
def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.split(r"[^a-z0-9]+", plain)).strip()


def normalise_header(text: Any) -> str:
    """'Ngày tiếp nhận', 'ngay_tiep_nhan' and 'NGÀY TIẾP NHẬN ' all become 'ngay tiep nhan'.
    Cached: yes/no and channel cells repeat the same few words on every row."""
    return _normalise(str(text or ""))


def read_table(data: bytes, file_name: str, *, max_rows: int | None = None) -> Table:
    """The first sheet (XLSX) or the file (CSV) as a header and rows; FileRefused if unreadable,
    or as soon as it has more than `max_rows` rows (so a huge file is not read whole)."""
    if file_name.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raw_rows = _read_workbook(data)
    elif file_name.lower().endswith((".csv", ".txt")):
        raw_rows = _read_csv(data)
    else:
        raise FileRefused("Chỉ nhận tệp CSV hoặc Excel (.xlsx).")
    rows: list[list[Any]] = []
    for row in raw_rows:
        if not any(not _blank(cell) for cell in row):
            continue
        rows.append(list(row))
        if max_rows is not None and len(rows) > max_rows + 1:
            limit = format_int(max_rows)
            raise TooManyRows(
                f"Tệp có hơn {limit} dòng hồ sơ, vượt quá {limit} dòng nhập được trên trang. "
                "Vui lòng chia nhỏ tệp hoặc nhờ quản trị viên nhập bằng lệnh import_dossiers."
            )
    if not rows:
        raise FileRefused("Tệp không có dòng tiêu đề.")
    headers = tuple(unicodedata.normalize("NFC", str(cell or "")).strip() for cell in rows[0])
    return Table(headers=headers, rows=rows[1:])


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _read_workbook(data: bytes) -> Iterator[list[Any]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        return iter(sheet.iter_rows())
    except (CalamineError, ValueError, OSError) as error:
        raise FileRefused(f"Không đọc được tệp Excel ({error}).") from None
    except Exception as error:  # python-calamine raises its own Rust-side errors for corrupt files
        raise FileRefused(f"Không đọc được tệp Excel ({type(error).__name__}).") from None


def _read_csv(data: bytes) -> Iterator[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused("Tệp CSV phải được lưu với bảng mã UTF-8.") from None
    first_line = text.split("\n", 1)[0]
    # Excel in Vietnamese locales saves CSV with ";" since "," is the decimal separator.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


# --- Mapping -------------------------------------------------------------------------------------


def automatic_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Columns whose header is the documented one (or its field name), ignoring case and diacritics."""
    by_norm = {normalise_header(header): header for header in headers if header}
    mapping = {}
    for column in COLUMNS:
        for candidate in (column.header, column.name):
            header = by_norm.get(normalise_header(candidate))
            if header is not None:
                mapping[column.name] = header
                break
    return mapping


# Headers other systems' exports commonly use; they only pre-select the matching step's choices
# (the officer confirms), since a guess must never import silently.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("Số hồ sơ", "Mã HS", "Số biên nhận", "Mã biên nhận"),
    "procedure_name": ("Thủ tục", "Tên TTHC", "Thủ tục hành chính", "Tên thủ tục hành chính"),
    "procedure_code": ("Mã TTHC",),
    "field": ("Lĩnh vực TTHC", "Tên lĩnh vực"),
    "authority": ("Cấp thẩm quyền", "Cơ quan thẩm quyền"),
    "channel": ("Kênh nộp", "Hình thức tiếp nhận", "Hình thức", "Kênh tiếp nhận"),
    "received_at": ("Ngày nhận", "Thời điểm nhận", "Ngày nộp", "Thời gian tiếp nhận"),
    "due_at": ("Ngày hẹn", "Hạn xử lý", "Hạn giải quyết", "Ngày hẹn trả kết quả"),
    "finished_at": ("Ngày kết thúc", "Ngày có kết quả", "Ngày xử lý xong", "Ngày giải quyết xong"),
    "result_returned_at": ("Ngày trả", "Ngày trả kết quả cho công dân"),
    "withdrawn_at": ("Ngày rút hồ sơ", "Ngày trả lại hồ sơ", "Ngày hủy"),
    "input_digitised": ("Số hóa", "Đã số hóa", "Số hóa thành phần hồ sơ"),
    "result_electronic": ("Có kết quả điện tử", "Số hóa kết quả"),
    "data_reused": ("Tái sử dụng", "Sử dụng lại dữ liệu"),
    "fee_bearing": ("Có phí", "Phí, lệ phí", "Có lệ phí"),
    "paid_online": ("Đã thanh toán trực tuyến", "Thanh toán online"),
}


def suggested_mapping(headers: Sequence[str]) -> dict[str, str]:
    """The documented headers where present, else a common other name, each header used once."""
    mapping = automatic_mapping(headers)
    by_norm = {normalise_header(header): header for header in headers if header}
    used = set(mapping.values())
    for name, names in SYNONYMS.items():
        if name in mapping:
            continue
        for candidate in names:
            header = by_norm.get(normalise_header(candidate))
            if header is not None and header not in used:
                mapping[name] = header
                used.add(header)
                break
    return mapping


def usable_mapping(mapping: Mapping[str, str], headers: Sequence[str]) -> bool:
    """Every required column is mapped onto a header the file has."""
    present = set(headers)
    return all(mapping.get(name) in present for name in REQUIRED_NAMES) and all(
        header in present for header in mapping.values()
    )


def mapping_errors(mapping: Mapping[str, str], headers: Sequence[str]) -> list[str]:
    errors = []
    present = set(headers)
    for column in COLUMNS:
        header = mapping.get(column.name, "")
        if not header and column.required:
            errors.append(f"Chưa chọn cột cho “{column.header}” (bắt buộc).")
        elif header and header not in present:
            errors.append(f"Tệp không có cột “{header}” (chọn cho “{column.header}”).")
    chosen = [header for header in mapping.values() if header]
    errors.extend(
        f"Cột “{header}” được chọn cho nhiều trường." for header in sorted({h for h in chosen if chosen.count(h) > 1})
    )
    return errors


# --- Cells ---------------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
YES = {"co", "x", "1", "true", "yes", "dung", "da so hoa", "y"}
NO = {"", "khong", "0", "false", "no", "chua", "n"}
CHANNELS = {
    "truc tuyen": Channel.ONLINE,
    "online": Channel.ONLINE,
    "2": Channel.ONLINE,
    "truc tiep": Channel.DIRECT,
    "direct": Channel.DIRECT,
    "1": Channel.DIRECT,
    "buu chinh": Channel.POST,
    "dich vu buu chinh": Channel.POST,
    "dich vu buu chinh cong ich": Channel.POST,
    "buu chinh cong ich": Channel.POST,
    "post": Channel.POST,
    "3": Channel.POST,
}
AUTHORITIES = {
    "": Authority.OWN,
    "xa": Authority.OWN,
    "cap xa": Authority.OWN,
    "own": Authority.OWN,
    "thuoc tham quyen cua xa": Authority.OWN,
    "khac": Authority.OTHER,
    "cap khac": Authority.OTHER,
    "other": Authority.OTHER,
    "tham quyen cap khac": Authority.OTHER,
}


def parse_moment(raw: Any, *, end_of_day: bool = False) -> datetime | None:
    """dd/mm/yyyy [HH:MM[:SS]] or ISO, local to Asia/Ho_Chi_Minh; a bare date is 00:00
    (or the last instant of the day for an appointment date). ValueError if not a date."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return raw.replace(tzinfo=LOCAL_ZONE) if raw.tzinfo is None else raw
    if isinstance(raw, date):
        return _day_moment(raw, end_of_day)
    text = str(raw).strip()
    if not text:
        return None
    return _parse_text_moment(text, end_of_day)


@lru_cache(maxsize=65536)
def _parse_text_moment(text: str, end_of_day: bool) -> datetime:
    # Cached: a list repeats the same appointment dates and minutes many times.
    match = _DMY.match(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
        return _moment(int(year), int(month), int(day), hour, minute, second, end_of_day)
    match = _ISO.match(text)
    if match:
        year, month, day, hour, minute, second, offset = match.groups()
        moment = _moment(int(year), int(month), int(day), hour, minute, second, end_of_day)
        if offset:
            return datetime.fromisoformat(text.replace(" ", "T")).astimezone(LOCAL_ZONE)
        return moment
    raise ValueError(text)


def _day_moment(day: date, end_of_day: bool) -> datetime:
    if end_of_day:
        return datetime.combine(day + timedelta(days=1), time.min, tzinfo=LOCAL_ZONE) - timedelta(microseconds=1)
    return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE)


def _moment(
    year: int, month: int, day: int, hour: str | None, minute: str | None, second: str | None, end_of_day: bool
) -> datetime:
    if hour is None:
        return _day_moment(date(year, month, day), end_of_day)
    return datetime(year, month, day, int(hour), int(minute or 0), int(second or 0), tzinfo=LOCAL_ZONE)


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # Excel stores codes typed as numbers as floats
    return unicodedata.normalize("NFC", str(raw)).strip()


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]


PROGRESS_EVERY = 5_000


def parse_rows(
    table: Table, mapping: Mapping[str, str], progress: Callable[[int], None] | None = None
) -> tuple[list[ParsedRow], list[RowError]]:
    """Every row as model field values, and every problem found (all rows are checked);
    `progress` is told the number of rows read every PROGRESS_EVERY rows."""
    index = {name: table.headers.index(header) for name, header in mapping.items() if header in table.headers}
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for offset, row in enumerate(table.rows):
        if progress is not None and offset and offset % PROGRESS_EVERY == 0:
            progress(offset)
        number = offset + 2
        values, row_errors = _parse_row(row, index, number)
        if not row_errors:
            code = values["code"]
            if code in seen:
                row_errors.append(
                    RowError(number, COLUMN_BY_NAME["code"].header, f"mã hồ sơ “{code}” trùng với dòng {seen[code]}.")
                )
            else:
                seen[code] = number
        errors += row_errors
        if not row_errors:
            parsed.append(ParsedRow(number, values))
    return parsed, errors


def _cell(row: Sequence[Any], index: Mapping[str, int], name: str) -> Any:
    position = index.get(name)
    if position is None or position >= len(row):
        return None
    return row[position]


def _parse_row(row: Sequence[Any], index: Mapping[str, int], number: int) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column in COLUMNS:
        raw = _cell(row, index, column.name)
        try:
            value = _parse_cell(column, raw)
        except ValueError as error:
            errors.append(RowError(number, column.header, str(error)))
            continue
        if column.required and value in (None, ""):
            errors.append(RowError(number, column.header, "không được để trống."))
            continue
        values[column.name] = value
    if errors:
        return values, errors
    received, finished, withdrawn = values["received_at"], values["finished_at"], values["withdrawn_at"]
    if finished is not None and finished < received:
        errors.append(RowError(number, "Ngày hoàn thành", "trước ngày tiếp nhận."))
    if withdrawn is not None and withdrawn < received:
        errors.append(RowError(number, "Ngày trả lại, rút hồ sơ", "trước ngày tiếp nhận."))
    if withdrawn is not None and finished is not None:
        errors.append(
            RowError(number, "Ngày trả lại, rút hồ sơ", "hồ sơ đã trả lại, rút thì không có ngày hoàn thành.")
        )
    if values["paid_online"] and not values["fee_bearing"]:
        errors.append(RowError(number, "Thanh toán trực tuyến", "hồ sơ không có phí, lệ phí."))
    return values, errors


def _parse_cell(column: Column, raw: Any) -> Any:
    if column.kind == Kind.TEXT:
        text = _text(raw)
        if "\x00" in text:
            raise ValueError("có ký tự NUL (mã 0).")
        if len(text) > column.max_length:
            raise ValueError(f"dài quá {column.max_length} ký tự.")
        return text
    if column.kind in (Kind.MOMENT, Kind.DUE):
        try:
            return parse_moment(raw, end_of_day=column.kind == Kind.DUE)
        except ValueError:
            raise ValueError(f"“{_text(raw)}” không phải ngày hợp lệ (dd/mm/yyyy, có thể kèm giờ HH:MM).") from None
    key = normalise_header(_text(raw))
    if column.kind == Kind.BOOL:
        if key in YES:
            return True
        if key in NO:
            return False
        raise ValueError(f"“{_text(raw)}” phải là “Có” hoặc “Không”.")
    if column.kind == Kind.CHANNEL:
        if key in CHANNELS:
            return CHANNELS[key]
        raise ValueError(f"“{_text(raw)}” phải là “Trực tiếp”, “Trực tuyến” hoặc “Bưu chính”.")
    if key in AUTHORITIES:
        return AUTHORITIES[key]
    raise ValueError(f"“{_text(raw)}” phải là “Xã” (thẩm quyền của xã) hoặc “Khác”.")


def preview_rows(table: Table, count: int = 5) -> Iterator[list[str]]:
    for row in table.rows[:count]:
        yield [_text(cell) for cell in row] + [""] * (len(table.headers) - len(row))
