"""Regenerate the README's screenshots from the shipped workspace with headless Chromium:

    python docs/screenshots.py

Run it in the same change as any change to the page's template (src/kpitrack/templates/page.html.j2)
or style, and commit the pictures: docs/report-1280.png, docs/report-375.png (the page on a desktop
and on a phone) and docs/report-charts-1280.png (the charts of the targets needing attention).
Needs chromium (or chromium-browser, or $CHROMIUM) and a CJK font (Debian: fonts-noto-cjk)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2024-06-30"
# (picture, window width, window height, what is shown): the whole page, or its charts alone.
SHOTS = (("report-1280.png", 1280, 1500, "page"), ("report-375.png", 375, 1800, "page"),
         ("report-charts-1280.png", 1280, 900, "charts"))
# The charts alone: the page with everything but the first plan's attention figures hidden.
CHARTS_ONLY = ("<style>header, .summary, table.ledger, h2, footer, .plan ~ .plan { display: none; }"
               " body { padding-top: .5rem; }</style></head>")


def browser() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        sys.exit("no chromium: apt-get install chromium fonts-noto-cjk (or set CHROMIUM=/path/to/chrome)")
    return found


def main() -> None:
    chromium = browser()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        page = folder / "报告.html"
        subprocess.run([sys.executable, "-m", "kpitrack", "--dir", str(ROOT / "targets"), "report", "--as-of",
                        AS_OF, "--format", "html", "--lang", "zh", "--out", str(page)], check=True)
        charts = folder / "charts.html"
        charts.write_text(page.read_text(encoding="utf-8").replace("</head>", CHARTS_ONLY, 1), encoding="utf-8")
        for name, width, height, shown in SHOTS:
            command = [chromium, "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                       "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                       f"--user-data-dir={folder / 'profile'}", f"--window-size={width},{height}",
                       f"--screenshot={ROOT / 'docs' / name}", (page if shown == "page" else charts).as_uri()]
            if os.name == "posix" and os.geteuid() == 0:
                command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
            subprocess.run(command, check=True, capture_output=True)
            print(f"docs/{name}: {width}×{height}")


if __name__ == "__main__":
    main()
