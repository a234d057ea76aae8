"""A target's chart for the page as plain inline SVG, written from the chart series (the one every
chart draws) without matplotlib: a fraction of a millisecond a chart instead of tens, text kept as
text in the CJK font stack, no ids to clash when many charts share a page."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import escape

from kpitrack.domain.lights import COLOURS, LIGHT
from kpitrack.domain.model import Target
from kpitrack.reports.build import Figures, chart_series
from kpitrack.words.axes import axis_range, date_ticks
from kpitrack.words.display import number
from kpitrack.words.labels import word

FONT_STACK = ("'Microsoft YaHei', 'PingFang SC', 'Hiragino Sans GB', 'Noto Sans CJK SC', 'Source Han Sans SC', "
              "'WenQuanYi Micro Hei', 'DejaVu Sans', sans-serif")


def burnup_svg(target: Target, figures: Figures, others: dict[str, Target] | None = None, lang: str = "en",
               small: bool = True) -> str:
    """The chart series drawn: the actual figure as steps to the as-of line, the plan (dashed), the
    target line (dotted), the as-of line (red); the same picture as charts.burnup, in SVG by hand."""
    series = chart_series(target, figures, others)
    width, height = (360, 200) if small else (700, 340)
    left, right, top, bottom = 46, 10, 26, 22
    span = max((series.end - series.start).days, 1)
    values = [value for _, value in (*series.actual, *series.planned)] + [series.target, Decimal(0)
                                                                           if not series.readings else None]
    low, high = axis_range(values)

    xs: dict = {}
    ys: dict = {}  # a step's corner repeats its neighbours' day and figure: each worked out once

    def x(day) -> str:
        if day not in xs:
            xs[day] = f"{left + (width - left - right) * (day - series.start).days / span:.1f}"
        return xs[day]

    scale, ceiling = (height - top - bottom) / float(high - low), float(high)  # in floats: a chart's tenths of a pixel

    def y(value: Decimal) -> str:
        if value not in ys:
            ys[value] = f"{top + scale * (ceiling - float(value)):.1f}"
        return ys[value]

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" font-family="{FONT_STACK}" font-size="9">',
             f"<title>{escape(target.title)}</title>",
             f'<text x="{left}" y="11" font-size="10">{escape(target.id if small else target.title)}</text>']
    bottom_y, top_y = y(low), y(high)
    parts.append(f'<path d="M{left} {top_y}V{bottom_y}H{width - right}" fill="none" stroke="#444" stroke-width="0.8"/>')
    for value in (low, high):
        parts.append(f'<text x="{left - 3}" y="{y(value)}" text-anchor="end" dominant-baseline="middle" '
                     f'font-size="8">{number(value)}</text>')
    if target.unit:  # upright above the axis: 个 turned on its side reads as ←
        parts.append(f'<text x="{left - 3}" y="{top - 6}" text-anchor="end" font-size="8">{escape(target.unit)}</text>')
    ticks = date_ticks((series.start, figures.as_of, series.due), lambda day: float(x(day)))
    for index, day in enumerate(ticks):
        anchor = "start" if index == 0 else "end" if index == len(ticks) - 1 else "middle"
        parts.append(f'<text x="{x(day)}" y="{height - 8}" text-anchor="{anchor}" font-size="8">{day.isoformat()}</text>')
    legend = []
    if series.planned and not series.readings:
        parts.append(f'<polyline points="{" ".join(f"{x(day)},{y(value)}" for day, value in series.planned)}" '
                     f'fill="none" stroke="#7f7f7f" stroke-width="1" stroke-dasharray="4 2"/>')
        legend.append(("#7f7f7f", "4 2", word("plan", lang)))
    if series.target is not None:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(series.target)}" y2="{y(series.target)}" '
                     f'stroke="#1f4e79" stroke-width="0.8" stroke-dasharray="1 2"/>')
        legend.append(("#1f4e79", "1 2", word("target_line", lang)))
    ink = COLOURS[LIGHT[figures.status]][1]
    if series.actual and figures.last_update:
        across = [x(day) for day, _ in series.actual]
        up = [y(value) for _, value in series.actual]
        points = [f"{across[0]},{up[0]}"]
        for index in range(1, len(across)):  # a step: the figure holds until the next day it changes
            points += [f"{across[index]},{up[index - 1]}", f"{across[index]},{up[index]}"]
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{ink}" stroke-width="2"/>')
        legend.insert(0, (ink, "", word("actual", lang)))
    parts.append(f'<line x1="{x(figures.as_of)}" x2="{x(figures.as_of)}" y1="{top_y}" y2="{bottom_y}" '
                 f'stroke="#c00000" stroke-width="0.8"/>')
    for index, (colour, dashes, label) in enumerate(legend):  # above the plot, off the lines
        at = left + 6 + index * 80
        parts.append(f'<line x1="{at}" x2="{at + 14}" y1="20" y2="20" stroke="{colour}" stroke-width="1.5"'
                     + (f' stroke-dasharray="{dashes}"' if dashes else "") + "/>")
        parts.append(f'<text x="{at + 17}" y="20" dominant-baseline="middle" font-size="8">{escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


__all__ = ["burnup_svg", "FONT_STACK"]
