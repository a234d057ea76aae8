"""The leader's copy carries the 未报送 section (issue 27, item 5): `report --missing` adds, per
responsible unit, the targets with no figure for the last ended period of their cadence, the same
rows `status --missing` prints, in Markdown, JSON, the page and the Word document. Synthetic targets."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from helpers import run, target_toml, write, progress


def workspace(root):
    """A monthly target of 区住建局 with a June figure and none dated in July; one that reported July."""
    write(root / "kpitrack.toml", 'cadence = "monthly"\n')
    for name, entries in (("june", progress("2025-06-30", 600)),
                          ("july", progress("2025-06-30", 500) + progress("2025-07-31", 700))):
        write(root / f"{name}.toml", target_toml(title=f"synthetic: {name}", start="2025-01-01", due="2025-12-31")
              .replace('unit = "firms"', 'unit = "firms"\nowner = "区住建局"') + entries)
    return root


class Text(HTMLParser):
    """The page's visible text, one string per text node."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        if data.strip():
            self.parts.append(data.strip())


def section_after(lines: list[str], heading: str) -> list[str]:
    """The lines from the first that starts with `heading` on."""
    start = next(number for number, line in enumerate(lines) if line.startswith(heading))
    return lines[start:]


def test_report_missing_in_markdown_and_json_names_the_target_under_its_unit(tmp_path):
    root = workspace(tmp_path)
    data = json.loads(run(root, "report", "--missing", "--as-of", "2025-08-05", "--format", "json").stdout)
    assert [(row["owner"], [target["id"] for target in row["targets"]]) for row in data["missing"]] \
        == [("区住建局", ["june"])]
    status = json.loads(run(root, "status", "--missing", "--as-of", "2025-08-05", "--format", "json").stdout)
    assert data["missing"] == status["missing"]  # the same rows status --missing prints
    markdown = run(root, "report", "--missing", "--as-of", "2025-08-05").stdout
    section = "\n".join(section_after(markdown.splitlines(), "## Not reported for the last period"))
    assert section.index("### 区住建局") < section.index("| june |") and "| july |" not in section
    assert "Not reported" not in run(root, "report", "--as-of", "2025-08-05").stdout  # only when asked


def test_report_missing_on_the_page_and_in_the_word_document(tmp_path):
    import docx

    root = workspace(tmp_path)
    page, document = tmp_path / "report.html", tmp_path / "report.docx"
    for output, path in (("html", page), ("docx", document)):
        result = run(root, "report", "--missing", "--as-of", "2025-08-05", "--format", output, "--out", str(path))
        assert result.exit_code == 0, result.output
    parser = Text()
    parser.feed(page.read_text(encoding="utf-8"))
    paragraphs = [paragraph.text for paragraph in docx.Document(str(document)).paragraphs if paragraph.text.strip()]
    for lines in (parser.parts, paragraphs):
        section = section_after(lines, "Not reported for the last period")
        assert section[1] == "区住建局" and section[2].startswith("june synthetic: june: 2025-07"), section[:3]
        assert not any(line.startswith("july ") for line in section)


@pytest.mark.parametrize("output", ["csv", "svg", "xlsx", "site"])
def test_report_missing_is_refused_in_one_line_where_no_section_fits(tmp_path, output):
    root = workspace(tmp_path)
    result = run(root, "report", "--missing", "--as-of", "2025-08-05", "--format", output, "--out",
                 str(tmp_path / "out"))
    assert result.exit_code == 2 and "--missing are for markdown, json, html and docx" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
