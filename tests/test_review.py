"""Review (issue 27, item 4): `report --since DATE` lists per unit the figures received and
revised since the date, old → new, read from git's history of the target files. Synthetic data."""

from __future__ import annotations

import json
import os
import subprocess

from helpers import progress, run, target_toml, write


def git(folder, *arguments, when="2025-07-01T09:00:00"):
    environment = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *arguments], cwd=folder, check=True, capture_output=True, env=environment)


def owned(owner, extra=""):
    return target_toml(start="2025-01-01", due="2025-12-31").replace(
        'unit = "firms"', f'unit = "firms"\nowner = "{owner}"') + extra


def test_report_since_lists_figures_received_and_revised_with_old_and_new(tmp_path):
    git(tmp_path, "init", "-q")
    for setting in (["user.name", "Synthetic"], ["user.email", "s@example.org"], ["commit.gpgsign", "false"]):
        git(tmp_path, "config", *setting)
    write(tmp_path / "kpitrack.toml", 'cadence = "monthly"\n')
    write(tmp_path / "a.toml", owned("区住建局", progress("2025-05-31", 500)))
    write(tmp_path / "b.toml", owned("区发改局", progress("2025-06-30", 300)))
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "June", when="2025-07-01T09:00:00")
    write(tmp_path / "a.toml", owned("区住建局", progress("2025-05-31", 520) + progress("2025-07-31", 700)))
    git(tmp_path, "commit", "-qam", "July", when="2025-08-03T09:00:00")
    result = run(tmp_path, "report", "--since", "2025-08-01", "--as-of", "2025-08-05", "--format", "json")
    assert result.exit_code == 0, result.output
    units = json.loads(result.stdout)["received"]
    assert units == [{"owner": "区住建局", "figures": [
        {"id": "a", "title": "synthetic: new firms", "unit": "firms", "change": "revised", "date": "2025-05-31",
         "old": "500", "new": "520"},
        {"id": "a", "title": "synthetic: new firms", "unit": "firms", "change": "received", "date": "2025-07-31",
         "old": None, "new": "700"}]}]
    markdown = run(tmp_path, "report", "--since", "2025-08-01", "--as-of", "2025-08-05").stdout
    assert "### 区住建局" in markdown and "2025-05-31 500 → 520 firms (revised)" in markdown
    assert "2025-07-31 700 firms (received)" in markdown and "区发改局" not in markdown.split("received and revised")[1]


def test_the_page_and_the_word_document_carry_the_figures_received_and_the_by_owner_section(tmp_path):
    """issue 27, items 4 and 5: the leader's copy carries the since and by-owner sections."""
    import io

    from docx import Document

    git(tmp_path, "init", "-q")
    for setting in (["user.name", "Synthetic"], ["user.email", "s@example.org"], ["commit.gpgsign", "false"]):
        git(tmp_path, "config", *setting)
    write(tmp_path / "a.toml", owned("区住建局", progress("2025-05-31", 500)))
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "June", when="2025-07-01T09:00:00")
    write(tmp_path / "a.toml", owned("区住建局", progress("2025-05-31", 520) + progress("2025-07-31", 700)))
    arguments = ("report", "--since", "2025-08-01", "--as-of", "2025-08-05", "--by", "owner")
    page = run(tmp_path, *arguments, "--format", "html")
    assert page.exit_code == 0, page.output
    assert "<h3>区住建局</h3>" in page.stdout and "2025-05-31 500 → 520 firms (revised)" in page.stdout
    assert "2025-07-31 700 firms (received)" in page.stdout and "By owner" in page.stdout
    result = run(tmp_path, *arguments, "--format", "docx", "--out", str(tmp_path / "r.docx"))
    assert result.exit_code == 0, result.output
    text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO((tmp_path / "r.docx").read_bytes())).paragraphs)
    assert "2025-05-31 500 → 520 firms (revised)" in text and "2025-07-31 700 firms (received)" in text
    chinese = run(tmp_path, "--lang", "zh", *arguments, "--format", "html").stdout
    assert "按责任单位" in chinese and "2025-05-31 500 → 520firms（数据修订）" in chinese


