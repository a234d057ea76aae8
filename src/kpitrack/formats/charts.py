"""Charts drawn by matplotlib: a target's burn-up for `show --format svg` (the page's charts are
plain SVG: svgchart.py; the report's slides too: slides.py; the Word document's pictures are PNGs
drawn with Pillow: pngchart.py).

matplotlib rather than pygal: it draws the figure as SVG without a browser or cairo, its SVG is
reproducible (fixed hash salt, no date), and with svg.fonttype "none" text stays text in a named
CJK font stack, nothing fetched (an SVG's text is drawn by the reader's fonts, not matplotlib's).
It is imported only here, and only by the command that draws.
"""

from __future__ import annotations

import io
import re
import warnings
from datetime import timedelta

from kpitrack.reports.build import Figures, chart_series
from kpitrack.domain.lights import COLOURS, LIGHT
from kpitrack.words.axes import date_ticks
from kpitrack.words.labels import word
from kpitrack.domain.model import Target

# Chinese first on each system (Windows, macOS, Linux), then what every matplotlib has.
FONTS = ["Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC",
         "WenQuanYi Micro Hei", "DejaVu Sans"]


def _pyplot():
    import logging

    import matplotlib
    matplotlib.use("Agg")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # fonts absent here are fine
    matplotlib.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "kpitrack", "font.family": "sans-serif",
        "font.sans-serif": FONTS, "font.size": 8, "text.parse_math": False,  # a $ is a dollar, not maths "axes.spines.top": False, "axes.spines.right": False,
    })
    import matplotlib.pyplot as pyplot
    return pyplot


def _save(figure, prefix: str = "") -> str:
    pyplot = _pyplot()
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a glyph missing from the fonts of this machine
        figure.savefig(buffer, format="svg", metadata={"Date": None}, dpi=150)
    pyplot.close(figure)
    text = buffer.getvalue().decode("utf-8")
    text = text[text.index("<svg"):]  # no XML prolog or doctype: the SVG goes inline in a page too
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)  # RDF naming the software
    # Ids of their own, so that many charts inline in one page do not share (and clash on) theirs.
    return re.sub(r'(\bid="|url\(#|href="#)', lambda match: match.group(1) + prefix, text) if prefix else text


def burnup(target: Target, figures: Figures, others: dict[str, Target] | None = None, lang: str = "en",
           small: bool = True, prefix: str = "") -> str:
    """The target's chart series drawn: the actual figure as steps up to the as-of line, the plan
    (or a growth rate's flat target), the target line; a milestone has none."""
    pyplot = _pyplot()
    series = chart_series(target, figures, others)
    figure, axes = pyplot.subplots(figsize=(3.6, 2.0) if small else (7, 3.4))
    figure.subplots_adjust(left=0.15 if small else 0.09, right=0.97, top=0.84 if small else 0.88, bottom=0.16)
    start = series.start

    def days(points):
        return [(day - start).days for day, _ in points]

    if series.planned and not series.readings:
        axes.plot(days(series.planned), [float(value) for _, value in series.planned], linestyle="--",
                  color="#7f7f7f", linewidth=1, label=word("plan", lang))
    ink = COLOURS[LIGHT[figures.status]][1]
    if series.actual and figures.last_update:
        axes.step(days(series.actual), [float(value) for _, value in series.actual], where="post", color=ink,
                  linewidth=2, label=word("actual", lang), marker="o" if series.readings else None, markersize=3)
    if series.target is not None:
        axes.axhline(float(series.target), color="#1f4e79", linewidth=0.8, linestyle=":",
                     label=word("target_line", lang))
    today = (figures.as_of - start).days
    axes.axvline(today, color="#c00000", linewidth=0.8)
    span = max((series.end - start).days, 1)  # placed as the page's chart places them: 304 units across
    ticks = date_ticks((0, today, (series.due - start).days), lambda day: 304 * day / span)
    axes.set_xticks(ticks, [(start + timedelta(days=tick)).isoformat() for tick in ticks])
    labels = axes.get_xticklabels()
    labels[0].set_horizontalalignment("left")
    labels[-1].set_horizontalalignment("right")  # inside the picture, not cut at its edge
    axes.set_xlim(0, max((series.end - start).days, 1))
    if target.unit:  # upright above the axis: 个 turned on its side reads as ←
        axes.annotate(target.unit, (0, 1), xycoords="axes fraction", xytext=(-3, 3), textcoords="offset points",
                      ha="right", va="bottom", fontsize=6)
    axes.tick_params(labelsize=6)
    axes.legend(fontsize=6, frameon=False, loc="upper left")
    axes.set_title(target.title if not small else target.id, fontsize=9 if not small else 7, loc="left")
    return _save(figure, prefix)
