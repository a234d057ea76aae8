"""Chinese in the Word document's pictures never turns into boxes silently: they are drawn in a CJK
font found on the machine, and with none at all one line says which font to install. The page's
own text uses the reader's fonts and fetches none."""

import io
from datetime import date
from pathlib import Path

import pytest

from helpers import make_target
from kpitrack.domain.compute import figures
from kpitrack.formats import pngchart


def draw_png(lang="zh"):
    target = make_target()  # synthetic
    return pngchart.burnup_png(target, figures(target, date(2023, 6, 30)), None, lang)


@pytest.fixture
def fonts(monkeypatch):
    """The fonts the pictures find, as if these were the machine's (name: path)."""
    def install(found):
        monkeypatch.setattr(pngchart, "_SAID", False)
        for cached in (pngchart._font_files, pngchart.font_file, pngchart._font, pngchart._text):
            cached.cache_clear()
        monkeypatch.setattr(pngchart, "_font_files", lambda: found)
        monkeypatch.setattr(pngchart, "_matplotlib_font", lambda: None)
    yield install
    for cached in (pngchart.font_file, pngchart._font, pngchart._text):  # _font_files: put back by monkeypatch
        cached.cache_clear()


def test_with_no_cjk_font_at_all_one_line_says_what_to_install_and_the_picture_is_still_drawn(fonts, capsys):
    fonts({})
    first, second = draw_png(), draw_png()
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1  # one line, once
    assert "fonts-noto-cjk" in err and "Microsoft YaHei" in err
    assert first == second and first.startswith(b"\x89PNG")


def test_a_latin_font_alone_is_used_and_still_says_so(fonts, capsys):
    latin = next((path for path in (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),) if path.is_file()), None)
    if latin is None:
        pytest.skip("no DejaVu Sans on this machine")
    fonts({"DejaVuSans.ttf": latin})
    assert pngchart.font_file() == (str(latin), 0, False)
    draw_png()
    assert "fonts-noto-cjk" in capsys.readouterr().err


def test_a_cjk_font_is_found_and_nothing_is_said(capsys):
    for cached in (pngchart._font_files, pngchart.font_file, pngchart._font, pngchart._text):
        cached.cache_clear()
    path, face, cjk = pngchart.font_file()
    if not cjk:
        pytest.skip("no CJK font on this machine (apt-get install fonts-noto-cjk)")
    from PIL import ImageFont

    family = ImageFont.truetype(path, 10, index=face).getname()[0]
    assert "SC" in family or not path.endswith(".ttc")  # the Simplified Chinese face of a collection
    draw_png()
    assert capsys.readouterr().err == ""


def test_the_picture_is_an_indexed_png_of_the_charts_size_the_same_bytes_each_time():
    from PIL import Image

    data = draw_png("en")
    picture = Image.open(io.BytesIO(data))
    picture.load()
    assert picture.mode == "P" and picture.size == pngchart.PNG_SIZE
    assert round(picture.info["dpi"][0]) == pngchart.DPI
    assert draw_png("en") == data and draw_png("zh") != data  # the legend in the interface language


def test_the_page_embeds_no_remote_font(tmp_path):
    from typer.testing import CliRunner

    from kpitrack.cli import app

    out = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["--dir", str(Path(__file__).parents[1] / "targets"), "report", "--as-of",
                                      "2024-06-30", "--format", "html", "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "@font-face" not in page and "fonts.googleapis" not in page and "woff" not in page
    assert "Noto Sans CJK SC" in page and "sans-serif" in page  # the reader's own fonts, by name
