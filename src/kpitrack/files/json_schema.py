"""JSON Schemas for editors (taplo, Even Better TOML), generated from the one field table in
`fields.py`: a field declared there is in the schema, with its type, choices and words.

Run `python -m kpitrack.files.json_schema` to write them into the package and the repository's `schema/`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kpitrack.files.fields import FILE_KINDS, Field
from kpitrack.domain.model import CADENCES
from kpitrack.files.schema import ID_PATTERN

# The files editors check: file name in schema/ -> (field table, title).
SCHEMAS = {
    "target.schema.json": ("target", "kpitrack target file: one pledge and its progress entries"),
    "settings.schema.json": ("settings", "kpitrack.toml: the workspace's settings"),
    "plan.schema.json": ("plan", "plan.toml: the plan a folder's targets come from"),
}
DATE = r"^\d{4}-\d{2}-\d{2}$"  # a TOML local date, as editors hand it to the schema: no time
PERIOD = r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$"  # a key of [planned]: a month or a quarter


def _type(field: Field) -> dict[str, Any]:
    """The JSON Schema of one field's value; every type of fields.py must be known here."""
    kind = field.type
    if kind == "text":
        return {"type": "string", "pattern": r"\S"} if field.required else {"type": "string"}
    if kind == "number":
        return {"type": "number"}
    if kind == "date":
        return {"type": "string", "format": "date", "pattern": DATE}
    if kind == "flag":
        return {"type": "boolean"}
    if kind == "choice":
        return {"type": "string", "enum": list(field.choices)}
    if kind == "ids":
        return {"type": "array", "minItems": 1, "uniqueItems": True,
                "items": {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}}
    if kind == "texts":
        return {"type": "array", "items": {"type": "string"}}
    if kind == "tables":
        return {"type": "array", "items": table_schema(FILE_KINDS[field.of])}
    if kind == "days":
        return {"type": "integer", "minimum": 0}
    if kind == "cadence":
        return {"anyOf": [{"type": "string", "enum": list(CADENCES)}, {"type": "integer", "minimum": 1}]}
    if kind == "owners":
        return {"anyOf": [{"type": "string"}, {"type": "array", "minItems": 1, "uniqueItems": True,
                                               "items": {"type": "string", "pattern": r"\S"}}]}
    if kind == "periods":
        return {"type": "object", "minProperties": 1, "additionalProperties": False,
                "patternProperties": {PERIOD: {"type": "number"}}}
    raise ValueError(f"field {field.name!r}: type {kind!r} has no JSON Schema; add it to json_schema._type")


def table_schema(fields: tuple[Field, ...]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {field.name: {"description": field.doc, **_type(field)} for field in fields},
        "additionalProperties": False,
    }
    required = [field.name for field in fields if field.required]
    if required:
        schema["required"] = required
    return schema


def file_schema(name: str) -> dict[str, Any]:
    kind, title = SCHEMAS[name]
    return {"$schema": "http://json-schema.org/draft-07/schema#", "title": title, **table_schema(FILE_KINDS[kind])}


def rendered(name: str) -> str:
    return json.dumps(file_schema(name), ensure_ascii=False, indent=2) + "\n"


PACKAGE_FOLDER = Path(__file__).parents[1] / "schemas"


def main() -> None:
    """Write the schemas into the package and, from a source checkout, the repository's schema/."""
    folders = [PACKAGE_FOLDER]
    repository = Path(__file__).parents[3]
    if (repository / "pyproject.toml").is_file():
        folders.append(repository / "schema")
    for folder in folders:
        folder.mkdir(exist_ok=True)
        for name in SCHEMAS:
            (folder / name).write_text(rendered(name), encoding="utf-8")
            print(f"wrote {folder / name}")


if __name__ == "__main__":
    main()
