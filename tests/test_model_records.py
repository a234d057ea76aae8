"""The records of kpitrack.model (Target, Checkpoint, Settings, Plan) have their __init__ written out
and share one repr, == and hash, to spare kpitrack's start the cost of generating them: each must
behave exactly as the frozen dataclass @dataclass would make of the same fields."""

import dataclasses
import inspect

import pytest

from kpitrack.model import Checkpoint, Plan, Settings, Target

RECORDS = [Checkpoint, Target, Settings, Plan]


def reference(record):
    """What @dataclass(frozen=True) makes of the record's fields, defaults and order."""
    fields = [(field.name, field.type) if field.default is dataclasses.MISSING else
              (field.name, field.type, dataclasses.field(default=field.default)) for field in dataclasses.fields(record)]
    return dataclasses.make_dataclass(record.__name__, fields, frozen=True)


def parameters(callable_):
    return [(parameter.name, parameter.kind, parameter.default)
            for parameter in inspect.signature(callable_).parameters.values()]


def marked(record):
    """One distinct object for each field, by name."""
    return {field.name: object() for field in dataclasses.fields(record)}


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: record.__name__)
def test_the_signature_is_the_dataclasses(record):
    assert parameters(record) == parameters(reference(record))


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: record.__name__)
def test_each_argument_sets_its_own_field_by_name_and_by_position(record):
    values = marked(record)
    for made in (record(**values), record(*values.values())):
        assert {name: getattr(made, name) for name in values} == values


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: record.__name__)
def test_repr_equality_and_hash_are_the_dataclasses(record):
    values = marked(record)
    made, twin, model = record(**values), record(**values), reference(record)(**values)
    assert repr(made) == repr(model)
    assert made == twin and hash(made) == hash(twin) == hash(model)
    assert made != model  # another class, as for dataclasses
    for name in values:
        assert made != record(**{**values, name: object()})


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: record.__name__)
def test_records_stay_frozen_and_replaceable(record):
    values = marked(record)
    made = record(**values)
    name = next(iter(values))
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, name, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(made, name)
    changed = dataclasses.replace(made, **{name: 1})
    assert getattr(changed, name) == 1 and changed == record(**{**values, name: 1})
    assert record.__match_args__ == tuple(values)
