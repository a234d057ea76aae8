"""`kpitrack plans`: one line per folder."""

import json
from decimal import Decimal

from helpers import figure_file, progress, run, write


def test_plans_summarise_each_folder(tmp_path):
    write(tmp_path / "p1" / "plan.toml", 'title = "synthetic plan"\nissuer = "office"\ndate = 2023-01-20\n'
                                         'period = "2023"\nsource = "a synthetic report"\n')
    write(tmp_path / "p1" / "done.toml", figure_file(target=5, extra=progress("2023-03-01", 5)))
    write(tmp_path / "p1" / "slow.toml", figure_file(target=100, extra=progress("2023-03-01", 1)))
    write(tmp_path / "p1" / "ok.toml", figure_file(target=100, extra=progress("2023-03-01", 60)))
    write(tmp_path / "p2" / "late.toml", figure_file(target=100, extra=progress("2023-03-01", 20)))
    document = json.loads(run(tmp_path, "plans", "--as-of", "2023-06-30", "--format", "json").stdout,
                          parse_float=Decimal)
    first, second = document["plans"]
    assert (first["group"], first["title"], first["issuer"], first["date"], first["period"], first["source"]) == (
        "p1", "synthetic plan", "office", "2023-01-20", "2023", "a synthetic report")
    assert (first["targets"], first["counts"]["done"], first["counts"]["on-track"], first["counts"]["behind"]) == (
        3, 1, 1, 1)
    assert (first["done_share"], first["on_track_share"]) == (Decimal("33.33"), Decimal("66.67"))
    assert first["worst"] == {"id": "slow", "lag": Decimal("48.59"), "vs_plan": Decimal("-48.59")}  # vs_plan: as status gives it
    assert (second["title"], second["worst"]["id"]) == (None, "late")
    early = json.loads(run(tmp_path, "plans", "--as-of", "2022-06-30", "--format", "json").stdout)["plans"]
    assert [plan["worst"] for plan in early] == [None, None]  # nothing under way, so nothing behind
    table = run(tmp_path, "plans", "--as-of", "2023-06-30").stdout
    assert "synthetic plan" in table and "slow" in table and "-48.59 pt" in table


def test_a_bad_plan_file_is_reported(tmp_path):
    write(tmp_path / "p1" / "plan.toml", 'title = "x"\ntitel = "y"\n')
    result = run(tmp_path, "validate")
    assert result.exit_code == 2 and "plan.toml:2: unknown key 'titel'; did you mean 'title'?" in result.stderr


def test_the_share_of_targets_done_is_headed_apart_from_a_targets_completion(tmp_path):
    """`plans` headed the share of targets done 完成率, the word for one target's completion (a new
    user's trial): it is 已完成指标 (Targets done), the count of the pledges and its share."""
    write(tmp_path / "p1" / "done.toml", figure_file(target=5, extra=progress("2023-03-01", 5)))
    write(tmp_path / "p1" / "slow.toml", figure_file(target=100, extra=progress("2023-03-01", 1)))
    write(tmp_path / "p1" / "ok.toml", figure_file(target=100, extra=progress("2023-03-01", 60)))
    for lang, heading in (("zh", "已完成指标"), ("en", "Targets")):  # Targets / done, on two lines
        table = run(tmp_path, "--lang", lang, "plans", "--as-of", "2023-06-30").stdout
        header = next(line for line in table.splitlines() if heading in line)
        assert "完成率" not in header and " Done " not in header, header
        assert "1/3" in table and "33.33%" in table
    document = json.loads(run(tmp_path, "plans", "--as-of", "2023-06-30", "--format", "json").stdout)
    assert document["plans"][0]["pledges"] == 3
