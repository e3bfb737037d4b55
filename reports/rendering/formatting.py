"""Vietnamese formatting of numbers, percentages and dates for screens and documents.

Numbers group thousands with "." and use "," for decimals (product.md §8: 1.909; 93,01%).
"""

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
