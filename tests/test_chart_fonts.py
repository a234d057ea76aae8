"""Chinese in the charts never turns into boxes silently: matplotlib's font list is rebuilt once
when it knows no CJK font (it may predate the font's installation), and with none at all one line
says which font to install. The page's own text uses the reader's fonts and fetches none."""

from datetime import date

import pytest

from helpers import make_target
from kpitrack.domain.compute import figures
from kpitrack.formats import charts

pytest.importorskip("matplotlib")


class Listing:
    """A stand-in for matplotlib's FontManager: only its list of font entries is read."""

    def __init__(self, *names):
        self.ttflist = [type("Entry", (), {"name": name})() for name in names]

    def findfont(self, *args, **kwargs):
        raise AssertionError("not drawn with a stand-in")


def draw_png():
    target = make_target()  # synthetic
    return charts.burnup(target, figures(target, date(2023, 6, 30)), None, "zh", kind="png")


@pytest.fixture
def fonts(monkeypatch):
    from matplotlib import font_manager

    monkeypatch.setattr(charts, "_FONTS_CHECKED", False)
    monkeypatch.setattr(font_manager, "findfont", font_manager.findfont)  # put back after a rebuild
    rebuilt = []

    def install(listed, after_rebuild):
        monkeypatch.setattr(font_manager, "fontManager", Listing(*listed))
        monkeypatch.setattr(font_manager, "_load_fontmanager",
                            lambda try_read_cache=True: rebuilt.append(try_read_cache) or Listing(*after_rebuild))
        return rebuilt
    return install


def test_a_font_list_older_than_the_cjk_font_is_rebuilt_once_and_nothing_is_said(fonts, capsys):
    from matplotlib import font_manager

    rebuilt = fonts(["DejaVu Sans"], ["DejaVu Sans", "Noto Sans CJK SC"])
    charts.cjk_font_or_say_so()
    charts.cjk_font_or_say_so()
    assert rebuilt == [False]  # once, not from the cache
    assert "Noto Sans CJK SC" in {entry.name for entry in font_manager.fontManager.ttflist}
    assert capsys.readouterr().err == ""


def test_with_no_cjk_font_at_all_one_line_says_what_to_install(fonts, capsys):
    fonts(["DejaVu Sans"], ["DejaVu Sans"])
    charts.cjk_font_or_say_so()
    charts.cjk_font_or_say_so()
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1  # one line, once
    assert "fonts-noto-cjk" in err and "Microsoft YaHei" in err


def test_a_picture_checks_the_fonts_and_an_svg_leaves_them_to_its_reader(monkeypatch):
    checked = []
    monkeypatch.setattr(charts, "cjk_font_or_say_so", lambda: checked.append(True))
    target = make_target()  # synthetic
    charts.burnup(target, figures(target, date(2023, 6, 30)), None, "zh", kind="svg")
    assert checked == []
    draw_png()
    assert checked == [True]


def test_a_known_cjk_font_needs_no_rebuild(fonts, capsys):
    rebuilt = fonts(["Microsoft YaHei"], [])
    charts.cjk_font_or_say_so()
    assert rebuilt == [] and capsys.readouterr().err == ""


def test_the_page_embeds_no_remote_font(tmp_path):
    from typer.testing import CliRunner

    from kpitrack.cli import app
    from pathlib import Path

    out = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["--dir", str(Path(__file__).parents[1] / "targets"), "report", "--as-of",
                                      "2024-06-30", "--format", "html", "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "@font-face" not in page and "fonts.googleapis" not in page and "woff" not in page
    assert "Noto Sans CJK SC" in page and "sans-serif" in page  # the reader's own fonts, by name
