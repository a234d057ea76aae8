"""`report --format site --out DIR`: the whole record as a folder of pages (issue 25, item 7). Every
page is read back with html.parser: every relative link leads to a page written, every figure is
`status --format json`'s for the same as-of, nothing untrusted reaches the page unescaped, and the
folder rule (new, empty, or an earlier site) keeps the user's files. The shipped targets/ and a
synthetic workspace (made-up figures) are both built."""

from __future__ import annotations

import html.parser
import json
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from test_agreement import judged
from helpers import SHIPPED_TARGETS, milestone_toml, one_error_line, progress, target_toml, write

AS_OF = "2023-06-30"
HOSTILE = "<script>alert('title')</script> & <u>"

# Synthetic: every kind of target, a roll-up, a target at the root, a nested folder, a Chinese
# folder name, a hostile title and hostile sources; all figures made up.
SYNTHETIC = {
    "kpitrack.toml": "",
    "city/plan.toml": 'title = "synthetic plan <i>city</i>"\nsource = "see https://example.org/plan?a=1&b=2."\n',
    "city/firms.toml": target_toml(title=HOSTILE) + progress("2023-03-31", 300)
    + 'source = "javascript:alert(1)"\n' + progress("2023-06-30", 200) + 'source = "https://example.org/x?a=1&b=\\"2\\""\n',
    "city/bridge.toml": milestone_toml(),
    "city/sum.toml": target_toml(title="synthetic: sum of parts", extra='parts = ["north", "south"]\n'),
    "city/north.toml": target_toml(title="synthetic: north", target=600) + progress("2023-06-30", 100),
    "city/south.toml": target_toml(title="synthetic: south", target=600) + progress("2023-06-30", 500),
    "2024/district/growth.toml": target_toml(title="synthetic: growth", target=6, unit="%", extra='kind = "growth"\n')
    + progress("2023-06-30", "4.1"),
    "2024/district/reading.toml": target_toml(title="synthetic: reading", target=None, unit="%", extra='kind = "indicator"\n')
    + progress("2023-06-30", "3.2"),
    "区县/housing.toml": target_toml(title="synthetic: 住房", unit="套") + progress("2023-05-31", 650, total=True),
    "loose.toml": target_toml(title="synthetic: at the root"),
}


class Page(html.parser.HTMLParser):
    """One page read back: its links, its ledger rows ({data-label: text}, with the row's id), the
    summary counts by their word, and every tag's attributes (to look for anything executable)."""

    def __init__(self):
        super().__init__()
        self.links, self.rows, self.counts, self.tags = [], [], [], []
        self.cell = self.count = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "a":
            self.links.append(attrs.get("href"))
        elif tag == "tr":
            self.rows.append({})
        elif tag == "td" and "data-label" in attrs:
            self.cell = attrs["data-label"]
            self.rows[-1][self.cell] = ""
        elif tag == "div" and attrs.get("class") == "id" and self.cell:
            self.cell = "id"
            self.rows[-1]["id"] = ""
        elif tag == "li" and attrs.get("class", "").startswith("status "):
            self.count = []

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None
        elif tag == "li" and self.count is not None:  # <b>count</b><span class="light"></span>word
            self.counts.append((self.count[0], "".join(self.count[1:]).strip()))
            self.count = None

    def handle_data(self, data):
        if self.cell:
            self.rows[-1][self.cell] += data
        if self.count is not None:
            self.count.append(data)


def read(path: Path, text: str | None = None) -> Page:
    """A page of the site read back (or `text`, what a browser made of it)."""
    page = Page()
    page.feed(path.read_text(encoding="utf-8") if text is None else text)
    return page


def build(cli, root: Path, out: Path, *more: str):
    result = cli(root, "report", "--as-of", AS_OF, "--format", "site", "--out", str(out), *more)
    assert result.exit_code == 0, result.output
    return result


def synthetic(folder: Path) -> Path:
    for name, text in SYNTHETIC.items():
        write(folder / name, text)
    return folder


@pytest.fixture(scope="module", params=[pytest.param("shipped", marks=pytest.mark.slow), "synthetic"])
def site(request, tmp_path_factory):
    """(workspace, the site's folder, status --format json's rows) for the shipped and the synthetic
    workspace: built once for the module (the shipped site draws a hundred charts)."""
    from helpers import run

    folder = tmp_path_factory.mktemp(request.param)
    root = SHIPPED_TARGETS if request.param == "shipped" else synthetic(folder / "ws")
    out = folder / "site"
    result = run(root, "report", "--as-of", AS_OF, "--format", "site", "--out", str(out))
    assert result.exit_code == 0, result.output
    result = run(root, "status", "--as-of", AS_OF, "--format", "json", "--all")
    return root, out, json.loads(result.stdout, parse_float=Decimal)["targets"]


