"""Excel renderer: `render_period_xlsx(data) -> bytes`, one workbook per period (XlsxWriter).

Sheet "Tổng hợp": a row per commune (status, the full results table of Biểu 06/VPCP/KSTT, every
count of the catalogue, every rate, each target met or missed) and a totals row of formulas:
sums for counts, rates over the summed counts (never an average of rates, product.md §3.7).
Sheet "Chỉ tiêu": each commune's rates against the regime's targets, then the city's.
Every formula carries its value as computed by reports/figures.py, so a viewer that does not
recalculate (a preview, a phone) shows the same numbers as the screens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import timezone
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from reports import figures as fig
from reports.models import Period
from reports.queries.city import BASIS_LABELS, CommuneFigures, PeriodFigures
from reports.rendering.export import period_file_part
from reports.rendering.formatting import ascii_slug

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUMMARY_SHEET = "Tổng hợp"
TARGETS_SHEET = "Chỉ tiêu"
TOTAL_LABEL = "Tổng cộng"
CITY_LABEL = "Toàn thành phố"
MET, MISSED, NO_DATA = (fig.TARGET_OUTCOME_LABELS[o] for o in fig.TargetOutcome)
NO_TARGET = "Không đặt chỉ tiêu"
# Rows of sheet "Tổng hợp": a title, a subtitle, a blank row, two header rows, then the communes.
GROUP_ROW, HEADER_ROW, FIRST_ROW = 3, 4, 5
FROZEN_COLUMNS = 3  # STT, code and name stay in view while scrolling right
INT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.00%"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

# The results table as Biểu 06 groups it: (group, header, attribute of ResultCounts).
RESULTS_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Số hồ sơ nhận giải quyết",
        (
            ("Tổng số", "received"),
            ("Trực tuyến", "online"),
            ("Trực tiếp, bưu chính", "direct"),
            ("Từ kỳ trước", "carried_over"),
        ),
    ),
    (
        "Số hồ sơ đã giải quyết",
        (("Tổng số", "resolved"), ("Trước hạn", "early"), ("Đúng hạn", "on_time"), ("Quá hạn", "overdue")),
    ),
    (
        "Số hồ sơ đang giải quyết",
        (("Tổng số", "in_progress"), ("Trong hạn", "pending_on_time"), ("Quá hạn", "pending_overdue")),
    ),
)
# A "Tổng số" column is the sum of the columns after it in its group (standards.md §2).
ROW_TOTALS = {"received": ("online", "direct", "carried_over"), "resolved": ("early", "on_time", "overdue"),
              "in_progress": ("pending_on_time", "pending_overdue")}  # fmt: skip


@dataclass(frozen=True)
class Column:
    key: str  # "status", "results.online", "values.pakn_received", "rates.rate_on_time", "target.<rate key>"
    header: str
    group: str
    width: float
    kind: str  # "text", "int", "days", "datetime", "percent", "outcome"


def summary_columns(data: PeriodFigures) -> list[Column]:
    """Sheet 1's columns; the catalogue drives the counts, rates and targets, so new figure kinds
    appear without changing this renderer."""
    columns = [
        Column("index", "STT", "", 5, "text"),
        Column("code", "Mã xã", "", 8, "text"),
        Column("name", "Xã, phường", "", 26, "text"),
        Column("status", "Trạng thái", "", 15, "text"),
        Column("sent", "Gửi lúc", "", 16, "datetime"),
        Column("late", "Số ngày chậm", "", 9, "days"),
    ]
    for group, members in RESULTS_GROUPS:
        columns += [Column(f"results.{attr}", header, group, 11, "int") for header, attr in members]
    groups: dict[str, list[str]] = {}
    for key in fig.COUNT_KEYS:
        groups.setdefault(fig.VALUE_SPEC_BY_KEY[key].group, []).append(key)
    for group, keys in groups.items():
        columns += [Column(f"values.{key}", fig.VALUE_SPEC_BY_KEY[key].label, group, 14, "int") for key in keys]
    columns += [Column(f"rates.{key}", fig.VALUE_SPEC_BY_KEY[key].label, fig.GROUP_RATES, 13, "percent")
                for key in fig.RATE_KEYS]  # fmt: skip
    columns += [
        Column(f"target.{key}", f"{fig.VALUE_SPEC_BY_KEY[key].label} ≥ {_percent_text(minimum)}",
               "Đánh giá chỉ tiêu", 14, "outcome")
        for key, minimum in data.targets.items()
    ]  # fmt: skip
    return columns


def xlsx_filename(period: Period) -> str:
    """ "Tong-hop-CCHC-thang-05-2026-Hai-Phong.xlsx", named like the period's other files."""
    return f"Tong-hop-CCHC-{period_file_part(period)}-{ascii_slug(period.regime.province.short_name)}.xlsx"


