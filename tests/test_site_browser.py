"""The site (`report --format site`) as a browser shows it: pages opened from file:// in headless
Chromium (the page's browser helpers of test_browser.py), the ledger the browser builds read back
and checked against `status --format json`, and nothing wider than a 375 px phone."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from helpers import SHIPPED_TARGETS, run
from test_browser import BROWSER, chromium, measured
from test_site import AS_OF, check_row, read, synthetic

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    BROWSER is None, reason="no chromium here: `apt-get install chromium fonts-noto-cjk` (.ci/run does it as root)")]


@pytest.fixture(scope="module", params=["shipped", "synthetic"])
def built(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"browser-{request.param}")
    root = SHIPPED_TARGETS if request.param == "shipped" else synthetic(folder / "ws")
    out = folder / "site"
    assert run(root, "report", "--as-of", AS_OF, "--format", "site", "--out", str(out)).exit_code == 0
    rows = json.loads(run(root, "status", "--as-of", AS_OF, "--format", "json", "--all").stdout,
                      parse_float=Decimal)["targets"]
    return request.param, out, {row["id"]: row for row in rows}


def opened(built) -> list:
    """Every page of the synthetic site; of the shipped one (a hundred pages, seconds each) the
    index, the plans and one target of each kind."""
    kind, out, rows = built
    pages = sorted(path for path in out.glob("*.html") if path.name.startswith(("index", "plan-", "target-")))
    if kind == "synthetic":
        return pages
    one_of_each = {row["kind"]: target_id for target_id, row in sorted(rows.items())}
    return [path for path in pages if not path.name.startswith("target-")] + [
        out / f"target-{target_id}.html" for target_id in one_of_each.values()]


def test_every_page_loads_from_file_urls_with_status_jsons_figures(built, tmp_path):
    _kind, out, rows = built
    for path in opened(built):
        dom = chromium(tmp_path, path, "--dump-dom").stdout
        assert "<h1>" in dom and "</footer>" in dom, path.name  # the browser built the whole page
        page = read(path, dom)
        for href in page.links:
            assert "://" in href or (out / href).is_file(), (path.name, href)
        for row in page.rows:
            if row.get("id"):
                check_row(row, rows[row["id"]])


@pytest.mark.parametrize("which", ["index", "plan-", "target-"])
def test_nothing_is_wider_than_a_phone(built, tmp_path, which):
    _kind, out, _rows = built
    pages = sorted(out.glob(f"{which}*.html"))
    page = max(pages, key=lambda path: path.stat().st_size)  # the one with the most in it
    dom = chromium(tmp_path, measured(page, 375), "--dump-dom", width=475).stdout
    width = int(dom.split('data-scroll-width="', 1)[1].split('"', 1)[0])
    assert width <= 375, f"{page.name} is {width} px wide on a 375 px screen"
