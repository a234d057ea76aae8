"""A target's chart as a PNG picture for the Word document, drawn with Pillow straight from the chart
series (the one every chart draws): the same picture as the page's SVG (svgchart.py), in pixels, a
millisecond or two a chart where a matplotlib figure costs about a hundred.

Drawn at its size: its steps, axes and the target line run along the pixels and stay crisp, its
text is smoothed by FreeType; only the dashed plan line is not (drawing at twice the size and
halving it doubled a chart's cost, about 2.5 ms against 1). Its shades are then mapped to a palette
of the chart's inks and written as an indexed PNG, several times faster than RGB pixels. Its text is drawn in a CJK font found on the machine (Microsoft YaHei, PingFang, Noto Sans
CJK, Source Han Sans, WenQuanYi, by their usual files); with none, in a Latin one, and one line on
stderr says what to install rather than draw □□□ without a word."""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from kpitrack.domain.lights import COLOURS, LIGHT
from kpitrack.domain.model import Target
from kpitrack.reports.build import Figures, chart_series
from kpitrack.words.axes import DATE_LABEL_ROOM, axis_range, date_ticks
from kpitrack.words.display import number
from kpitrack.words.labels import word

# The SVG's layout (svgchart.py: 360 × 200 units) at SCALE pixels a unit: the picture is 540 × 300
# pixels, as matplotlib's 3.6 × 2 inches at 150 dpi were.
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 360, 200, 46, 10, 26, 22
PNG_SIZE = (540, 300)
SCALE = PNG_SIZE[0] / WIDTH
DPI = 150
GREY, BLUE, AXIS, RED = (127, 127, 127), (31, 78, 121), (68, 68, 68), (192, 0, 0)  # #7f7f7f #1f4e79 #444 #c00000


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)

# The fonts' usual files, Chinese first on each system; a .ttc's faces are searched for the
# Simplified Chinese one (its family name ends in SC, or is the font's only one).
CJK_FILES = ("msyh.ttc", "msyh.ttf", "PingFang.ttc", "Hiragino Sans GB.ttc", "NotoSansCJK-Regular.ttc",
             "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf", "NotoSansSC-Regular.ttf",
             "SourceHanSansSC-Regular.otf", "SourceHanSans-Regular.ttc", "wqy-microhei.ttc", "wqy-zenhei.ttc")
LATIN_FILES = ("DejaVuSans.ttf", "arial.ttf", "Arial.ttf", "LiberationSans-Regular.ttf", "Helvetica.ttc")


def _font_folders() -> list[Path]:
    home = Path.home()
    folders = [Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
               home / "AppData/Local/Microsoft/Windows/Fonts", Path("/System/Library/Fonts"),
               Path("/System/Library/Fonts/Supplemental"), Path("/Library/Fonts"), home / "Library/Fonts"]
    data_folders = os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"  # a path list, as typed
    folders += [Path(folder) / "fonts" for folder in data_folders.split(os.pathsep) if folder]
    folders += [home / ".local/share/fonts", home / ".fonts"]
    return [folder for folder in folders if folder.is_dir()]


@lru_cache(maxsize=1)
def _font_files() -> dict[str, Path]:
    """The font files on this machine by name (the first found of each)."""
    found: dict[str, Path] = {}
    wanted = set(CJK_FILES) | set(LATIN_FILES)
    for folder in _font_folders():
        for root, _folders, files in os.walk(folder):
            for name in wanted.intersection(files):
                found.setdefault(name, Path(root) / name)
    return found


@lru_cache(maxsize=1)
def font_file() -> tuple[str | None, int, bool]:
    """(the file, its face, whether it writes Chinese) of the pictures' font; (None, 0, False): only
    Pillow's own."""
    from PIL import ImageFont

    files = _font_files()
    for name in CJK_FILES:
        if name in files:
            path = str(files[name])
            for face in range(12):  # the Simplified Chinese face of a collection
                try:
                    family = ImageFont.truetype(path, 10, index=face).getname()[0] or ""
                except OSError:
                    break
                if family.endswith(" SC") or not name.endswith(".ttc"):
                    return path, face, True
            return path, 0, True
    for name in LATIN_FILES:
        if name in files:
            return str(files[name]), 0, False
    matplotlibs = _matplotlib_font()
    return (matplotlibs, 0, False) if matplotlibs else (None, 0, False)