def render_period_xlsx(data: PeriodFigures) -> bytes:
    output = BytesIO()
    # constant_memory streams each row to a temporary file once written: a national workbook of
    # 3,321 communes then needs no more memory than one row.
    workbook = Workbook(output, {"constant_memory": True})
    styles = _Styles(workbook)
    _summary_sheet(workbook.add_worksheet(SUMMARY_SHEET), data, styles)
    _targets_sheet(workbook.add_worksheet(TARGETS_SHEET), data, styles)
    workbook.set_properties({"title": _title(data), "subject": data.period.regime.name, "author": "Báo cáo CCHC"})
    workbook.close()
    return output.getvalue()


class _Styles:
    def __init__(self, workbook: Workbook) -> None:
        border = {"border": 1, "valign": "vcenter"}
        self.title = workbook.add_format({"bold": True, "font_size": 13})
        self.subtitle = workbook.add_format({"italic": True})
        self.header = workbook.add_format({**border, "bold": True, "align": "center", "text_wrap": True,
                                           "bg_color": "#DDEBF7"})  # fmt: skip
        self.text = workbook.add_format(border)
        self.int = workbook.add_format({**border, "num_format": INT_FORMAT})
        self.percent = workbook.add_format({**border, "num_format": PERCENT_FORMAT})
        self.datetime = workbook.add_format({**border, "num_format": DATETIME_FORMAT})
        self.total_text = workbook.add_format({**border, "bold": True, "bg_color": "#F2F2F2"})
        self.total_int = workbook.add_format({**border, "bold": True, "bg_color": "#F2F2F2", "num_format": INT_FORMAT})
        self.total_percent = workbook.add_format(
            {**border, "bold": True, "bg_color": "#F2F2F2", "num_format": PERCENT_FORMAT}
        )
        self.met = workbook.add_format({**border, "font_color": "#006100"})
        self.missed = workbook.add_format({**border, "font_color": "#9C0006", "bold": True})


def _title(data: PeriodFigures) -> str:
    return f"Tổng hợp kết quả cải cách thủ tục hành chính {data.period.label}"


def _subtitle(data: PeriodFigures) -> str:
    regime = data.period.regime
    return f"{regime.province.name} · {regime.name} · Số liệu: {BASIS_LABELS[data.totals.basis].lower()}"


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _fraction(value: Decimal | None) -> float | None:
    """A rate in percent (93.01) as the fraction Excel's percent format expects (0.9301)."""
    return None if value is None else float(value / 100)


def _percent_text(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",") + "%"


def _local(moment: datetime | None) -> datetime | None:
    # Excel has no time zones: write the time as read on a clock in Việt Nam.
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None)


# --- Sheet 1: a row per commune -----------------------------------------------------------------


def _summary_sheet(sheet: Worksheet, data: PeriodFigures, styles: _Styles) -> None:
    columns = summary_columns(data)
    where = {column.key: index for index, column in enumerate(columns)}
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    sheet.write(0, 0, _title(data).upper(), styles.title)
    sheet.write(1, 0, _subtitle(data), styles.subtitle)
    _two_header_rows(sheet, columns, styles)
    sheet.freeze_panes(FIRST_ROW, FROZEN_COLUMNS)
    summed = {row.commune_code for row in data.totals.rows}
    for offset, row in enumerate(data.rows):
        in_totals = row.commune_code in summed
        _commune_row(sheet, FIRST_ROW + offset, offset + 1, row, in_totals, columns, where, data.targets, styles)
    last = FIRST_ROW + len(data.rows) - 1
    _totals_row(sheet, last + 1, data, columns, where, styles)


def _two_header_rows(sheet: Worksheet, columns: Sequence[Column], styles: _Styles) -> None:
    """Group headers merged across their columns above the column headers. Written row by row
    (constant_memory flushes a row once the next is written), so nothing is merged downwards:
    columns without a group have their header on the second row under an empty cell."""
    sheet.set_row(HEADER_ROW, 60)
    index = 0
    while index < len(columns):
        group = columns[index].group
        end = index
        while group and end + 1 < len(columns) and columns[end + 1].group == group:
            end += 1
        if not group:
            sheet.write_blank(GROUP_ROW, index, None, styles.header)
        elif end > index:
            sheet.merge_range(GROUP_ROW, index, GROUP_ROW, end, group, styles.header)
        else:
            sheet.write(GROUP_ROW, index, group, styles.header)
        index = end + 1
    for index, column in enumerate(columns):
        sheet.write(HEADER_ROW, index, column.header, styles.header)


