"""`kpitrack report` in every format (synthetic data)."""

import html.parser
import json
import xml.etree.ElementTree as ElementTree

from helpers import run


class Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_markdown_report_has_a_summary_and_table_per_folder_and_an_attention_list(three_targets):
    text = run(three_targets, "report", "--as-of", "2023-06-30").stdout
    assert text.startswith("# kpitrack report as of 2023-06-30\n")
    assert ("## other\n\n1 target: 1 done (1 done-early), 0 on-track, 0 at-risk, 0 behind, 0 no-data; "
            "100.00% on track (done or on-track)\n") in text
    assert ("## plan\n\n2 targets: 0 done, 1 on-track, 0 at-risk, 1 behind, 0 no-data; "
            "50.00% on track (done or on-track)\n") in text
    table_rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| ID")]
    assert [row.split(" | ")[0] for row in table_rows] == ["| finished", "| ahead", "| slow"]
    attention = text.split("## Needing attention\n", 1)[1]
    assert "\\(" not in attention and "- **slow: synthetic: new firms**\n  - behind (red, behind plan); 100 / 1,200" in attention
    assert "needs 181.96 firms a month to finish by 2023-12-31" in attention  # 1100 * 30.4375 / 184
    assert "2023-06-30: 100" in attention and "ahead" not in attention


def test_html_report_is_a_page_that_parses_and_holds_the_table(three_targets, tmp_path):
    out = tmp_path / "report.html"
    result = run(three_targets, "report", "--as-of", "2023-06-30", "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    parser = Collector()
    parser.feed(out.read_text(encoding="utf-8"))
    text = "".join(parser.text)
    assert {"html", "head", "body", "table", "thead", "td", "svg"} <= set(parser.tags)
    assert "slow" in text and "behind" in text and "Needing attention" in text
    assert "charset=\"utf-8\"" in out.read_text()


def test_svg_report_is_well_formed_xml(three_targets):
    result = run(three_targets, "report", "--as-of", "2023-06-30", "--format", "svg")
    root = ElementTree.fromstring(result.stdout)
    assert root.tag.endswith("svg")
    assert "Completion against time-elapsed progress" in "".join(root.itertext())


def test_json_and_csv_reports(three_targets):
    document = json.loads(run(three_targets, "report", "--as-of", "2023-06-30", "--format", "json").stdout)
    assert document["groups"][1] == {"group": "plan", "targets": 2, "counts": {
        "not-started": 0, "done": 0, "on-track": 1, "at-risk": 0, "behind": 1, "overdue": 0, "no-data": 0, "tracked": 0},
        "stale": 0, "on_track_share": 50}
    assert document["attention"] == ["slow"]
    assert len(run(three_targets, "report", "--as-of", "2023-06-30", "--format", "csv").stdout.splitlines()) == 4


def test_report_out_replaces_the_file_whole(three_targets, tmp_path):
    out = tmp_path / "report.md"
    out.write_text("old report that is much longer than the new one " * 1000)
    assert run(three_targets, "report", "--as-of", "2023-06-30", "--out", str(out)).exit_code == 0
    assert out.read_text().startswith("# kpitrack report") and "old report" not in out.read_text()
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_report_out_into_a_missing_folder_is_one_clear_line(three_targets, tmp_path):
    result = run(three_targets, "report", "--out", str(tmp_path / "no" / "such" / "report.md"))
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("report.md: cannot write: No such file or directory; nothing was written")