def _matplotlib_font() -> str | None:
    """matplotlib's own DejaVu Sans, found without importing matplotlib."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("matplotlib")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    return str(path) if path.is_file() else None


_SAID = False  # the missing font named at most once a run


def _say_no_cjk_font() -> None:
    global _SAID
    if _SAID:
        return
    _SAID = True
    from kpitrack.words.i18n import _

    print(_("kpitrack: no Chinese font for the charts' pictures, their Chinese would show as boxes: "
            "install one (Debian/Ubuntu: apt-get install fonts-noto-cjk; Windows: Microsoft YaHei)"), file=sys.stderr)


@lru_cache(maxsize=8)
def _font(size: int):
    from PIL import ImageFont

    path, face, cjk = font_file()
    if not cjk:
        _say_no_cjk_font()
    if path is None:
        return ImageFont.load_default(round(size * SCALE))
    return ImageFont.truetype(path, round(size * SCALE), index=face)


SHADES = 16  # the text's edges: black at 1/16 to 16/16 over white, the palette's first entries after white
PALETTE = [(255, 255, 255)] + [(round(255 * (1 - level / SHADES)),) * 3 for level in range(1, SHADES + 1)] + [
    GREY, BLUE, AXIS, RED] + [_rgb(ink) for _, ink in COLOURS.values()]
INDEX = {colour: index for index, colour in reversed(list(enumerate(PALETTE)))}  # white: 0, black: SHADES
TO_SHADES = [round(value * SHADES / 255) for value in range(256)]  # a text's coverage to its grey's index
COVERED = [0] + [255] * 255


@lru_cache(maxsize=1024)  # the dates, the legend and many figures are the same from chart to chart
def _text(text: str, size: int, anchor: str):
    """(patch, mask, left, top): the text drawn once, its shades as the palette's greys (a patch of
    indexed pixels) and where it covers (a mask), to be pasted at its anchor."""
    from PIL import Image, ImageDraw

    font = _font(size)
    left, top, right, bottom = font.getbbox(text, anchor=anchor)
    coverage = Image.new("L", (max(right - left, 1), max(bottom - top, 1)), 0)
    ImageDraw.Draw(coverage).text((-left, -top), text, font=font, fill=255, anchor=anchor)
    shades = coverage.point(TO_SHADES)
    patch = Image.frombytes("P", shades.size, shades.tobytes())
    return patch, shades.point(COVERED), left, top


def _write(image, at: tuple[float, float], text: str, size: int, anchor: str) -> None:
    patch, mask, left, top = _text(text, size, anchor)
    image.paste(patch, (round(at[0]) + left, round(at[1]) + top), mask)


@lru_cache(maxsize=1024)
def _advance(character: str, size: int) -> float:
    return _font(size).getlength(character)


def _write_by_character(image, at: tuple[float, float], text: str, size: int) -> None:
    """Text different on every chart (its id), set from baseline-anchored characters drawn once
    each (without kerning pairs: an id's letters and digits), rather than drawn whole every time."""
    x, y = at
    for character in text:
        if not character.isspace():
            _write(image, (x, y), character, size, "ls")
        x += _advance(character, size)


@lru_cache(maxsize=32)
def _strip(length: int, width: int, dash: float, gap: float):
    """A horizontal dashed line as a mask, drawn once and pasted on every chart."""
    from PIL import Image, ImageDraw

    mask = Image.new("L", (length + 1, width), 0)
    _dashed(ImageDraw.Draw(mask), [(0, (width - 1) / 2), (length, (width - 1) / 2)], 255, width, dash, gap)
    return mask


def _dashes(image, x0: float, x1: float, y: float, colour, width: int, dash: float, gap: float) -> None:
    image.paste(colour, (round(x0), round(y - (width - 1) / 2)), _strip(round(x1 - x0), width, dash, gap))


def _png(picture) -> bytes:
    """An indexed picture (of PALETTE's colours) as a PNG: its rows unfiltered, deflated run by run (zlib's RLE strategy,
    a picture of few colours and long runs), its palette, its resolution; nothing else (no date,
    no software), so that the same chart is the same bytes."""
    import struct
    import zlib

    width, height = picture.size
    pixels = picture.tobytes()
    view = memoryview(pixels)  # each row's filter byte (0, none) joined in: no copy of a row made to add it
    rows = b"\0" + b"\0".join(view[start:start + width] for start in range(0, width * height, width))
    packer = zlib.compressobj(6, zlib.DEFLATED, 15, 8, zlib.Z_RLE)  # memLevel 9 allocated for longer
    per_metre = round(DPI / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
            + chunk(b"PLTE", bytes(part for colour in PALETTE for part in colour)) + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + chunk(b"IDAT", packer.compress(rows) + packer.flush()) + chunk(b"IEND", b""))




def _dashed(draw, points: list[tuple[float, float]], colour, width: int, dash: float, gap: float) -> None:
    """A polyline in dashes of `dash` pixels with `gap` between, the pattern carried on over its corners."""
    on, left = True, dash
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        done = 0.0
        while length - done > 1e-9:
            step = min(left, length - done)
            if on:
                a, b = done / length, (done + step) / length
                draw.line([(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)],
                          fill=colour, width=width)
            done += step
            left -= step
            if left <= 1e-9:
                on = not on
                left = dash if on else gap


def burnup_png(target: Target, figures: Figures, others: dict[str, Target] | None = None,
               lang: str = "en") -> bytes:
    """The chart series drawn as svgchart.burnup_svg draws it (small): the actual figure as steps to
    the as-of line (dots on a reading), the plan (dashed), the target line (dotted), the as-of line
    (red), the figures at the axis's ends, the unit above it, the dates below, a legend above."""
    from PIL import Image, ImageDraw

    series = chart_series(target, figures, others)
    unit = SCALE
    image = Image.new("P", PNG_SIZE, 0)  # drawn in the palette's colours: no shades to map afterwards
    draw = ImageDraw.Draw(image)
    span = max((series.end - series.start).days, 1)
    values = [value for _, value in (*series.actual, *series.planned)] + [series.target, Decimal(0)
                                                                           if not series.readings else None]
    low, high = axis_range(values)
    spread = float(high - low)

    xs: dict = {}
    ys: dict = {}  # a step's corner repeats its neighbours' day and figure: each worked out once

    def x(day) -> float:
        if day not in xs:
            xs[day] = (LEFT + (WIDTH - LEFT - RIGHT) * (day - series.start).days / span) * unit
        return xs[day]

    ceiling = float(high)

    def y(value: Decimal) -> float:
        if value not in ys:
            ys[value] = (TOP + (HEIGHT - TOP - BOTTOM) * (ceiling - float(value)) / spread) * unit
        return ys[value]

    _write_by_character(image, (LEFT * unit, 11 * unit), target.id, 10)
    bottom_y, top_y, right_x = y(low), y(high), (WIDTH - RIGHT) * unit
    for value in (low, high):
        _write(image, ((LEFT - 3) * unit, y(value)), number(value), 8, "rm")
    if target.unit:  # upright above the axis: 个 turned on its side reads as ←
        _write(image, ((LEFT - 3) * unit, (TOP - 6) * unit), target.unit, 8, "rs")
    ticks = date_ticks((series.start, figures.as_of, series.due), x, DATE_LABEL_ROOM * unit)
    for index, day in enumerate(ticks):
        anchor = "ls" if index == 0 else "rs" if index == len(ticks) - 1 else "ms"
        _write(image, (x(day), (HEIGHT - 8) * unit), day.isoformat(), 8, anchor)
    legend = []
    if series.planned and not series.readings:
        _dashed(draw, [(x(day), y(value)) for day, value in series.planned], INDEX[GREY], round(unit), 4 * unit, 2 * unit)
        legend.append((INDEX[GREY], (4, 2), word("plan", lang)))
    if series.target is not None:
        _dashes(image, LEFT * unit, right_x, y(series.target), INDEX[BLUE], round(0.8 * unit), 1 * unit, 2 * unit)
        legend.append((INDEX[BLUE], (1, 2), word("target_line", lang)))
    ink = INDEX[_rgb(COLOURS[LIGHT[figures.status]][1])]
    if series.actual and figures.last_update:
        across = [x(day) for day, _ in series.actual]
        up = [y(value) for _, value in series.actual]
        points = [(across[0], up[0])]
        for index in range(1, len(across)):  # a step: the figure holds until the next day it changes
            points += [(across[index], up[index - 1]), (across[index], up[index])]
        draw.line(points, fill=ink, width=round(2 * unit))
        if series.readings:
            dot = 1.5 * unit
            for day, value in series.actual:
                draw.ellipse([x(day) - dot, y(value) - dot, x(day) + dot, y(value) + dot], fill=ink)
        legend.insert(0, (ink, None, word("actual", lang)))
    draw.line([(LEFT * unit, top_y), (LEFT * unit, bottom_y), (right_x, bottom_y)], fill=INDEX[AXIS],
              width=round(0.8 * unit))
    draw.line([(x(figures.as_of), top_y), (x(figures.as_of), bottom_y)], fill=INDEX[RED], width=round(0.8 * unit))
    for index, (colour, dashes, text) in enumerate(legend):  # above the plot, off the lines
        at = LEFT + 6 + index * 80
        if dashes:
            _dashes(image, at * unit, (at + 14) * unit, 20 * unit, colour, round(1.5 * unit), dashes[0] * unit,
                    dashes[1] * unit)
        else:
            draw.line([(at * unit, 20 * unit), ((at + 14) * unit, 20 * unit)], fill=colour, width=round(1.5 * unit))
        _write(image, ((at + 17) * unit, 20 * unit), text, 8, "lm")
    return _png(image)


__all__ = ["PNG_SIZE", "burnup_png", "font_file"]
