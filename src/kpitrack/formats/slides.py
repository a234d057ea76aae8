"""`report --format svg`: slides of the report, written as plain SVG from the report value (as the
page's charts are, svgchart.py) without matplotlib. Each slide is 16:9 (viewBox 1600×900), one plan
a slide (a long plan over several, at most ROWS rows each), the slides stacked in one SVG. A row is
a target labelled by its title (shortened with … at a word or character boundary, never
mid-word; the id and the whole title in its tooltip), its completion as a bar coloured by its
light against a 序时进度 mark; a growth rate by its gap to the target (个百分点) as text; an
indicator (a reading with no target) is left out, and a plan of indicators alone has no slide.
Text stays text, in the CJK font stack."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from markupsafe import escape

from kpitrack.domain.lights import COLOURS, LIGHT
from kpitrack.domain.model import Kind
from kpitrack.formats.svgchart import FONT_STACK
from kpitrack.reports.report import Item
from kpitrack.words.display import done_cell, group_label, percent, shown, title_of, with_stretch
from kpitrack.words.labels import report_as_of, word

WIDTH, HEIGHT = 1600, 900
ROWS = 16  # at most, a slide: 40 px a row, read from the back of a room
LABEL_LEFT, LABEL_RIGHT = 40, 680  # the titles' column
PLOT_LEFT, PLOT_RIGHT = 700, 1420  # the bars' 0 … the axis' end; their figures right of the bar
PLOT_TOP, PLOT_BOTTOM = 150, 810
LABEL_SIZE, TITLE_SIZE = 22, 30
CAP = Decimal(150)  # a bar past 150 % is drawn to 150 (its figure printed whole)


def _wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in "WF"


# Widths in em of DejaVu Sans, the widest font of the stack (a bound for the others): a label that
# fits by these fits in whichever font the reader has.
_NARROW = dict.fromkeys("il'|", 0.28) | dict.fromkeys("jI.,:;!", 0.34) | dict.fromkeys("ftr ()-[]", 0.43)
_BROAD = dict.fromkeys("mMW", 1.0) | dict.fromkeys("w%&@", 0.84)


def _em(character: str) -> float:
    if _wide(character):
        return 1.0
    if character in _NARROW or character in _BROAD:
        return _NARROW.get(character) or _BROAD[character]
    return 0.78 if character.isupper() else 0.64


def text_width(text: str, size: float) -> float:
    """A safe estimate of the drawn width at font size `size`: a CJK character is 1 em, the rest
    by DejaVu Sans' widths."""
    return sum(_em(character) for character in text) * size


def shortened(text: str, size: float, room: float) -> str:
    """`text` as it is when it fits `room`, else cut at the last boundary that fits with … after it:
    a space, or beside a CJK character (Chinese has no spaces: any character is a boundary); never
    inside a Latin word. A first word too long to fit is cut by character rather than dropped."""
    if text_width(text, size) <= room:
        return text
    room -= text_width("…", size)
    fits, used = 0, 0.0
    for index, character in enumerate(text):
        used += text_width(character, size)
        if used > room:
            break
        fits = index + 1
    for cut in range(fits, 0, -1):
        before, after = text[cut - 1], text[cut] if cut < len(text) else " "
        if before.isspace() or after.isspace() or _wide(before) or _wide(after):
            head = text[:cut].rstrip(" ,;:，、；：-—")
            if head:
                return head + "…"
    return text[:fits].rstrip() + "…"


def charted(members: list[Item]) -> list[Item]:
    """The rows a slide draws: every target but the indicators (readings with no target)."""
    return [(target, figures) for target, figures in members if target.kind is not Kind.INDICATOR]


