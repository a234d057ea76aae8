"""report --format svg: 16:9 slides written as SVG from the report value (formats/slides.py), rows
labelled by title (shortened at a boundary, the id in a tooltip), growth rows by their gap, no
slide for a plan of indicators. Synthetic data: made-up figures."""

import xml.etree.ElementTree as ElementTree

from helpers import progress, target_toml

from kpitrack.formats.slides import ROWS, shortened, text_width

SVG = "{http://www.w3.org/2000/svg}"
LONG = ("synthetic: build and raise affordable housing for new residents and young talent across "
        "every district of the city")
WORKSPACE = {
    "kpitrack.toml": "",
    "city/plan.toml": 'title = "synthetic plan"\n',
    "city/firms.toml": target_toml(title=LONG) + progress("2023-06-30", 300),
    "city/slow.toml": target_toml(title="synthetic: new firms") + progress("2023-06-30", 100),
    "city/growth.toml": target_toml(title="synthetic: growth", target=6, unit="%", extra='kind = "growth"\n')
    + progress("2023-06-30", "4.1"),
    "city/housing.toml": target_toml(title="synthetic：新建和筹集保障性住房与人才住房覆盖全市各区各街道各社区", unit="套")
    + progress("2023-05-31", 650, total=True),
    "city/reading.toml": target_toml(title="synthetic: a reading in a mixed plan", target=None, unit="%",
                                     extra='kind = "indicator"\n') + progress("2023-06-30", "3.2"),
    "watch/plan.toml": 'title = "synthetic plan of indicators"\n',
    "watch/cpi.toml": target_toml(title="synthetic: prices", target=None, unit="%", extra='kind = "indicator"\n')
    + progress("2023-06-30", "0.2"),
}


def slides(make_workspace, cli, *arguments, files=WORKSPACE):
    result = cli(make_workspace(files), "report", "--as-of", "2023-06-30", "--format", "svg", *arguments)
    assert result.exit_code == 0, result.output
    return ElementTree.fromstring(result.stdout)


def rows(root):
    """(tooltip, label) of every row."""
    return [(row.find(f"{SVG}title").text, row.find(f"{SVG}text").text)
            for row in root.iter(f"{SVG}g") if row.get("class") == "row"]


def test_each_slide_is_16_9_and_the_root_stacks_them(make_workspace, cli):
    root = slides(make_workspace, cli)
    pages = [page for page in root if page.get("class") == "slide"]
    assert pages
    for page in pages:
        _, _, width, height = map(float, page.get("viewBox").split())
        assert width * 9 == height * 16
    _, _, width, height = map(float, root.get("viewBox").split())
    assert width == 1600 and height == 900 * len(pages)


def test_rows_are_titles_as_text_the_id_in_a_tooltip_and_never_cut_mid_word(make_workspace, cli):
    titles = {"firms": LONG, "slow": "synthetic: new firms", "growth": "synthetic: growth",
              "housing": "synthetic：新建和筹集保障性住房与人才住房覆盖全市各区各街道各社区"}
    found = dict((tip.split(" — ")[0], label) for tip, label in rows(slides(make_workspace, cli)))
    assert set(found) == set(titles)  # each id in a <title>; the indicator left out
    for target_id, label in found.items():
        title = titles[target_id]
        assert label == title or (label.endswith("…") and title.startswith(label[:-1]))
        if label != title:
            cut = len(label) - 1
            assert not (title[cut - 1].isalnum() and title[cut].isascii() and title[cut].isalnum())  # mid-word
    assert found["firms"] != LONG and found["housing"] != titles["housing"]  # both too long for the column


def test_a_growth_row_carries_its_gap_in_points(make_workspace, cli):
    english = "".join(slides(make_workspace, cli).itertext())
    assert "-1.9 pt" in english
    chinese = "".join(slides(make_workspace, cli, "--lang", "zh").itertext())
    assert "-1.9个百分点" in chinese and "完成率与序时进度（%）" in chinese


def test_a_plan_of_indicators_has_no_slide(make_workspace, cli):
    root = slides(make_workspace, cli)
    text = "".join(root.itertext())
    assert "synthetic plan of indicators" not in text and "city — synthetic plan" in text
    assert len([page for page in root if page.get("class") == "slide"]) == 1


def test_a_long_plan_takes_several_slides_of_at_most_rows_each(make_workspace, cli):
    files = {"kpitrack.toml": "", **{f"big/t{number:02}.toml": target_toml(title=f"synthetic: target {number}")
                                     + progress("2023-06-30", 100 * number) for number in range(ROWS + 3)}}
    root = slides(make_workspace, cli, files=files)
    pages = [page for page in root if page.get("class") == "slide"]
    assert len(pages) == 2
    counts = [len([row for row in page.iter(f"{SVG}g") if row.get("class") == "row"]) for page in pages]
    assert sum(counts) == ROWS + 3 and max(counts) <= ROWS
    assert "(1/2)" in "".join(pages[0].itertext()) and "(2/2)" in "".join(pages[1].itertext())


def test_shortened_cuts_at_a_space_or_beside_chinese_and_fits():
    assert shortened("short", 22, 600) == "short"
    latin = shortened("alpha beta gamma delta epsilon", 10, 100)
    assert latin == "alpha beta…" and text_width(latin, 10) <= 100
    chinese = shortened("新建和筹集保障性住房", 10, 60)
    assert chinese == "新建和筹集…" and text_width(chinese, 10) <= 60
    assert shortened("supercalifragilistic", 10, 60) == "supercalif…"  # one word too long: cut, not dropped
    assert shortened("Bao'an: total investment", 10, 130) == "Bao'an: total…"


def test_a_rows_figure_is_right_of_its_bar_and_its_mark(make_workspace, cli):
    checked = 0
    for row in slides(make_workspace, cli).iter(f"{SVG}g"):
        bar, mark = row.find(f"{SVG}rect"), row.find(f"{SVG}line")
        if bar is None or mark is None:
            continue
        figure = row.findall(f"{SVG}text")[1]
        end = float(bar.get("x")) + float(bar.get("width"))
        assert float(figure.get("x")) > max(end, float(mark.get("x1")) + 1.5)  # the mark's stroke is 3
        checked += 1
    assert checked >= 2  # firms (ahead of its mark) and slow (behind it)


def test_a_long_plan_title_is_shortened_and_keeps_its_slide_number(make_workspace, cli):
    plan = "synthetic plan " + "with a very long title " * 8
    files = {"kpitrack.toml": "", "big/plan.toml": f'title = "{plan.strip()}"\n',
             **{f"big/t{number:02}.toml": target_toml(title=f"synthetic: target {number}")
                + progress("2023-06-30", 100) for number in range(ROWS + 1)}}
    pages = [page for page in slides(make_workspace, cli, files=files) if page.get("class") == "slide"]
    headings = [page.find(f"{SVG}g") for page in pages]
    assert [heading.find(f"{SVG}title").text for heading in headings] == [f"big — {plan.strip()}"] * 2
    assert [heading.find(f"{SVG}text").text for heading in headings] == [
        shortened(f"big — {plan.strip()}", 30, 1520 - text_width(" (1/2)", 30)) + suffix for suffix in (" (1/2)", " (2/2)")]
    assert headings[0].find(f"{SVG}text").text.endswith("… (1/2)")
