"""Vietnamese formatting of numbers, percentages and dates for screens and documents.

Numbers group thousands with "." and use "," for decimals (product.md §8: 1.909; 93,01%).
"""

import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def format_int(value: int | Decimal | None, *, pad2: bool = False) -> str:
    """1909 -> "1.909"; with pad2, numbers below 10 get a leading zero ("05"), as some reports write them."""
    if value is None:
        return ""
    number = int(value)
    text = f"{abs(number):,}".replace(",", ".")
    if pad2 and 0 <= number < 10:
        text = f"{number:02d}"
    return f"-{text}" if number < 0 else text


def round_percent(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def format_decimal(value: Decimal | int | None) -> str:
    """93.01 -> "93,01"; 100.00 -> "100"; 95.50 -> "95,5"; thousands grouped with "."."""
    if value is None:
        return ""
    rounded = round_percent(Decimal(value))
    whole, _, fraction = f"{abs(rounded):.2f}".partition(".")
    fraction = fraction.rstrip("0")
    text = format_int(int(whole)) + ("," + fraction if fraction else "")
    return f"-{text}" if rounded < 0 else text


def format_percent(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return format_decimal(value) + "%"


def format_date(value: date | None, *, pad: bool = False) -> str:
    """14/5/2026 in running text; with pad, 14/05/2026 (as the Bình Giang seed writes periods)."""
    if value is None:
        return ""
    if pad:
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return f"{value.day}/{value.month}/{value.year}"


# --- The document's number and date line (Nghị định 30/2020, standards.md §1 ô 3 and ô 4) ------

# Room left for the văn thư to write the number and the day by hand after signing
# (NĐ 30/2020 Điều 15, standards.md §3.3): drafts print blanks, never a guessed value.
NUMBER_BLANK = " " * 8
DAY_BLANK = " " * 6


def month_text(month: int) -> str:
    """Months 1 and 2 with a leading zero, 3-12 without ("02", "5"): standards.md §1, ô 4."""
    return f"{month:02d}" if month < 3 else str(month)


def day_text(day: int) -> str:
    """Days below 10 with a leading zero ("05"): standards.md §1, ô 4."""
    return f"{day:02d}"


def document_number(number: int | None, symbol: str) -> str:
    """ "05/BC-UBND": the number below 10 zero-padded (standards.md §1 ô 3); before issuing, a
    blank the văn thư fills in by hand. The one place a document's number is written."""
    return f"{NUMBER_BLANK if number is None else f'{number:02d}'}/{symbol}"


def document_number_line(number: int | None, symbol: str) -> str:
    """ "Số: 05/BC-UBND" once numbered, "Số:        /BC-UBND" before (ô 3)."""
    return f"Số:{'' if number is None else ' '}{document_number(number, symbol)}"


def document_date_line(place: str, issued_on: date | None, *, month: int, year: int) -> str:
    """ "Hùng Thắng, ngày 05 tháng 3 năm 2026"; before issuing the day is blank.

    Django's `vi` DATE_FORMAT does not zero-pad months, so this helper, not the locale, writes
    the date (house-style §7.10). `month`/`year` are used only while `issued_on` is None.
    """
    if issued_on is not None:
        return f"{place}, ngày {day_text(issued_on.day)} tháng {month_text(issued_on.month)} năm {issued_on.year}"
    return f"{place}, ngày{DAY_BLANK}tháng {month_text(month)} năm {year}"


def ascii_slug(text: str) -> str:
    """ "Xã Hùng Thắng" -> "Xa-Hung-Thang": Vietnamese letters without marks, for file names."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = "".join(char if char.isascii() and char.isalnum() else " " for char in plain).split()
    return "-".join(words)
