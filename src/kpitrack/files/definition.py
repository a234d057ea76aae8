"""What the cache keeps of a target's definition (its fields but its entries and path) and of a
settings or plan file: their fields as JSON, each tagged by type so that it comes back exactly.
Text only, never code: a row that decodes to anything else is damaged (ValueError), and the file
is read instead. Used by kpitrack.files.stored and kpitrack.files.cache."""

from __future__ import annotations

import dataclasses
import enum
import json
from sys import intern
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from kpitrack.domain.model import (Checkpoint, Direction, Kind, Node, Plan, Qualifier, ReadingQualifier, Record, Settings,
                                   Target)

_ENUMS = {"Kind": Kind, "Direction": Direction, "Qualifier": Qualifier, "ReadingQualifier": ReadingQualifier}


def figure(text: Any) -> Decimal:
    """A figure the cache kept, as the file could hold it: ValueError for anything else (NaN, sNaN,
    an infinity, 1e999999, not a number: a row tampered with is damaged, read from the file again)."""
    if not isinstance(text, str):
        raise ValueError("a figure is kept as text")
    try:
        number = Decimal(text)
    except ArithmeticError:
        raise ValueError("not a figure") from None
    if not number.is_finite() or not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        raise ValueError("not a figure a file can hold")
    return number


MAX_EXPONENT = 80  # far past any sum of files' figures (28 digits, 28 places), far below Decimal's own limits
# Targets share their dates and many figures (start, due, target): each text is decoded once a run,
# and its value (immutable) shared. A list or dict (unhashable) raises TypeError: damaged, as it is.
_figure = lru_cache(maxsize=4096)(figure)
_day = iso_date = lru_cache(maxsize=4096)(date.fromisoformat)  # one cache of days, the timeline's too


def encode_definition(value: Target | Settings | Plan) -> str:
    """A target's fields but its entries and path (the file it is read from gives it), or a settings or
    plan file's fields, each tagged by type so that it comes back exactly; a field as its default is
    left out (100.0 is not 100: only a value written as the default's is). ASCII: a path's
    undecodable bytes (lone surrogates) come back."""
    shape, written = _shape(type(value)), {}
    for name in shape.order:
        field, default = getattr(value, name), shape.defaults.get(name, _NO_DEFAULT)
        if field is not default:  # the default itself (None, False, ()) is left out at once
            field, default = _encode(field), shape.written.get(name, _NO_DEFAULT)
            if type(field) is not type(default) or field != default:
                written[name] = field
    return json.dumps({type(value).__name__: written})


def definition_fields(text: str, path: Path | None) -> dict[str, Any]:
    """The fields `encode_definition` wrote of a target, decoded (those it left out are at their
    defaults), with the `path` given; ValueError for anything else."""
    fields = _decoded(text, Target)
    fields["path"] = path
    return fields


def plain_value(text: str, kind: type[Settings] | type[Plan]) -> Settings | Plan:
    """The settings or plan that `encode_definition` wrote; ValueError for anything else."""
    return kind(**_decoded(text, kind))


def _decoded(text: str, kind: type) -> dict[str, Any]:
    value, shape = json.loads(text), _shape(kind)
    inner = value.get(kind.__name__) if isinstance(value, dict) and len(value) == 1 else None
    if not isinstance(inner, dict) or not shape.required <= inner.keys() <= shape.names:
        raise ValueError(f"not a {kind.__name__}")
    fields = {}
    for name, item in inner.items():  # the field's own name for a key (JSON's copy of it is let go)
        if item is None or type(item) in _PLAIN:  # as it comes, if the field holds such a value
            if type(item) not in shape.plain[name]:
                raise ValueError(f"{name} is no {type(item).__name__}")
            fields[intern(name)] = item
        else:
            fields[intern(name)] = _decode(item)
    return fields


_PLAIN = frozenset([str, bool, int])  # what JSON gives as it is: kept as it comes, where the field holds it
# The plain types a field's annotation names (`str | None`, `Cadence | None`): what it may hold untagged
_PLAIN_NAMED = {"str": {str}, "int": {int}, "bool": {bool}, "None": {type(None)}, "Cadence": {str, int}}
_TEXT = frozenset([str])


def restored(fields: dict[str, Any]) -> Target:
    """The Target of the fields definition_fields gives (entries added), the others at their defaults,
    made as Record.__init__ makes it without checking the fields again: `fields` becomes the target's
    own dict (not to be used again); 10 entries a target, not 40 (5 MB of 10,000 targets)."""
    if _PLAIN_INIT:
        target = object.__new__(Target)
        object.__setattr__(target, "__dict__", fields)
        return target
    return Target(**fields)


class _Shape(NamedTuple):
    order: tuple[str, ...]  # the fields kept, in the dataclass's order
    names: frozenset[str]
    defaults: dict[str, Any]  # of those with one
    written: dict[str, Any]  # the defaults as _encode writes them
    required: frozenset[str]  # those without
    plain: dict[str, frozenset[type]]  # the untagged JSON values each may hold (an id a str, warn_days an int)


@lru_cache(maxsize=None)
def _shape(kind: type) -> _Shape:
    """What the cache keeps of a Target (all but its entries and path), a Settings or a Plan."""
    if kind not in (Target, Settings, Plan):
        raise TypeError(f"cannot cache a {kind.__name__}")
    order = tuple(field.name for field in dataclasses.fields(kind)
                  if kind is not Target or field.name not in ("entries", "path"))
    defaults = {field.name: field.default for field in dataclasses.fields(kind)
                if field.name in order and field.default is not dataclasses.MISSING}
    plain = {field.name: frozenset().union(*(_PLAIN_NAMED.get(member.strip(), ()) for member in str(field.type).split("|")))
             for field in dataclasses.fields(kind) if field.name in order}  # `tuple[str, ...]`: tagged, never plain
    return _Shape(order, frozenset(order), defaults, {name: _encode(value) for name, value in defaults.items()},
                  frozenset(order) - defaults.keys(), plain)


_NO_DEFAULT = object()
_PLAIN_INIT = Target.__init__ is Record.__init__  # which takes the fields given for the record's dict


def _encode(value: Any) -> Any:
    """A value of a Target, tagged by type so that it comes back exactly (a Decimal as its digits)."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)) and not isinstance(value, enum.Enum):
        return value
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, enum.Enum):
        return {"enum": type(value).__name__, "value": value.value}
    if isinstance(value, Path):
        return {"path": str(value)}
    if isinstance(value, (Checkpoint, Node)):
        return {type(value).__name__: {field.name: _encode(getattr(value, field.name))
                                       for field in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"tuple": [_encode(item) for item in value]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if type(value) is dict and len(value) == 1:  # what most targets hold: dates, figures, lists of words
        (tag, inner), = value.items()
        if tag == "date":
            return _day(inner)
        if tag == "decimal":
            return _figure(inner)
        if tag == "tuple" and type(inner) is list and _TEXT.issuperset(map(type, inner)):
            return tuple(inner)
    if not isinstance(value, dict):
        if isinstance(value, list):
            raise ValueError("untagged list")
        return value
    (tag, inner), = value.items() if len(value) == 1 else (("enum", value),)  # a date, a figure: above
    if tag == "enum":
        return _ENUMS[inner["enum"]](inner["value"])
    if tag == "path":
        return Path(inner)
    if tag == "tuple":
        return tuple(_decode(item) for item in inner)
    made = {"Checkpoint": Checkpoint, "Node": Node}.get(tag)
    if made is None or set(inner) != {field.name for field in dataclasses.fields(made)}:
        raise ValueError("another shape")
    return made(**{name: _decode(item) for name, item in inner.items()})

