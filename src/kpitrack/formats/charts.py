"""Charts drawn by matplotlib: a target's burn-up for `show --format svg` and the Word document's
pictures (the page's charts are plain SVG: svgchart.py; the report's slides too: slides.py).

matplotlib rather than pygal: it draws the same figure as SVG (for show --format svg) and
as PNG (for the Word document) without a browser or cairo, its SVG is reproducible (fixed hash
salt, no date), and with svg.fonttype "none" text stays text in a named CJK font stack, nothing
fetched. It is imported only here, and only by the commands that draw.
"""

from __future__ import annotations

import io
import re
import warnings
from datetime import timedelta

from kpitrack.reports.build import Figures, chart_series
from kpitrack.domain.lights import COLOURS, LIGHT
from kpitrack.words.labels import word
from kpitrack.domain.model import Target

# Chinese first on each system (Windows, macOS, Linux), then what every matplotlib has.
FONTS = ["Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC",
         "WenQuanYi Micro Hei", "DejaVu Sans"]
_FONTS_CHECKED = False  # once a run: the font list is rebuilt or the missing font named at most once


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


def cjk_font_or_say_so() -> None:
    """Before drawing a picture (PNG): if matplotlib knows none of the CJK fonts, its font list may
    predate the font's installation, so rebuild it once; with still none, say in one line on stderr
    what to install, rather than draw □□□ without a word. (An SVG's text is drawn by the reader's
    fonts, not matplotlib's.)"""
    global _FONTS_CHECKED
    if _FONTS_CHECKED:
        return
    _FONTS_CHECKED = True
    from matplotlib import font_manager

    def known() -> bool:
        return bool({entry.name for entry in font_manager.fontManager.ttflist} & set(FONTS[:-1]))

    if known():
        return
    font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
    font_manager.findfont = font_manager.fontManager.findfont  # bound to the old list at import
    if not known():
        import sys

        from kpitrack.words.i18n import _

        print(_("kpitrack: no Chinese font for the charts' pictures, their Chinese would show as boxes: "
                "install one (Debian/Ubuntu: apt-get install fonts-noto-cjk; Windows: Microsoft YaHei)"),
              file=sys.stderr)


def _save(figure, kind: str, prefix: str = "") -> str | bytes:
    pyplot = _pyplot()
    if kind != "svg":
        cjk_font_or_say_so()
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a glyph missing from the fonts of this machine
        figure.savefig(buffer, format=kind, metadata={"Date": None} if kind == "svg" else {"Software": None},
                       dpi=150)
    pyplot.close(figure)
    data = buffer.getvalue()
    if kind != "svg":
        return data
    text = data.decode("utf-8")
    text = text[text.index("<svg"):]  # no XML prolog or doctype: the SVG goes inline in a page too
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)  # RDF naming the software
    # Ids of their own, so that many charts inline in one page do not share (and clash on) theirs.
    return re.sub(r'(\bid="|url\(#|href="#)', lambda match: match.group(1) + prefix, text) if prefix else text


def burnup(target: Target, figures: Figures, others: dict[str, Target] | None = None, lang: str = "en",
           small: bool = True, kind: str = "svg", prefix: str = "") -> str | bytes:
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
    ticks = sorted({0, today, (series.due - start).days})
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
    return _save(figure, kind, prefix)