def _commune_row(
    sheet: Worksheet,
    r: int,
    number: int,
    row: CommuneFigures,
    summed: bool,
    columns: Sequence[Column],
    where: dict[str, int],
    targets: Mapping[str, Decimal],
    styles: _Styles,
) -> None:
    """One commune; its figures only when its report counts in the totals (the sheet's basis)."""
    fixed: dict[str, Any] = {
        "index": number,
        "code": row.commune_code,
        "name": row.commune_name,
        "status": row.status_label,
        "sent": _local(row.submitted_at),
        "late": row.days_late or None,
    }
    has_results = summed and row.totals is not None and row.totals.rows > 0
    for c, column in enumerate(columns):
        if column.key in fixed:
            value = fixed[column.key]
            if value is None:
                sheet.write_blank(r, c, None, styles.text)
            elif column.kind == "datetime":
                sheet.write_datetime(r, c, value, styles.datetime)
            elif column.kind == "days":
                sheet.write_number(r, c, value, styles.int)
            else:
                sheet.write(r, c, value, styles.text)
            continue
        part, _, key = column.key.partition(".")
        if not summed:
            sheet.write_blank(r, c, None, styles.text)
        elif part == "results" and key in ROW_TOTALS:
            cells = "+".join(xl_rowcol_to_cell(r, where[f"results.{name}"]) for name in ROW_TOTALS[key])
            cached = _number(row.value(column.key))
            if has_results:
                sheet.write_formula(r, c, f"={cells}", styles.int, cached)
            else:
                sheet.write_blank(r, c, None, styles.int)
        elif part == "target":
            outcome = row.outcomes.get(key, fig.TargetOutcome.NO_DATA)
            rate_cell = xl_rowcol_to_cell(r, where[f"rates.{key}"])
            formula = _outcome_formula(rate_cell, targets[key])
            sheet.write_formula(r, c, formula, _outcome_style(outcome, styles), fig.TARGET_OUTCOME_LABELS[outcome])
        elif column.kind == "percent":
            _number_or_blank(sheet, r, c, _fraction(row.value(column.key)), styles.percent)
        else:
            _number_or_blank(sheet, r, c, _number(row.value(column.key)), styles.int)


def _number_or_blank(sheet: Worksheet, r: int, c: int, value: float | None, style: Format) -> None:
    if value is None:
        sheet.write_blank(r, c, None, style)
    else:
        sheet.write_number(r, c, value, style)


def _outcome_formula(rate_cell: str, minimum: Decimal) -> str:
    """Met, missed or no data, recomputed by Excel when a rate is corrected in the sheet."""
    return f'=IF({rate_cell}="","{NO_DATA}",IF({rate_cell}>={float(minimum / 100)!r},"{MET}","{MISSED}"))'


def _outcome_style(outcome: fig.TargetOutcome, styles: _Styles) -> Format:
    return {fig.TargetOutcome.MET: styles.met, fig.TargetOutcome.MISSED: styles.missed}.get(outcome, styles.text)


def _totals_row(
    sheet: Worksheet,
    r: int,
    data: PeriodFigures,
    columns: Sequence[Column],
    where: dict[str, int],
    styles: _Styles,
) -> None:
    totals = data.totals
    first, last = FIRST_ROW, r - 1

    def column_range(key: str) -> str:
        letter = xl_col_to_name(where[key])
        return f"{letter}{first + 1}:{letter}{last + 1}"

    sheet.merge_range(r, 0, r, 2, TOTAL_LABEL, styles.total_text)
    sheet.write(r, 3, f"{totals.reports} báo cáo", styles.total_text)
    for c in (4, 5):
        sheet.write_blank(r, c, None, styles.total_text)
    partners = {}
    for spec in fig.VALUE_SPECS:
        if spec.numerator and spec.denominator:
            partners[spec.numerator] = spec.denominator
            partners[spec.denominator] = spec.numerator
    for c, column in enumerate(columns):
        if c < 6:
            continue
        part, _, key = column.key.partition(".")
        if part in ("results", "values"):
            cached = _number(totals.value(column.key))
            if part == "values" and key in partners:
                # The two counts of a rate add up only over reports giving both (figures.sum_figures).
                other = column_range(f"values.{partners[key]}")
                formula = f'=SUMIFS({column_range(column.key)},{other},"<>")'
            else:
                formula = f"=SUM({column_range(column.key)})"
            sheet.write_formula(r, c, formula, styles.total_int, cached if cached is not None else 0)
        elif part == "rates":
            cached_rate = _fraction(totals.value(column.key))
            sheet.write_formula(r, c, _rate_formula(r, key, where), styles.total_percent,
                                cached_rate if cached_rate is not None else "")  # fmt: skip
        else:
            tally = next(t for t in totals.targets if t.key == key)
            sheet.write_formula(r, c, f'=COUNTIF({column_range(column.key)},"{MET}")', styles.total_int, tally.met)