def test_the_by_owner_line_and_the_word_summary_separate_in_the_documents_language(tmp_path):
    """English reads `targets 1; red 0`, Chinese `指标数 1；红灯 0`: the separator is a word too."""
    import io

    from docx import Document

    write(tmp_path / "a.toml", owned("区住建局", progress("2025-05-31", 500)))
    for lang, separator, other in (("en", "; ", "；"), ("zh", "；", "; ")):
        arguments = ("--lang", lang, "report", "--as-of", "2025-08-05", "--by", "owner")
        page = run(tmp_path, *arguments, "--format", "html").stdout
        line = next(line for line in page.splitlines() if "<li>" in line)
        assert separator in line and other not in line, line
        assert run(tmp_path, *arguments, "--format", "docx", "--out", str(tmp_path / "r.docx")).exit_code == 0
        paragraphs = [paragraph.text for paragraph in Document(io.BytesIO((tmp_path / "r.docx").read_bytes())).paragraphs]
        summary = next(text for text in paragraphs if text.count(separator.strip()) >= 3)
        assert other.strip() not in summary, summary


def test_outside_git_a_fix_and_an_import_revision_are_listed_old_to_new(tmp_path):
    """Outside git the journal is all there is: a fix and an import's revision are listed with their
    date and old → new figures (they were listed as the command, `fix a --date …`), `undo` names the
    command as typed, and the report says the figures received cannot be known (it said none came)."""
    from datetime import date

    write(tmp_path / "kpitrack.toml", "")
    write(tmp_path / "a.toml", owned("区住建局", progress("2025-05-31", 500) + progress("2025-06-30", 600, total=True)))
    assert run(tmp_path, "fix", "a", "520", "--date", "2025-05-31").exit_code == 0
    write(tmp_path / "rows.csv", "id,date,value,total\na,2025-06-30,650,true\n")
    assert run(tmp_path, "import", str(tmp_path / "rows.csv")).exit_code == 0
    today = date.today().isoformat()
    document = json.loads(run(tmp_path, "report", "--since", today, "--as-of", "2025-08-05", "--format", "json").stdout)
    figures = [(row["date"], row["old"], row["new"]) for unit in document["received"] for row in unit["figures"]]
    assert sorted(figures) == [("2025-05-31", "500", "520"), ("2025-06-30", "600", "650")]
    markdown = run(tmp_path, "report", "--since", today, "--as-of", "2025-08-05").stdout
    assert "(2025-05-31: 500 → 520)" in markdown and "(2025-06-30: 600 → 650)" in markdown  # the changes section
    assert "not in a git repository" in markdown and "2025-05-31 500 → 520 firms (revised)" in markdown
    assert run(tmp_path, "undo").exit_code == 0
    undone = run(tmp_path, "undo")
    assert "fix a 520 --date 2025-05-31" in undone.output, undone.output


def test_figures_received_are_worded_as_every_entry_list_words_them(tmp_path):
    """`--since` showed 近700 as 700, a node plan's entry as a bare `done` (English under zh), and
    did not see 700 become 近700 as a revision; JSON keeps the digits and codes for scripts."""
    git(tmp_path, "init", "-q")
    for setting in (["user.name", "Synthetic"], ["user.email", "s@example.org"], ["commit.gpgsign", "false"]):
        git(tmp_path, "config", *setting)
    write(tmp_path / "a.toml", owned("区住建局", progress("2025-05-31", 500)))
    bridge = ('# synthetic test data\ntitle = "synthetic bridge"\nkind = "milestone"\nowner = "区交通局"\n'
              'start = 2025-01-01\ndue = 2025-12-31\n\n[[node]]\nname = "开工"\ndue = 2025-03-31\n\n'
              '[[node]]\nname = "完工"\ndue = 2025-12-31\n')
    write(tmp_path / "bridge.toml", bridge)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "June", when="2025-07-01T09:00:00")
    write(tmp_path / "a.toml", owned("区住建局", progress("2025-05-31", 500).replace("value = 500", 'value = 500\nqualifier = "nearly"')
                                     + progress("2025-07-31", 1700)))
    write(tmp_path / "bridge.toml", bridge + '\n[[progress]]\ndate = 2025-07-20\nnode = "开工"\ndone = true\n')
    git(tmp_path, "commit", "-qam", "July", when="2025-08-03T09:00:00")
    markdown = run(tmp_path, "--lang", "zh", "report", "--since", "2025-08-01", "--as-of", "2025-08-05").stdout
    assert "2025-05-31 500 → 近500firms（数据修订）" in markdown and "2025-07-31 1,700firms（新报送）" in markdown, markdown
    assert "2025-07-20 开工 已完成" in markdown and " done" not in markdown
    units = json.loads(run(tmp_path, "report", "--since", "2025-08-01", "--as-of", "2025-08-05", "--format", "json").stdout)["received"]
    figures = {(figure["id"], figure["date"]): (figure["old"], figure["new"]) for unit in units for figure in unit["figures"]}
    assert figures == {("a", "2025-05-31"): ("500", "500"), ("a", "2025-07-31"): (None, "1700"),
                       ("bridge", "2025-07-20"): (None, "done")}