def number_in(cell: str) -> Decimal | None:
    found = re.search(r"-?[\d,]+(?:\.\d+)?", cell)
    return Decimal(found.group().replace(",", "")) if found else None


def check_row(row: dict[str, str], target: dict) -> None:
    """A ledger row of a page holds status --format json's figures for its target."""
    assert judged(row["Status"], target), (target["id"], row["Status"])  # its light, class and status words
    if target["status"] == "not-started":  # no share or gap before its start, where the JSON gives 0
        target = {**target, "completion": None, "planned": None, "lag": None}
    completion = (f"{target['completion']}%" if target["completion"] is not None
                  else f"{target['gap']:+} pt" if target["gap"] is not None
                  else f"Δ{target['change']:+}" if target["change"] is not None else "—")
    assert row["Completion"] == completion, target["id"]
    assert row["Time-elapsed progress"] == (f"{target['planned']}%" if target["planned"] is not None else "—")
    assert row["Progress gap"] == (f"{-target['lag']:+}" if target["lag"] is not None else "—")
    milestone = target["kind"] == "milestone"  # its ledger row shows neither a target value nor a figure
    assert number_in(row["Target value"]) == (None if milestone else target["target"]), target["id"]
    shown = target["current"] if not milestone and target["last_update"] else None
    assert number_in(row["Completed to date"]) == shown, target["id"]


def test_every_link_leads_to_a_page_written_and_every_page_is_linked(site):
    _root, out, targets = site
    pages = {path.name for path in out.glob("*.html")}
    assert pages == {"index.html", *(f"target-{target['id']}.html" for target in targets)} | {
        name for name in pages if name.startswith("plan-")}
    reached = {"index.html"}
    for name in pages:
        for href in read(out / name).links:
            parts = urlsplit(href)
            if parts.scheme:  # a source's web address
                assert parts.scheme in ("http", "https"), href
                continue
            assert not parts.netloc and not href.startswith("/"), f"{name}: {href} is not relative"
            assert (out / unquote(parts.path)).is_file(), f"{name} links to {href}, which was not written"
            reached.add(unquote(parts.path))
    assert reached == pages  # nothing unreachable from the index


def test_every_page_holds_the_figures_of_status_json(site):
    _root, out, targets = site
    by_id = {target["id"]: target for target in targets}
    for target in targets:
        rows = [row for row in read(out / f"target-{target['id']}.html").rows if row.get("id")]
        assert [row["id"] for row in rows] == [target["id"]]
        check_row(rows[0], target)
    plans = sorted(out.glob("plan-*.html"))
    seen = []
    for path in plans:
        for row in read(path).rows:
            if row.get("id"):
                check_row(row, by_id[row["id"]])
                seen.append(row["id"])
    assert sorted(seen) == sorted(by_id)  # each target on exactly one plan page
    index = read(out / "index.html")
    counted: dict[str, int] = {}
    for count, word in index.counts:
        counted[word] = counted.get(word, 0) + int(count)
    # the counts say what the rows' status cells say: how a target ended once it has, else its status
    said = [("exceeded" if (target["exceeded_points"] or 0) > 0 else target["verdict"] or target["status"])
            for target in targets]
    done = {"exceeded", "done-early", "on-time", "done-late", "done"}
    by_code: dict[str, int] = {}
    for word, count in counted.items():  # `done (26 on-time)` on one plan, `done` (0) on another
        by_code[word.split(" (")[0]] = by_code.get(word.split(" (")[0], 0) + count
    stale = by_code.pop("stale", 0)
    assert stale == sum(1 for target in targets if target["stale"])
    for code, count in by_code.items():
        assert count == sum(1 for cell in said if (cell in done if code == "done" else cell == code)), (code, by_code)
    assert sum(by_code.values()) == len(targets), by_code


