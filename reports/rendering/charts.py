"""Line charts as SVG strings, drawn on the server: no JavaScript, and the same on screen and paper.

Pure: series of numbers in, markup out. Every series has its own marker and dash pattern, so the
chart reads in black and white; axes carry Vietnamese number formats and period labels
("T5/2026"), and the values are written on the chart and in the <desc> for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from reports.periods import Frequency, PeriodKey
from reports.rendering.formatting import format_decimal, format_int, format_percent

if TYPE_CHECKING:
    # Annotations only: reports.queries.trends imports this module for its period labels.
    from reports.queries.trends import Trends

type Number = int | Decimal


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[Number | None, ...]


@dataclass(frozen=True)
class SeriesStyle:
    marker: str  # circle, square, triangle, diamond, cross
    dash: str  # SVG stroke-dasharray, "" for a solid line
    colour: str  # greys and black only, so a black-and-white print loses nothing


# Told apart by marker and dash first; the colour is a bonus on screen.
SERIES_STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle("circle", "", "#0b3d91"),
    SeriesStyle("square", "7 4", "#9a3412"),
    SeriesStyle("triangle", "2 3", "#166534"),
    SeriesStyle("diamond", "10 3 2 3", "#4b5563"),
    SeriesStyle("cross", "1 0", "#6b21a8"),
)

WIDTH = 720
PLOT_HEIGHT = 200
# A chart drawn half a page wide: a smaller canvas keeps its text as large as the full chart's.
SMALL_WIDTH = 540
SMALL_PLOT_HEIGHT = 150
MARGIN_LEFT = 58
MARGIN_RIGHT = 24
# Room on the right for the newest values when they are written beside the last points.
MARGIN_RIGHT_LABELS = 58
MARGIN_TOP = 22
AXIS_LABEL_BAND = 30
LEGEND_ROW = 20
MARKER_SIZE = 4.5
FONT_SIZE = 12
AXIS_FONT_SIZE = 10
VALUE_FONT_SIZE = 11
# The smallest vertical distance between two values written beside the last points.
LABEL_GAP = 12
# With more series than this, only the newest value of each is written on the chart (the
# numbers table beside it carries the rest); more labels would overlap and read as noise.
LABEL_EVERY_POINT_UP_TO = 2


def period_short_label(key: PeriodKey) -> str:
    """ "T5/2026", "Q2/2026", "6T đầu/2026", "9T/2026", "2026": axis labels for a period."""
    match key.frequency:
        case Frequency.MONTHLY:
            return f"T{key.number}/{key.year}"
        case Frequency.QUARTERLY:
            return f"Q{key.number}/{key.year}"
        case Frequency.HALF_YEAR:
            return f"6T {'đầu' if key.number == 1 else 'cuối'}/{key.year}"
        case Frequency.NINE_MONTHS:
            return f"9T/{key.year}"
        case Frequency.YEARLY:
            return str(key.year)


def nice_ceiling(value: Number) -> tuple[int, int]:
    """The top of the axis and the step between its ticks (1, 2 or 5 times a power of ten), so
    that 4 to 5 ticks cover `value`: 1.909 -> (2.000, 500)."""
    top = max(int(Decimal(value).to_integral_value(rounding="ROUND_CEILING")), 1)
    step = 1
    while True:
        for factor in (1, 2, 5):
            candidate = step * factor
            if candidate * 5 >= top:
                ticks = -(-top // candidate)
                return ticks * candidate, candidate
        step *= 10


def _fmt(value: Number, *, percent: bool) -> str:
    if percent:
        return format_percent(value)
    return format_int(value) if Decimal(value) == Decimal(int(value)) else format_decimal(value)


def _marker(style: SeriesStyle, x: float, y: float) -> str:
    size = MARKER_SIZE
    common = f'fill="#fff" stroke="{style.colour}" stroke-width="1.6"'
    match style.marker:
        case "circle":
            return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" {common}/>'
        case "square":
            return (
                f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size:.1f}" height="{2 * size:.1f}" {common}/>'
            )
        case "triangle":
            points = f"{x:.1f},{y - size - 1:.1f} {x - size - 1:.1f},{y + size:.1f} {x + size + 1:.1f},{y + size:.1f}"
            return f'<polygon points="{points}" {common}/>'
        case "diamond":
            points = f"{x:.1f},{y - size - 1:.1f} {x + size + 1:.1f},{y:.1f} {x:.1f},{y + size + 1:.1f} {x - size - 1:.1f},{y:.1f}"
            return f'<polygon points="{points}" {common}/>'
        case _:
            return (
                f'<path d="M{x - size:.1f},{y - size:.1f}L{x + size:.1f},{y + size:.1f}'
                f'M{x - size:.1f},{y + size:.1f}L{x + size:.1f},{y - size:.1f}" stroke="{style.colour}" stroke-width="2"/>'
            )


def _segments(points: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive known points; a period without a value breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    percent: bool = False,
    target: Number | None = None,
    chart_id: str = "chart",
    width: int = WIDTH,
    plot_height: int = PLOT_HEIGHT,
) -> str:
    """An SVG line chart of `series` over the periods named by `labels` (oldest first).

    Rates (`percent`) use a fixed 0-100% axis so months compare at a glance; counts start at 0
    with a rounded top. `target` draws the minimum as a dashed horizontal line.
    """
    if not series or len(series) > len(SERIES_STYLES):
        raise ValueError(f"Biểu đồ cần từ 1 đến {len(SERIES_STYLES)} dãy số liệu.")
    if any(len(item.values) != len(labels) for item in series):
        raise ValueError("Mỗi dãy số liệu phải có đúng một giá trị cho mỗi kỳ.")
    known = [Decimal(value) for item in series for value in item.values if value is not None]
    if percent:
        top, step = 100, 20
    else:
        top, step = nice_ceiling(max(known, default=Decimal(0)))
    # A single series is named by the chart's title, so the legend shows only the target.
    entries = (len(series) if len(series) > 1 else 0) + (target is not None)
    legend_rows = -(-entries // 2)
    height = MARGIN_TOP + plot_height + AXIS_LABEL_BAND + legend_rows * LEGEND_ROW + 6
    label_all = len(series) <= LABEL_EVERY_POINT_UP_TO
    right = MARGIN_RIGHT if label_all else MARGIN_RIGHT_LABELS
    plot_width = width - MARGIN_LEFT - right
    count = len(labels)
    slot = plot_width / max(count, 1)

    def x_at(index: int) -> float:
        return MARGIN_LEFT + slot * (index + 0.5)

    def y_at(value: Number) -> float:
        clipped = min(max(Decimal(value), Decimal(0)), Decimal(top))
        return MARGIN_TOP + plot_height - float(clipped) / top * plot_height

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bc-chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'font-size="{FONT_SIZE}" font-family="inherit">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(_description(labels, series, percent=percent, target=target))}</desc>',
    ]
    # Grid and y axis.
    for tick in range(0, top + 1, step):
        y = y_at(tick)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{"#000" if tick == 0 else "#c8c8c8"}" stroke-width="{1 if tick == 0 else 0.6}"/>'
        )
        parts.append(
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_fmt(tick, percent=percent))}</text>'
        )
    # X axis labels, thinned when the periods are many, the newest always kept.
    # Every label when they fit side by side, else every second (third...) one.
    widest = max((len(label) for label in labels), default=0) * AXIS_FONT_SIZE * 0.55 + 4
    every = max(1, math.ceil(widest / slot))
    for index, label in enumerate(labels):
        if (count - 1 - index) % every:
            continue
        parts.append(
            f'<text x="{x_at(index):.1f}" y="{MARGIN_TOP + plot_height + 18}" text-anchor="middle" '
            f'font-size="{AXIS_FONT_SIZE}">{escape(label)}</text>'
        )
    if target is not None:
        y = y_at(target)
        parts.append(
            f'<line class="bc-chart-target" x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            'stroke="#000" stroke-width="1.2" stroke-dasharray="3 3"/>'
        )
    newest: list[tuple[float, float, str]] = []
    for index, item in enumerate(series):
        style = SERIES_STYLES[index]
        points = [None if value is None else (x_at(i), y_at(value)) for i, value in enumerate(item.values)]
        parts.append(f'<g class="bc-chart-series" data-series="{index}">')
        for run in _segments(points):
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
            parts.append(f'<polyline points="{path}" fill="none" stroke="{style.colour}" stroke-width="2"{dash}/>')
        last_known = max((i for i, value in enumerate(item.values) if value is not None), default=None)
        for i, value in enumerate(item.values):
            point = points[i]
            if value is None or point is None:
                continue
            text = _fmt(value, percent=percent)
            parts.append(f"<g><title>{escape(f'{item.label}, {labels[i]}: {text}')}</title>")
            parts.append(_marker(style, *point))
            parts.append("</g>")
            if label_all:
                # The first series writes above its points, the second below, so they do not collide.
                dy = -9 if index % 2 == 0 else 18
                parts.append(
                    f'<text class="bc-chart-value" x="{point[0]:.1f}" y="{point[1] + dy:.1f}" text-anchor="middle" '
                    f'font-size="{VALUE_FONT_SIZE}">{escape(text)}</text>'
                )
            elif i == last_known:
                newest.append((point[0], point[1], text))
        parts.append("</g>")
    for x, y, text in _spread(newest):
        parts.append(
            f'<text class="bc-chart-value" x="{x + 9:.1f}" y="{y + 4:.1f}" font-size="{VALUE_FONT_SIZE}">{escape(text)}</text>'
        )
    parts.extend(
        _legend(series, target=target, percent=percent, top=MARGIN_TOP + plot_height + AXIS_LABEL_BAND, width=width)
    )
    parts.append("</svg>")
    return "".join(parts)


def _spread(labels: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """The labels moved apart vertically, keeping their order, so that none overlaps another."""
    placed: list[tuple[float, float, str]] = []
    for x, y, text in sorted(labels, key=lambda label: label[1]):
        if placed and y - placed[-1][1] < LABEL_GAP:
            y = placed[-1][1] + LABEL_GAP
        placed.append((x, y, text))
    return placed


def _legend(series: Sequence[Series], *, target: Number | None, percent: bool, top: float, width: int) -> list[str]:
    entries: list[tuple[str, str]] = []
    for index, item in enumerate(series if len(series) > 1 else ()):
        style = SERIES_STYLES[index]
        dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
        sample = f'<line x1="0" y1="0" x2="34" y2="0" stroke="{style.colour}" stroke-width="2"{dash}/>' + _marker(
            style, 17, 0
        )
        entries.append((sample, item.label))
    if target is not None:
        sample = '<line x1="0" y1="0" x2="34" y2="0" stroke="#000" stroke-width="1.2" stroke-dasharray="3 3"/>'
        entries.append((sample, f"Chỉ tiêu {_fmt(target, percent=percent)}"))
    parts = []
    column_width = (width - MARGIN_LEFT) / 2
    for index, (sample, label) in enumerate(entries):
        x = MARGIN_LEFT + (index % 2) * column_width
        y = top + (index // 2) * LEGEND_ROW + 8
        parts.append(
            f'<g class="bc-chart-legend" transform="translate({x:.1f},{y:.1f})">{sample}'
            f'<text x="42" y="4">{escape(label)}</text></g>'
        )
    return parts


def _description(labels: Sequence[str], series: Sequence[Series], *, percent: bool, target: Number | None) -> str:
    lines = []
    for item in series:
        values = ", ".join(
            f"{label}: {'không có số liệu' if value is None else _fmt(value, percent=percent)}"
            for label, value in zip(labels, item.values, strict=True)
        )
        lines.append(f"{item.label}: {values}.")
    if target is not None:
        lines.append(f"Chỉ tiêu: {_fmt(target, percent=percent)}.")
    return " ".join(lines)


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str


def trend_charts(trends: Trends, *, prefix: str) -> tuple[Chart, ...]:
    """The key counts on one chart, then one chart per rate with its target, for a trends page;
    `prefix` keeps the SVG ids unique when a page holds several sets."""
    labels = trends.labels
    charts = [
        Chart(
            "Hồ sơ thủ tục hành chính",
            line_chart(
                title="Hồ sơ thủ tục hành chính",
                labels=labels,
                series=[Series(label, values) for label, values in trends.count_series()],
                chart_id=f"{prefix}-counts",
            ),
        )
    ]
    for key, title, values in trends.rate_series():
        charts.append(
            Chart(
                title,
                line_chart(
                    title=title,
                    labels=labels,
                    series=[Series(title, values)],
                    percent=True,
                    target=trends.targets.get(key),
                    chart_id=f"{prefix}-{key}",
                    width=SMALL_WIDTH,
                    plot_height=SMALL_PLOT_HEIGHT,
                ),
            )
        )
    return tuple(charts)
