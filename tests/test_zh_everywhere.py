"""`--lang zh` leaves no English sentence in any command's --help or its usage errors (issue 22
item 4): a walk over every command. What may stay Latin: the program's and options' names,
metavars (ID, DATE), choices (table, json), examples (commands), format and product names."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from kpitrack.cli import COMMANDS, app

ENVIRONMENT = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8", "KPITRACK_LANG": None,
               "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
# Names, not sentences: formats, products and encodings the help names as they are spelt.
NAMES = {"kpitrack", "git", "README", "JSON", "CSV", "pandas", "Excel", "Windows", "UTF", "GBK", "gbk", "utf-8-sig",
         "html", "svg", "xlsx", "docx", "csv", "shell", "bash", "zsh", "fish", "language", "kpitrack.toml", "en", "zh",
         "km", "utf", "id", "date", "value", "total", "note", "source", "done", "undone", "node", "repeat", "over", "at-least",
         "about", "at-most", "nearly", "behind", "stale", "missed", "pid"}


def choices() -> set[str]:
    """Every choice of every option (table, json, cumulative …): values typed as they are."""
    import typer._click.core as click  # typer's own copy of click

    root = typer.main.get_command(app)
    found = set()
    context = click.Context(root, info_name="kpitrack")
    for name in root.list_commands(context):
        command = root.get_command(context, name)
        for parameter in command.get_params(click.Context(command, parent=context, info_name=name)):
            found.update(str(choice) for choice in getattr(parameter.type, "choices", ()) or ())
    return found


def english_words(text: str) -> list[str]:
    allowed = NAMES | choices() | set(COMMANDS)
    left = []
    text = re.sub(r"-\n\s+", "-", re.sub(r'"[^"]*"', " ", text))  # a choice the help wrapped at its hyphen (at-most)  # quoted in an example (a title, a note), across lines too
    for line in text.splitlines():
        if re.match(r"\s*(示例：|设置：)?\s*(kpitrack|git config) ", line.strip()) or "示例：" in line:
            continue  # an example is a command as typed
        line = re.sub(r"`[^`]*`|'[^']*'|<[^>]*>|\{[^}]*\}|\[[^\]]*\]|\$\w+|(?<![\w-])--?[A-Za-z][\w-]*|[a-z0-9]+(?:-[a-z0-9]+)+|\S*[/\\.]\S*|%\w", " ", line)
        for token in re.findall(r"[A-Za-z][A-Za-z0-9_'-]*", line):
            if token not in allowed and not token.isupper():
                left.append(token)
    return left


def run(*arguments: str, tmp_path=None):
    return CliRunner().invoke(app, ["--lang", "zh", *arguments], env={**ENVIRONMENT, "KPITRACK_DIR": str(tmp_path)})


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_of_every_command_is_chinese(command, tmp_path):
    result = run(*command.split(), "--help", tmp_path=tmp_path)
    assert result.exit_code == 0, result.output
    assert not english_words(result.output), f"English left in `kpitrack --lang zh {command} --help`:\n{result.output}"


@pytest.mark.parametrize("command", ["", *COMMANDS])
@pytest.mark.parametrize("bad", [["--no-such-option"], ["--wait"], ["--as-of", "nope"], ["--format", "nope"],
                                 ["1", "2", "3", "4", "5"]])
def test_usage_errors_of_every_command_are_chinese(command, bad, tmp_path):
    result = run(*command.split(), *bad, tmp_path=tmp_path)
    assert result.exit_code == 2, result.output
    assert not english_words(result.output), f"English left in `kpitrack --lang zh {command} {' '.join(bad)}`:\n" \
                                             f"{result.output}"


def test_init_git_writes_its_gitattributes_comments_in_chinese(tmp_path):
    result = run("init", str(tmp_path / "targets"), "--git", tmp_path=tmp_path)
    assert result.exit_code == 0, result.output
    comments = "\n".join(line for line in (tmp_path / "targets" / ".gitattributes").read_text(encoding="utf-8")
                         .splitlines() if line.startswith("# ") and "git config" not in line)
    assert comments and not english_words(comments.replace("kpitrack", "")), comments
    assert not english_words(result.output.replace(str(tmp_path), "")), result.output


def test_a_mistyped_command_gets_its_suggestion_in_chinese(tmp_path):
    result = run("stauts", tmp_path=tmp_path)
    assert result.exit_code == 2 and "'status'" in result.output, result.output
    assert not english_words(result.output), result.output


# Synthetic broken files: each names one thing wrong, as a person would write it.
BROKEN = {
    "no-title.toml": 'unit = "个"\ntarget = 10\nstart = 2024-01-01\ndue = 2024-12-31\n',
    "bad-toml.toml": 'title = "x\n',
    "bad-date.toml": 'title = "x"\nunit = "个"\ntarget = 10\nstart = 2024-13-01\ndue = 2024-12-31\n',
    "typo-key.toml": 'title = "x"\nunit = "个"\ntarget = 10\nstart = 2024-01-01\ndue = 2024-12-31\ntraget = 3\n',
    "not-number.toml": 'title = "x"\nunit = "个"\ntarget = "ten"\nstart = 2024-01-01\ndue = 2024-12-31\n',
    "due-first.toml": 'title = "x"\nunit = "个"\ntarget = 10\nstart = 2024-06-01\ndue = 2024-01-31\n',
    "no-date.toml": 'title = "x"\nunit = "个"\ntarget = 10\nstart = 2024-01-01\ndue = 2024-12-31\n'
                    '[[progress]]\nvalue = 3\n',
    "late.toml": 'title = "x"\nunit = "个"\ntarget = 10\nstart = 2024-01-01\ndue = 2024-12-31\n'
                 '[[progress]]\ndate = 2025-03-01\nvalue = 3\n',
    "growth.toml": 'title = "x"\nkind = "growth"\nunit = "个"\ntarget = 5\nstart = 2024-01-01\ndue = 2024-12-31\n',
    "parts.toml": 'title = "x"\nunit = "个"\ntarget = 10\nstart = 2024-01-01\ndue = 2024-12-31\nparts = ["nobody"]\n',
    "merge.toml": 'title = "x"\n<<<<<<< ours\nunit = "个"\n=======\nunit = "套"\n>>>>>>> theirs\n',
    "bytes.toml": b'title = "\xff"\n',
    "node-kind.toml": 'title = "x"\nunit = "个"\ntarget = 10\nstart = 2024-01-01\ndue = 2024-12-31\n'
                      '[[node]]\nname = "a"\ndue = 2024-03-01\n',
}
MILESTONE = 'title = "x"\nkind = "milestone"\nstart = 2024-01-01\ndue = 2024-12-31\n'
NODES = {  # a milestone's [[node]] tables, each wrong in one way
    "node-outside": '[[node]]\nname = "a"\ndue = 2025-03-01\n',
    "node-twice": '[[node]]\nname = "a"\ndue = 2024-03-01\n[[node]]\nname = "a"\ndue = 2024-04-01\n',
    "node-order": '[[node]]\nname = "a"\ndue = 2024-05-01\n[[node]]\nname = "b"\ndue = 2024-04-01\n',
    "node-extra": '[[node]]\nname = "a"\ndue = 2024-05-01\nowner = "b"\n',
    "node-bare": '[[node]]\nname = "a"\n',
    "node-table": 'node = "a"\n',
}
GOOD = {"ms.toml": MILESTONE, "smile.toml": 'title = "x😀"\nunit = "个"\ntarget = 10\nstart = 2024-01-01\ndue = 2024-12-31\n'}

IDS = {"late", "nobody", "fresh", "x", "targets", "a-file", "nowhere", "deep", "d",  # the files' and folders' names
       "key", "start", "due", "unit", "target", "title", "xff",  # keys as typed in a file, a byte in hex
       "group", "qualifier", "estimate", "false", "true",
       "name", "kind", "milestone", "cumulative", "owner", "ms", "smile", "FILE"}  # a [[node]]'s keys, a kind as typed  # the CSV header and values of `export`
BAD_RUNS = [["status"], ["validate"], ["check"], ["plans"], ["export"], ["report"], ["show", "late"],
            ["show", "nobody"], ["add", "late", "3", "--date", "2024-02-01"], ["add", "nobody", "3"],
            ["fix", "late", "--date", "2024-02-02", "--value", "4"], ["remove", "late", "--date", "2024-02-02"],
            ["undo"], ["log"], ["new", "late", "--title", "x", "--target", "10", "--unit", "个"],
            ["new", "fresh", "--title", "x", "--target", "ten", "--unit", "个"],
            ["new", "fresh", "--title", "x", "--target", "10", "--unit", "个", "--start", "2024-06-01",
             "--due", "2024-01-01"],
            ["import", "rows.csv"], ["import", "missing.csv"], ["show", "ms", "--format", "svg"],
            ["export", "--encoding", "rot13"], ["export", "--encoding", "gbk"], ["report", "--format", "docx"]]


def broken_workspace(folder):
    folder.mkdir()
    for name, text in BROKEN.items():
        (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    for name, nodes in NODES.items():
        (folder / f"{name}.toml").write_text(MILESTONE + nodes, encoding="utf-8")
    (folder / "rows.csv").write_text("id,date,value\nnobody,2024-01-31,3\nlate,someday,x\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("arguments", BAD_RUNS, ids=" ".join)
def test_errors_about_bad_files_are_chinese(arguments, tmp_path, monkeypatch):
    """Every command on a workspace of broken files (a missing key, bad TOML, a bad date, a typo, an
    unresolved merge…): what it says of them is Chinese, paths, ids and keys aside."""
    folder = broken_workspace(tmp_path / "targets")
    monkeypatch.chdir(folder)
    result = run(*arguments, tmp_path=folder)
    text = result.output.replace(str(folder), "")
    assert not [word for word in english_words(text) if word not in IDS], f"English left in `kpitrack --lang zh {' '.join(arguments)}`:\n{result.output}"


@pytest.mark.parametrize("arguments", [["status"], ["validate"], ["add", "x", "1"], ["init"]], ids=" ".join)
@pytest.mark.parametrize("where", ["a-file", "nowhere", "deep"])
def test_errors_about_bad_folders_are_chinese(arguments, where, tmp_path):
    folder = tmp_path / where
    if where == "a-file":
        folder.write_text("not a folder", encoding="utf-8")
    if where == "deep":
        deep = folder
        for _level in range(40):
            deep = deep / "d"
        deep.mkdir(parents=True)
    result = run(*arguments, tmp_path=folder)
    text = result.output.replace(str(tmp_path), "")
    assert not [word for word in english_words(text) if word not in IDS], f"English left in `kpitrack --lang zh {' '.join(arguments)}` ({where}):\n" \
                                    f"{result.output}"