def test_the_site_follows_its_folders_plans(cli, make_workspace, tmp_path):
    root = make_workspace(SYNTHETIC)
    out = tmp_path / "site"
    build(cli, root, out)
    names = sorted(path.name for path in out.glob("plan-*.html"))
    assert "plan-city.html" in names and "plan-2024.district.html" in names and "plan-_root.html" in names
    assert any(re.fullmatch(r"plan-_[0-9a-f]{16}\.html", name) for name in names)  # 区县: by digest
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/plan?a=1&amp;b=2">' in index  # the plan's source, the full stop left out


def test_untrusted_titles_and_sources_are_escaped_and_only_web_addresses_are_links(cli, make_workspace, tmp_path):
    root = make_workspace(SYNTHETIC)
    out = tmp_path / "site"
    build(cli, root, out)
    for path in out.glob("*.html"):
        page = read(path)
        assert not [tag for tag, _ in page.tags if tag in ("script", "u", "i", "iframe")], path.name
        assert not [attrs for _, attrs in page.tags for name in attrs if name.startswith("on")], path.name
        for href in page.links:
            assert not href.lower().startswith(("javascript:", "data:", "file:")), (path.name, href)
    text = (out / "target-firms.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; &lt;u&gt;" in text
    assert "javascript:alert(1)</td>" in text  # shown as text, never a link
    assert '<a href="https://example.org/x?a=1&amp;b=">https://example.org/x?a=1&amp;b=</a>&#34;2&#34;' in text


def test_without_out_it_is_refused_in_one_line_naming_out(cli, tmp_path):
    line = one_error_line(cli(SHIPPED_TARGETS, "report", "--as-of", AS_OF, "--format", "site"))
    assert "--out" in line and "folder" in line


def test_a_folder_of_someone_elses_files_is_refused_and_left_as_it_was(cli, tmp_path):
    out = tmp_path / "www"
    write(out / "index.html", "the user's own page")
    line = one_error_line(cli(SHIPPED_TARGETS, "report", "--as-of", AS_OF, "--format", "site", "--out", str(out)))
    assert ".kpitrack-site" in line and "nothing was written" in line
    assert [path.name for path in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text() == "the user's own page"


def test_the_folder_refusals_speak_chinese(cli, tmp_path):
    out = tmp_path / "www"
    write(out / "index.html", "the user's own page")
    line = one_error_line(cli(SHIPPED_TARGETS, "--lang", "zh", "report", "--as-of", AS_OF, "--format", "site",
                              "--out", str(out)))
    assert ".kpitrack-site" in line and "未写入任何内容" in line and "nothing" not in line, line
    line = one_error_line(cli(SHIPPED_TARGETS, "--lang", "zh", "report", "--as-of", AS_OF, "--format", "site",
                              "--out", str(out / "index.html")))
    assert "不是文件夹" in line, line


def test_a_file_or_a_missing_parent_is_refused(cli, tmp_path):
    plain = write(tmp_path / "notes.txt", "keep")
    assert "not a folder" in one_error_line(cli(SHIPPED_TARGETS, "report", "--format", "site", "--out", str(plain)))
    assert plain.read_text() == "keep"
    missing = tmp_path / "no" / "such"
    assert "parent folder" in one_error_line(cli(SHIPPED_TARGETS, "report", "--format", "site", "--out", str(missing)))
    assert not (tmp_path / "no").exists()


def test_the_workspace_itself_is_refused(cli, make_workspace):
    root = make_workspace(SYNTHETIC)
    before = sorted(path.name for path in root.iterdir())
    one_error_line(cli(root, "report", "--as-of", AS_OF, "--format", "site", "--out", str(root)))
    assert sorted(path.name for path in root.iterdir()) == before


def test_an_earlier_site_is_rewritten_its_gone_pages_removed_and_the_users_files_kept(cli, make_workspace, tmp_path):
    root = make_workspace(SYNTHETIC)
    out = tmp_path / "site"
    build(cli, root, out)
    write(out / "notes.txt", "the user's own notes")
    write(out / "target-kept.html", "a page the user put here")
    write(out / "target-loose.html", "the user replaced this page")  # listed by the marker, no longer kpitrack's
    (root / "city" / "bridge.toml").unlink()
    (root / "loose.toml").unlink()
    build(cli, root, out)
    assert not (out / "target-bridge.html").exists()  # the target is gone, and so is its page
    assert (out / "notes.txt").read_text() == "the user's own notes"
    assert (out / "target-kept.html").read_text() == "a page the user put here"
    assert (out / "target-loose.html").read_text() == "the user replaced this page"
    build(cli, root, out, "--group", "city")  # a smaller site: the other plans' pages go
    assert not (out / "target-growth.html").exists() and not (out / "plan-2024.district.html").exists()
    assert (out / "notes.txt").exists() and (out / "target-kept.html").exists()
    assert (out / "target-firms.html").exists() and (out / "index.html").exists()


def test_a_link_planted_in_an_earlier_site_is_not_written_through(cli, make_workspace, tmp_path):
    root = make_workspace(SYNTHETIC)
    out = tmp_path / "site"
    build(cli, root, out)
    victim = write(tmp_path / "victim.txt", "keep me")
    (out / "target-loose.html").unlink()
    (out / "target-loose.html").symlink_to(victim)
    before = {path.name: path.lstat().st_ino for path in out.iterdir()}  # a page replaced is a new file
    result = cli(root, "report", "--as-of", AS_OF, "--format", "site", "--out", str(out))
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert victim.read_text() == "keep me"
    assert {path.name: path.lstat().st_ino for path in out.iterdir()} == before  # nothing written


def test_the_site_is_written_a_page_at_a_time_each_target_let_go_once_its_page_is_written(tmp_path, monkeypatch):
    """The site is never held whole (issue 26: 1,000 targets' pages and their decoded entries were
    over 100 MiB): each page is drawn when its writer asks, written before the next is drawn, and
    a target's entries decoded from the cache are forgotten once its page is written."""
    import os
    from datetime import date

    from kpitrack.files.stored import StoredEntries
    from kpitrack.files.workspace import load_workspace
    from kpitrack.formats.site import INDEX, report_site_of, target_file
    from kpitrack.reports import build
    from kpitrack.writing import site as writing

    root, out = synthetic(tmp_path / "ws"), tmp_path / "site"
    cache = tmp_path / "cache"
    for path in root.rglob("*.toml"):  # older than a file the cache takes for racily clean (files/cache.py)
        os.utime(path, ns=(path.stat().st_mtime_ns - 10**10,) * 2)
    for _ in range(2):  # the cache written, its entries at the second read, then read from
        for target in load_workspace(root, cache).targets:
            tuple(target.entries)
    report = build.build_report(load_workspace(root, cache), date.fromisoformat(AS_OF))
    let_go, forgotten = build.let_go, []

    def recorded(target):
        let_go(target)
        forgotten.append(target.id)
        assert isinstance(target.entries, StoredEntries)  # the cache's entries, forgotten (read again if asked)
        assert not target.entries or target.entries._entries is None
    monkeypatch.setattr(build, "let_go", recorded)
    site = report_site_of(report, "en")
    drawn = []

    def pages():
        for name, text in site:
            assert all((out / before).is_file() for before in drawn)  # every page before it written
            assert forgotten == [target.id for target, _figures in report.items
                                 if target_file(target.id) in drawn]  # and its target let go
            drawn.append(name)
            yield name, text
    writing.write_site(out, site.names, pages(), root)
    assert sorted(drawn) == sorted(site.names) and drawn[-1] == INDEX and len(forgotten) == len(report.items)
    assert (out / writing.MARKER).read_text(encoding="utf-8").splitlines()[1:] == sorted(site.names)
    assert all(target.entries == target.entries for target, _figures in report.items)  # read again
    monkeypatch.undo()  # the same pages as a run of the command
    again = tmp_path / "again"
    from helpers import run
    assert run(root, "report", "--as-of", AS_OF, "--format", "site", "--out", str(again)).exit_code == 0
    assert {path.name: path.read_bytes() for path in again.iterdir()} == {
        path.name: path.read_bytes() for path in out.iterdir()}


def test_a_page_the_site_did_not_name_is_not_written_and_the_folder_stays_a_site(tmp_path):
    """The marker names every page before the first is written: a page drawn under another name
    (a bug) is refused, and the folder still holds a site whose pages the marker lists."""
    from kpitrack.domain.errors import KpitrackError
    from kpitrack.writing import site as writing

    out = tmp_path / "site"
    pages = iter([("index.html", '<meta name="generator" content="kpitrack">'),
                  ("other.html", '<meta name="generator" content="kpitrack">')])
    with pytest.raises(KpitrackError, match="not among the pages"):
        writing.write_site(out, ["index.html"], pages, tmp_path / "ws")
    assert sorted(path.name for path in out.iterdir()) == [writing.MARKER, "index.html"]
    assert writing.previous_pages(out) == ["index.html"]