def _rate_formula(r: int, key: str, where: dict[str, int]) -> str:
    """A city rate over the summed counts of the totals row (figures.rate_counts)."""

    def cell(name: str) -> str:
        return str(xl_rowcol_to_cell(r, where[name]))

    if key == "rate_online_submission":
        online, direct = cell("results.online"), cell("results.direct")
        return f'=IF(({online}+{direct})=0,"",{online}/({online}+{direct}))'
    if key == "rate_on_time":
        early, on_time, resolved = cell("results.early"), cell("results.on_time"), cell("results.resolved")
        return f'=IF({resolved}=0,"",({early}+{on_time})/{resolved})'
    spec = fig.VALUE_SPEC_BY_KEY[key]
    if spec.numerator is None or spec.denominator is None:
        return '=""'
    numerator, denominator = cell(f"values.{spec.numerator}"), cell(f"values.{spec.denominator}")
    return f'=IF({denominator}=0,"",{numerator}/{denominator})'


# --- Sheet 2: rates against targets ---------------------------------------------------------------

TARGET_HEADERS = (
    ("STT", 5), ("Mã xã", 8), ("Xã, phường", 26), ("Tỷ lệ", 44), ("Đạt được", 11), ("Chỉ tiêu tối thiểu", 11),
    ("Kết quả", 16), ("Số xã đạt", 10), ("Số xã chưa đạt", 10), ("Số xã chưa có số liệu", 12),
)  # fmt: skip


def _targets_sheet(sheet: Worksheet, data: PeriodFigures, styles: _Styles) -> None:
    for index, (_, width) in enumerate(TARGET_HEADERS):
        sheet.set_column(index, index, width)
    sheet.write(0, 0, f"Tỷ lệ so với chỉ tiêu {data.period.label}".upper(), styles.title)
    sheet.write(1, 0, _subtitle(data), styles.subtitle)
    header_row = 3
    sheet.set_row(header_row, 45)
    for index, (header, _) in enumerate(TARGET_HEADERS[:7]):
        sheet.write(header_row, index, header, styles.header)
    sheet.freeze_panes(header_row + 1, FROZEN_COLUMNS)
    r = header_row + 1
    number = 0
    for row in data.totals.rows:
        for key in data.rate_keys:
            number += 1
            minimum = data.targets.get(key)
            sheet.write(r, 0, number, styles.text)
            sheet.write(r, 1, row.commune_code, styles.text)
            sheet.write(r, 2, row.commune_name, styles.text)
            sheet.write(r, 3, fig.VALUE_SPEC_BY_KEY[key].label, styles.text)
            rate = row.rates.get(key)
            _number_or_blank(sheet, r, 4, _fraction(rate.value if rate else None), styles.percent)
            _result_cells(sheet, r, minimum, row.outcomes.get(key, fig.TargetOutcome.NO_DATA), styles)
            r += 1
    r += 1
    sheet.write(r, 0, CITY_LABEL.upper(), styles.title)
    r += 1
    city_headers = (
        "",
        "",
        "",
        "Tỷ lệ",
        "Đạt được",
        "Chỉ tiêu tối thiểu",
        "Kết quả",
        *(h for h, _ in TARGET_HEADERS[7:]),
    )
    for index, header in enumerate(city_headers):
        if header:
            sheet.write(r, index, header, styles.header)
    r += 1
    tallies = {tally.key: tally for tally in data.totals.targets}
    city_outcomes = fig.evaluate_targets(data.totals.summed.rates, data.targets)
    for key in data.rate_keys:
        minimum = data.targets.get(key)
        sheet.write(r, 3, fig.VALUE_SPEC_BY_KEY[key].label, styles.total_text)
        _number_or_blank(sheet, r, 4, _fraction(data.totals.value(f"rates.{key}")), styles.total_percent)
        _result_cells(sheet, r, minimum, city_outcomes.get(key, fig.TargetOutcome.NO_DATA), styles)
        tally = tallies.get(key)
        for offset, value in enumerate((tally.met, tally.missed, tally.no_data) if tally else ()):
            sheet.write_number(r, 7 + offset, value, styles.total_int)
        r += 1


def _result_cells(
    sheet: Worksheet, r: int, minimum: Decimal | None, outcome: fig.TargetOutcome, styles: _Styles
) -> None:
    if minimum is None:
        sheet.write_blank(r, 5, None, styles.text)
        sheet.write(r, 6, NO_TARGET, styles.text)
        return
    label = fig.TARGET_OUTCOME_LABELS[outcome]
    sheet.write_number(r, 5, float(minimum / 100), styles.percent)
    sheet.write_formula(
        r, 6, _outcome_formula(xl_rowcol_to_cell(r, 4), minimum), _outcome_style(outcome, styles), label
    )
