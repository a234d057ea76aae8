"""The JSON Schemas editors use: generated from fields.py, published up to date, and in agreement
with kpitrack's own validation (synthetic data for the broken files)."""

import datetime
import json
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from helpers import TARGET_TOML, write
from kpitrack.files import json_schema
from kpitrack.domain.errors import KpitrackError
from kpitrack.files.fields import FILE_KINDS, Field, names
from kpitrack.files.schema import CHECKPOINT_KEYS, PLAN_KEYS, PROGRESS_KEYS, SETTINGS_KEYS, TARGET_KEYS
from kpitrack.files.workspace import load_settings, load_target, plan_from_file

ROOT = Path(__file__).parents[1]


def as_json(value):
    """A parsed TOML value as an editor hands it to a JSON Schema: dates as text, decimals as numbers."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def schema_errors(name: str, text: str) -> list[str]:
    document = as_json(tomllib.loads(text, parse_float=Decimal))
    validator = jsonschema.Draft7Validator(json_schema.file_schema(name))
    return [error.message for error in validator.iter_errors(document)]


@pytest.mark.parametrize("folder", [ROOT / "schema", json_schema.PACKAGE_FOLDER])
def test_the_published_schemas_are_what_fields_py_generates(folder):
    for name in json_schema.SCHEMAS:
        assert (folder / name).read_text(encoding="utf-8") == json_schema.rendered(name), (
            f"{folder / name} is out of date: run python -m kpitrack.files.json_schema")
    jsonschema.Draft7Validator.check_schema(json.loads(json_schema.rendered("target.schema.json")))


def test_every_shipped_file_validates_against_the_published_schema():
    checked = 0
    for path in sorted((ROOT / "targets").rglob("*.toml")):
        name = {"kpitrack.toml": "settings.schema.json", "plan.toml": "plan.schema.json"}.get(
            path.name, "target.schema.json")
        published = json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))
        document = as_json(tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal))
        errors = [error.message for error in jsonschema.Draft7Validator(published).iter_errors(document)]
        assert not errors, f"{path}: {errors}"
        checked += 1
    assert checked > 90


KINDS = {"target": TARGET_KEYS, "checkpoint": CHECKPOINT_KEYS, "progress": PROGRESS_KEYS, "plan": PLAN_KEYS,
         "settings": SETTINGS_KEYS}


def test_the_schema_has_exactly_the_keys_validation_accepts():
    for kind, keys in KINDS.items():
        properties = json_schema.table_schema(FILE_KINDS[kind])["properties"]
        assert sorted(properties) == sorted(keys), kind


def test_every_key_the_validation_code_reads_is_in_the_schema():
    """A key read in schema.py but not declared in fields.py (so missing from the schema) fails here."""
    source = (ROOT / "src" / "kpitrack" / "files" / "schema.py").read_text(encoding="utf-8")
    read = set(re.findall(r'(?:document|table)(?:\.get\(|\[)"([a-z_]+)"', source))
    read |= set(re.findall(r'"([a-z_]+)" (?:not )?in (?:document|table)', source))
    read |= set(re.findall(r'where\("([a-z_]+)"\)', source))
    declared = {name for fields in FILE_KINDS.values() for name in names(fields)}
    assert len(read) > 15
    assert read <= declared, f"read by validation, missing from fields.py and the schema: {read - declared}"


def test_a_field_type_without_a_schema_is_refused():
    with pytest.raises(ValueError, match="has no JSON Schema"):
        json_schema.table_schema((Field("odd", "colour", "A type nobody taught the schema."),))


# (A file without start or due is not broken on its own: its plan.toml may give the period.)
BROKEN_TARGETS = {
    "unknown key": TARGET_TOML + 'colour = "red"\n',
    "missing title": TARGET_TOML.replace('title = "synthetic: new firms"\n', ""),
    "empty title": TARGET_TOML.replace('"synthetic: new firms"', '"  "'),
    "date with a time": TARGET_TOML.replace("due = 2023-12-31", "due = 2023-12-31T08:00:00"),
    "target as text": TARGET_TOML.replace("target = 1200", 'target = "1200"'),
    "flag as text": TARGET_TOML + 'stretch = "yes"\n',
    "kind not a choice": TARGET_TOML + 'kind = "sometimes"\n',
    "tags not a list": TARGET_TOML + 'tags = "housing"\n',
    "cadence not a choice": TARGET_TOML + 'cadence = "fortnightly"\n',
    "cadence of no days": TARGET_TOML + "cadence = 0\n",
    "parts not ids": TARGET_TOML + 'parts = ["Futian District"]\n',
    "parts twice": TARGET_TOML + 'parts = ["a", "a"]\n',
    "entry without a date": TARGET_TOML + "\n[[progress]]\nvalue = 3\n",
    "entry with an unknown key": TARGET_TOML + "\n[[progress]]\ndate = 2023-02-01\nvalue = 3\nvalu = 4\n",
    "entry value as text": TARGET_TOML + '\n[[progress]]\ndate = 2023-02-01\nvalue = "3"\n',
    "checkpoint without a value": TARGET_TOML + "\n[[checkpoint]]\ndate = 2023-06-30\n",
}


@pytest.mark.parametrize("case", sorted(BROKEN_TARGETS))
def test_schema_and_validation_both_refuse_a_broken_target(tmp_path, case):
    path = write(tmp_path / "broken.toml", BROKEN_TARGETS[case])
    with pytest.raises(KpitrackError):
        load_target(path, tmp_path)
    assert schema_errors("target.schema.json", BROKEN_TARGETS[case]), case


def test_what_a_schema_cannot_see_is_known_and_left_to_validate(tmp_path):
    """JSON has no dates: an editor hands a TOML date to the schema as text, so a date written in
    quotes looks the same to it. `kpitrack validate` (and the pre-commit hook) still refuses it."""
    text = TARGET_TOML.replace("due = 2023-12-31", 'due = "2023-12-31"')
    with pytest.raises(KpitrackError, match="must be a date"):
        load_target(write(tmp_path / "quoted.toml", text), tmp_path)
    assert schema_errors("target.schema.json", text) == []


GOOD_TARGETS = {
    "plain": TARGET_TOML,
    "every field": TARGET_TOML + 'baseline = 10\nkind = "cumulative"\ndirection = "increase"\nowner = "x"\n'
    'source = "y"\ntags = ["a"]\nstretch = true\ncadence = 30\n\n[[checkpoint]]\ndate = 2023-06-30\n'
    'value = 500\n\n[[progress]]\nvalue = 3\ntotal = false\nnote = "n"\nsource = "s"\ndate = 2023-02-01\n',
}


@pytest.mark.parametrize("case", sorted(GOOD_TARGETS))
def test_schema_and_validation_both_accept_a_good_target(tmp_path, case):
    path = write(tmp_path / "good.toml", GOOD_TARGETS[case])
    load_target(path, tmp_path)
    assert schema_errors("target.schema.json", GOOD_TARGETS[case]) == []


BROKEN_OTHERS = [
    ("settings.schema.json", "kpitrack.toml", "stale_grace_days = -1\n"),
    ("settings.schema.json", "kpitrack.toml", 'at_risk_band = "10"\n'),
    ("settings.schema.json", "kpitrack.toml", "at_risk = 10\n"),
    ("plan.schema.json", "plan.toml", 'issuer = "x"\n'),
    ("plan.schema.json", "plan.toml", 'title = "x"\ndate = "2024"\n'),
]


@pytest.mark.parametrize("name,file,text", BROKEN_OTHERS)
def test_schema_and_validation_both_refuse_broken_settings_and_plans(tmp_path, name, file, text):
    path = write(tmp_path / file, text)
    with pytest.raises(KpitrackError):
        load_settings(tmp_path) if file == "kpitrack.toml" else plan_from_file(path, tmp_path)
    assert schema_errors(name, text)


def test_init_points_editors_at_the_schemas_and_new_files_follow(tmp_path):
    from typer.testing import CliRunner

    from kpitrack.cli import app

    folder = tmp_path / "ws"
    assert CliRunner().invoke(app, ["init", str(folder)]).exit_code == 0
    created = CliRunner().invoke(app, ["--dir", str(folder), "new", "x1", "--group", "plan-a", "--title", "t",
                                       "--start", "2024-01-01", "--due", "2024-12-31", "--target", "5"])
    assert created.exit_code == 0, created.output
    for path, name in ((folder / "kpitrack.toml", "settings.schema.json"),
                       (folder / "example.toml", "target.schema.json"),
                       (folder / "plan-a" / "x1.toml", "target.schema.json")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("#:schema ") and first.endswith(name), first
        schema_file = (path.parent / first.removeprefix("#:schema ")).resolve()
        assert schema_file == (folder / ".schema" / name).resolve()
        assert schema_file.read_text(encoding="utf-8") == json_schema.rendered(name)
        assert schema_errors(name, path.read_text(encoding="utf-8")) == []