def slides_of(groups: list[tuple[str, list[Item]]]) -> list[tuple[str, list[Item], int, int]]:
    """(plan's folder, its rows, slide number, slides of the plan): a plan over as few slides as fit
    ROWS each, its rows shared evenly between them."""
    slides = []
    for name, members in groups:
        rows = charted(members)
        if not rows:
            continue
        count = -(-len(rows) // ROWS)
        size = -(-len(rows) // count)
        for number in range(count):
            slides.append((name, rows[number * size:(number + 1) * size], number + 1, count))
    return slides


def _x(value: Decimal, high: Decimal) -> float:
    return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * float(min(max(value, Decimal(0)), high) / high)


def slide(label: str, rows: list[Item], number: int, count: int, as_of, lang: str) -> list[str]:
    """One 16:9 slide: the plan's title and the date above, the legend on its own line (off the
    bars), a row a target, the axis and its caption below the last row."""
    parts = [f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>']
    counter = f" ({number}/{count})" if count > 1 else ""  # kept whole when the plan's title is shortened
    room = WIDTH - 2 * LABEL_LEFT - text_width(counter, TITLE_SIZE)
    parts.append(f'<g><title>{escape(label)}</title><text x="{LABEL_LEFT}" y="62" font-size="{TITLE_SIZE}" '
                 f'font-weight="bold">{escape(shortened(label, TITLE_SIZE, room) + counter)}</text></g>')
    parts.append(f'<text x="{LABEL_LEFT}" y="104" font-size="20" fill="#444">'
                 f'{escape(report_as_of(as_of, lang))}</text>')
    legend = PLOT_LEFT  # a grey swatch: the bars' colour is their light, not the legend's
    parts.append(f'<rect x="{legend}" y="90" width="28" height="16" fill="#8c8c8c"/>')
    parts.append(f'<text x="{legend + 36}" y="104" font-size="20">{escape(word("completion", lang))}</text>')
    mark = legend + 60 + text_width(word("completion", lang), 20)
    parts.append(f'<line x1="{mark:.0f}" x2="{mark:.0f}" y1="86" y2="110" stroke="#000" stroke-width="3"/>')
    parts.append(f'<text x="{mark + 10:.0f}" y="104" font-size="20">{escape(word("planned", lang))}</text>')
    seens = [shown(figures) for _, figures in rows]  # nothing before a start: `—`, not a bar at 0.00%
    highest = max([seen.completion for seen in seens if seen.completion is not None] or [Decimal(0)])
    high = max(Decimal(100), min(highest, CAP))
    pitch = (PLOT_BOTTOM - PLOT_TOP) / ROWS
    bottom = PLOT_TOP + pitch * len(rows)
    for tick in range(0, int(high) + 1, 20):
        at = _x(Decimal(tick), high)
        parts.append(f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{PLOT_TOP}" y2="{bottom:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{at:.1f}" y="{bottom + 26:.1f}" text-anchor="middle" font-size="18">{tick}</text>')
    parts.append(f'<text x="{PLOT_LEFT}" y="{bottom + 58:.1f}" font-size="18" fill="#444">'
                 f'{escape(word("completion_vs_planned", lang))}</text>')
    for index, ((target, figures), seen) in enumerate(zip(rows, seens)):
        middle = PLOT_TOP + pitch * (index + 0.5)
        ink = COLOURS[LIGHT[figures.status]][1]
        title = title_of(target)
        row = [f'<g class="row"><title>{escape(target.id)} — {escape(title)}</title>',
               f'<text x="{LABEL_RIGHT}" y="{middle:.1f}" text-anchor="end" dominant-baseline="middle" '
               f'font-size="{LABEL_SIZE}">{escape(shortened(title, LABEL_SIZE, LABEL_RIGHT - LABEL_LEFT))}</text>']
        if seen.completion is not None:
            end = _x(seen.completion, high)
            row.append(f'<rect x="{PLOT_LEFT}" y="{middle - pitch * 0.3:.1f}" width="{end - PLOT_LEFT:.1f}" '
                       f'height="{pitch * 0.6:.1f}" fill="{ink}"/>')
            after = max(end, _x(seen.planned, high) if seen.planned is not None else end)  # off the mark
            row.append(f'<text x="{after + 8:.1f}" y="{middle:.1f}" dominant-baseline="middle" font-size="18">'
                       f'{escape(with_stretch(percent(seen.completion), figures.stretch_completion, lang))}</text>')
        else:  # a growth rate's gap to its target in points; no figure yet: —
            row.append(f'<text x="{PLOT_LEFT + 8}" y="{middle:.1f}" dominant-baseline="middle" font-size="20" '
                       f'fill="{ink}">{escape(done_cell(figures))}</text>')
        if seen.planned is not None:
            at = _x(seen.planned, high)
            row.append(f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{middle - pitch * 0.42:.1f}" '
                       f'y2="{middle + pitch * 0.42:.1f}" stroke="#000" stroke-width="3"/>')
        parts.append("\n".join(row) + "</g>")
    return parts


def report_slides_of(report, lang: str) -> str:
    """The report's plans as 16:9 slides stacked in one SVG (none: one empty slide with the date)."""
    as_of = report.as_of
    slides = [slide(group_label(name, report.plans), rows, number, count, as_of, lang)
              for name, rows, number, count in slides_of(report.groups)]
    if not slides:
        slides = [[f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
                   f'<text x="{LABEL_LEFT}" y="104" font-size="20">{escape(report_as_of(as_of, lang))}</text>']]
    total = HEIGHT * len(slides)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total}" width="{WIDTH}" height="{total}" '
           f'font-family="{FONT_STACK}">']
    for index, parts in enumerate(slides):
        out.append(f'<svg class="slide" x="0" y="{HEIGHT * index}" width="{WIDTH}" height="{HEIGHT}" '
                   f'viewBox="0 0 {WIDTH} {HEIGHT}">')
        out.extend(parts)
        out.append("</svg>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
