"""The later commands speak the chosen language too (issue 11's leftovers): `add`'s refusals at the
door and `import`'s row errors in Chinese under `--lang zh` (or KPITRACK_LANG, or `language` in
kpitrack.toml), in English under `--lang en`. Synthetic figures."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from helpers import TARGET_TOML, progress, snapshot, write
from kpitrack.cli import app

ENGLISH_LOCALE = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8", "KPITRACK_LANG": None}


def run(root, *args, language: str | None = "zh", **env):
    chosen = ["--lang", language] if language else []
    return CliRunner().invoke(app, [*chosen, "--dir", str(root), *args], env={**ENGLISH_LOCALE, **env})


@pytest.fixture
def firms(tmp_path):
    write(tmp_path / "firms.toml",
          TARGET_TOML + progress("2023-03-31", 200) + progress("2023-06-30", 700, total=True))
    return tmp_path


DOOR = [  # (arguments of add, Chinese, English)
    (("200", "--date", "2023-03-31"), "已记录一条相同的记录", "an identical entry (200) is already recorded"),
    (("720", "--total", "--date", "2023-06-30"), "请用 `kpitrack fix firms --date 2023-06-30 VALUE --total`",
     "to correct it, use `kpitrack fix firms --date 2023-06-30 VALUE --total`"),
    (("650", "--total", "--date", "2023-07-31"), "累计值 650 低于上一个累计值 700（2023-06-30）",
     "the running total 650 is below the previous total 700 (2023-06-30)"),
    (("36421", "--total", "--date", "2023-08-31"),
     "超过目标值 1200 firms 的 5 倍；是否计量单位有误？如确无误，请加 --force 添加",
     "more than 5× the target 1200 firms; a figure in the wrong unit? Add it with --force if it is right"),
    (("done", "--date", "2023-08-31"), "`done` 只用于节点类指标；这是累计类指标：请填写数值",
     "`done` is only for milestones; this is a cumulative target: give a value"),
]


@pytest.mark.parametrize("arguments, chinese, english", DOOR)
def test_add_refuses_at_the_door_in_the_chosen_language(firms, arguments, chinese, english):
    before = snapshot(firms)
    result = run(firms, "add", "firms", *arguments)
    assert result.exit_code == 2 and chinese in result.stderr, result.output
    assert "firms.toml: " in result.stderr  # still names the file
    result = run(firms, "add", "firms", *arguments, language="en")
    assert result.exit_code == 2 and english in result.stderr, result.output
    assert snapshot(firms) == before


def test_kpitrack_lang_and_the_workspace_setting_choose_chinese_for_the_door_too(firms):
    result = run(firms, "add", "firms", "200", "--date", "2023-03-31", language=None, KPITRACK_LANG="zh")
    assert "已记录一条相同的记录" in result.stderr, result.output
    write(firms / "kpitrack.toml", 'language = "zh"\n')
    result = run(firms, "add", "firms", "200", "--date", "2023-03-31", language=None)
    assert "已记录一条相同的记录" in result.stderr, result.output


def test_validate_warns_of_duplicates_in_the_chosen_language(tmp_path):
    write(tmp_path / "dup.toml", TARGET_TOML + progress("2023-03-31", 120) * 2)
    assert "与第 8 行的记录相同，被重复计算" in run(tmp_path, "validate").output
    assert "identical to the entry at line 8; counted twice" in run(tmp_path, "validate", language="en").output


IMPORT_ROWS = [  # (the CSV file, Chinese, English)
    ("id,date,value\nfrims,2023-09-30,10\n", "没有指标 'frims'；是否指 'firms'？",
     "no target 'frims'; did you mean 'firms'?"),
    ("id,date,value\nfirms,2023-09-30,90000\n", "如确无误，请加 --force 导入", "Import with --force if it is right"),
    ("id,date,value,total\nfirms,2023-09-30,10,maybe\n", "'maybe' 既不是“是”也不是“否”",
     "'maybe' is neither true nor false"),
    ("id,date,value\nfirms,2023-09-30,10,20\n", "4 个单元格对应 3 列",
     "4 cells under 3 columns"),
    ("id,date,value,amount\nfirms,2023-09-30,10,1\n", "未知的列 'amount'；可用的列：id, date",
     "unknown column 'amount'; allowed: id, date"),
]


@pytest.mark.parametrize("text, chinese, english", IMPORT_ROWS)
def test_import_names_bad_rows_in_the_chosen_language(firms, tmp_path, text, chinese, english):
    csv_file = write(tmp_path / "rows.csv", text)
    before = snapshot(firms)
    result = run(firms, "import", str(csv_file))
    assert result.exit_code == 2 and chinese in result.stderr, result.output
    assert "rows.csv:2: " in result.stderr or "rows.csv:1: " in result.stderr  # names the file and line
    result = run(firms, "import", str(csv_file), language="en")
    assert result.exit_code == 2 and english in result.stderr, result.output
    assert snapshot(firms) == before


# fix, remove, undo and log

CORRECTIONS = [  # (arguments, Chinese on stdout or stderr, English)
    (("fix", "firms", "250", "--date", "2023-03-31"), "已更正", "fixed"),
    (("fix", "firms", "250", "--date", "2023-04-30"),
     "firms 中没有 2023-04-30 的记录（最近的日期：2023-03-31，2023-06-30）",
     "no entry dated 2023-04-30 in firms (last dates: 2023-03-31, 2023-06-30)"),
    (("remove", "firms", "--date", "2023-03-31"), "删去 2023-03-31 的记录：200", "removed from"),
    (("undo",), "没有可撤销的操作：最近 30 天内没有 add、fix、remove 或 import",
     "nothing to undo: no add, fix, remove or import in the last 30 days"),
]


@pytest.mark.parametrize("arguments, chinese, english", CORRECTIONS)
def test_fix_remove_and_undo_speak_the_chosen_language(firms, arguments, chinese, english):
    before = snapshot(firms)
    result = run(firms, *arguments)
    assert chinese in result.output and english not in result.output, result.output
    (firms / "firms.toml").write_bytes(before["firms.toml"])
    result = run(firms, *arguments, language="en")
    assert english in result.output, result.output


def test_undo_says_what_it_took_back_and_refuses_in_chinese(firms):
    assert run(firms, "add", "firms", "10", "--date", "2023-07-31").exit_code == 0
    result = run(firms, "undo")
    assert result.exit_code == 0 and result.stdout.startswith("已撤销：add firms 10"), result.output
    assert run(firms, "add", "firms", "10", "--date", "2023-07-31").exit_code == 0
    with (firms / "firms.toml").open("a", encoding="utf-8") as file:
        file.write("# edited by hand\n")
    result = run(firms, "undo")
    assert result.exit_code == 2 and "上次 add 之后已被修改；未撤销任何内容：请用 `kpitrack fix`" in result.stderr


def test_a_workspace_set_to_chinese_fixes_and_undoes_in_chinese(firms):
    write(firms / "kpitrack.toml", 'language = "zh"\n')
    assert "已更正" in run(firms, "fix", "firms", "250", "--date", "2023-03-31", language=None).stdout
    assert "已撤销" in run(firms, "undo", language=None).stdout


def test_log_speaks_the_chosen_language(firms):
    import shutil
    import subprocess

    assert "没有历史记录" in run(firms, "log", "firms").stdout
    assert "no history" in run(firms, "log", "firms", language="en").stdout
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    environment = {"GIT_AUTHOR_NAME": "Synthetic Tester", "GIT_AUTHOR_EMAIL": "t@example.org",
                   "GIT_COMMITTER_NAME": "Synthetic Tester", "GIT_COMMITTER_EMAIL": "t@example.org",
                   "PATH": __import__("os").environ["PATH"], "HOME": str(firms)}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "synthetic start"]):
        subprocess.run(["git", *command], cwd=firms, env=environment, check=True, capture_output=True)
    assert "尚未提交" not in run(firms, "log", "firms").stdout
    assert run(firms, "add", "firms", "40", "--date", "2023-07-31", "--note", "synthetic").exit_code == 0
    subprocess.run(["git", "commit", "-q", "-am", "July"], cwd=firms, env=environment, check=True)
    lines = run(firms, "log", "firms").stdout.splitlines()
    assert lines[1].strip() == "记录 2023-07-31：40（synthetic）", lines
    assert lines[-1].strip() == "新建", lines  # the first commit made the file
    lines = run(firms, "log", "firms", language="en").stdout.splitlines()
    assert lines[1].strip() == "recorded 2023-07-31: 40  (synthetic)", lines


# status --by owner, report --by owner and --since

def owned(owner: str, extra: str = "") -> str:
    return TARGET_TOML.replace('unit = "firms"', f'unit = "firms"\nowner = "{owner}"') + extra


@pytest.fixture
def owners(tmp_path):
    write(tmp_path / "kpitrack.toml", 'cadence = "monthly"\nstale_grace_days = 0\n')
    write(tmp_path / "a.toml", owned("区住建局"))  # nothing reported
    write(tmp_path / "b.toml", owned("区住建局", progress("2023-03-31", 700)))  # stale by July
    write(tmp_path / "c.toml", owned("区发改局", progress("2023-03-31", 300)))  # behind by July
    write(tmp_path / "d.toml", TARGET_TOML + progress("2023-06-30", 600))  # no owner
    return tmp_path


def test_status_by_owner_speaks_the_chosen_language(owners):
    table = run(owners, "status", "--by", "owner", "--as-of", "2023-07-15", COLUMNS="120").stdout
    assert table.startswith("kpitrack 按责任单位，截至2023年7月15日"), table
    for word in ("责任单位", "指标数", "红灯", "未报送", "数据过期", "（未填写责任单位）"):
        assert word in table, table
    for word in ("Owner", "Targets", "Red", "Not reported", "Stale", "(no owner)", "as of"):
        assert word not in table, table
    english = run(owners, "status", "--by", "owner", "--as-of", "2023-07-15", language="en", COLUMNS="120").stdout
    assert english.startswith("kpitrack by owner as of 2023-07-15") and "(no owner)" in english, english
    result = run(owners, "status", "--by", "owner", "--format", "csv")
    assert result.exit_code == 2 and "--by owner 只输出表格、JSON 或 Markdown" in result.stderr, result.output


def test_the_owner_json_is_the_same_in_every_language(owners):
    arguments = ("status", "--by", "owner", "--as-of", "2023-07-15", "--format", "json")
    chinese, english = run(owners, *arguments).stdout, run(owners, *arguments, language="en").stdout
    assert chinese == english and '"(no owner)"' in chinese


def test_report_by_owner_and_since_speak_the_chosen_language(owners):
    arguments = ("report", "--by", "owner", "--since", "2023-03-31", "--as-of", "2023-07-15", "--format", "markdown")
    text = run(owners, *arguments).stdout
    assert "## 按责任单位\n\n| 责任单位 | 指标数 | 红灯 | 未报送 | 数据过期 |" in text, text
    assert "| （未填写责任单位） | 1 | 0 | — | — |" in text, text
    assert "## 2023-03-31 以来的变化" in text, text
    assert "- 转为红灯：**c**" in text and "（原为达到序时进度，现为严重滞后）" in text, text
    english = run(owners, *arguments, language="en").stdout
    assert "## By owner\n\n| Owner | Targets | Red | Not reported (未报送) | Stale |" in english, english
    assert "## Changed since 2023-03-31" in english and "- turned red: **c**" in english, english
    assert "(was on-track, now behind)" in english, english
    nothing = run(owners, "report", "--since", "2023-07-14", "--as-of", "2023-07-15", "--format", "markdown").stdout
    assert "\n\n没有变化。\n" in nothing and nothing.rstrip().endswith("没有新报送或修订的数据。"), nothing
    result = run(owners, "report", "--by", "owner", "--format", "csv")
    assert result.exit_code == 2 and "--by、--since 和 --missing 只用于 markdown、json、html 和 docx" in result.stderr, result.output


def test_a_revised_figure_is_named_in_the_chosen_language(owners):
    assert run(owners, "fix", "c", "320", "--date", "2023-03-31").exit_code == 0
    arguments = ("report", "--since", "2023-01-31", "--as-of", "2023-07-15", "--format", "markdown")
    assert "- 数据修订：**c**" in run(owners, *arguments).stdout
    assert "- revised: **c**" in run(owners, *arguments, language="en").stdout


# the workspace init writes

def test_init_writes_chinese_comments_in_chinese_and_the_same_settings(tmp_path):
    import re
    import tomllib

    chinese, english = tmp_path / "zh", tmp_path / "en"
    result = CliRunner().invoke(app, ["init", str(chinese)], env={**ENGLISH_LOCALE, "KPITRACK_LANG": "zh"})
    assert result.exit_code == 0 and "已写入" in result.stdout, result.output
    assert run(tmp_path, "init", str(english), language="en").exit_code == 0
    example, settings = (chinese / "example.toml").read_text(encoding="utf-8"), (chinese / "kpitrack.toml").read_text(
        encoding="utf-8")
    assert "# 示例指标：可直接修改" in example and 'unit = "家"' in example
    assert "# kpitrack 工作区设置。" in settings and "“严重滞后”（红灯）" in settings
    for text in (example, settings):  # no English sentence left in a comment
        comments = " ".join(line.partition("#")[2] for line in text.splitlines() if "#" in line)
        comments = re.sub(r"`[^`]*`", "", comments)  # commands and keys, as typed
        assert not re.search(r"[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}", comments), comments
    assert "# An example target: edit it" in (english / "example.toml").read_text(encoding="utf-8")
    assert tomllib.loads(settings) == tomllib.loads((english / "kpitrack.toml").read_text(encoding="utf-8"))
    read = {folder.name: tomllib.loads((folder / "example.toml").read_text(encoding="utf-8")) for folder in (chinese,
                                                                                                          english)}
    assert {key for key, value in read["zh"].items() if read["en"][key] != value} == {"unit", "owner", "source"}
    result = run(chinese, "validate")
    assert result.exit_code == 0 and "全部有效" in result.stdout, result.output
    again = run(tmp_path, "init", str(chinese))
    assert again.exit_code == 2 and "已是 kpitrack 工作区（kpitrack.toml 已存在）" in again.stderr, again.output


def test_undo_of_an_import_names_it_as_a_command_in_either_language(firms, tmp_path):
    csv_file = write(tmp_path / "rows.csv", "id,date,value\nfirms,2023-09-30,10\n")
    assert run(firms, "import", str(csv_file)).exit_code == 0
    assert run(firms, "undo").stdout.startswith("已撤销：import rows.csv\n")
    assert run(firms, "import", str(csv_file)).exit_code == 0
    assert run(firms, "undo", language="en").stdout.startswith("undone: import rows.csv\n")


def test_the_import_summary_reads_as_chinese_without_spaces_inside_words(firms, tmp_path):
    csv_file = write(tmp_path / "rows.csv", "id,date,value\nfirms,2023-07-31,50\nfirms,2023-03-31,200\n")
    assert run(firms, "import", str(csv_file), "--dry-run").stdout == (  # the dry run lists each row first
        "rows.csv:2  firms  50 firms  2023-07-31  新增\nrows.csv:3  firms  200 firms  2023-03-31  无变化\n"
        "将向 1 个指标添加 1 条记录；1 行已有记录，跳过\n")
    assert run(firms, "import", str(csv_file)).stdout == "已向 1 个指标添加 1 条记录；1 行已有记录，跳过\n"


@pytest.mark.parametrize("arguments, chinese, english", [
    (("add", "firm", "5"), "中没有指标 'firm'；是否指 'firms'？", "no target 'firm' in"),
    (("add", "nothing-like-it", "5"), "`kpitrack status` 会列出所有指标的 id", "`kpitrack status` lists the ids"),
    (("add", "Firms", "5"), "'Firms' 不是有效的 id：须以小写字母或数字开头", "'Firms' is not a valid id"),
    (("fix", "没有这个", "5", "--date", "2023-03-31"), "没有指标的标题含有 '没有这个'", "no target has '没有这个' in its title"),
])
def test_an_unknown_target_is_named_in_the_chosen_language(firms, arguments, chinese, english):
    result = run(firms, *arguments)
    assert result.exit_code == 2 and chinese in result.stderr, result.output
    result = run(firms, *arguments, language="en")
    assert result.exit_code == 2 and english in result.stderr, result.output


def test_the_systems_reasons_are_worded_in_the_interfaces_language(firms):
    """An OS error's reason was C's English under --lang zh (`无法写入：Not a directory`)."""
    import errno

    from kpitrack.words.i18n import in_language, os_reason, worded

    (firms / "a-file").write_text("", encoding="utf-8")
    out = firms / "a-file" / "r.html"  # under a file: not a folder
    said = {lang: run(firms, "report", "--as-of", "2023-06-30", "--format", "html", "--out", str(out), language=lang)
            for lang in ("zh", "en")}
    assert said["zh"].exit_code == 2 and "无法写入：不是文件夹；未写入任何内容" in said["zh"].output, said["zh"].output
    assert "cannot write: Not a directory; nothing was written" in said["en"].output
    for code in (errno.ENOSPC, errno.EACCES, errno.EROFS):
        reason = os_reason(OSError(code, "ignored"))
        assert worded(reason) == reason.message == __import__("os").strerror(code)  # English: C's own words
        assert in_language("zh", reason.message) != reason.message  # and a Chinese one for each
    assert os_reason(OSError(errno.EXDEV, "Invalid cross-device link")) == "Invalid cross-device link"  # others as given
