"""The records of domain/model.py behave as the frozen dataclasses they were: same constructor, same
refusals, equality, hashing, repr, and the dataclasses module's fields and replace."""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from kpitrack.domain.model import Checkpoint, Kind, Node, Settings, Target


def target(**changes):
    return Target(**{"id": "t", "title": "synthetic", "start": date(2023, 1, 1), "due": date(2023, 12, 31),
                     **changes})


def test_a_record_is_made_as_a_dataclass_is():
    made = target(target=Decimal(5))
    assert (made.kind, made.target, made.baseline, made.tags, made.path) == (Kind.CUMULATIVE, 5, 0, (), None)
    assert Checkpoint(date(2023, 6, 30), Decimal(3)) == Checkpoint(value=Decimal(3), date=date(2023, 6, 30))
    assert [field.name for field in dataclasses.fields(Node)] == ["name", "due"]
    assert dataclasses.replace(made, title="other") == target(target=Decimal(5), title="other")
    assert dataclasses.replace(made, title="other").target == 5


@pytest.mark.parametrize("make", [
    lambda: target(colour="red"),  # no such field
    lambda: Target(id="t", title="synthetic"),  # start and due missing
    lambda: Checkpoint(date(2023, 1, 1), Decimal(1), Decimal(2)),  # one value too many
    lambda: Checkpoint(date(2023, 1, 1), date=date(2023, 1, 1)),  # given twice
])
def test_a_record_refuses_what_a_dataclass_refuses(make):
    with pytest.raises(TypeError):
        make()


def test_a_record_is_frozen_and_compares_by_its_fields():
    made = target()
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.title = "changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del made.title
    assert made == target() and hash(made) == hash(target()) and made != target(title="other")
    assert made != Settings() and Checkpoint(date(2023, 1, 1), Decimal(1)) != Node("x", date(2023, 1, 1))
    assert {Checkpoint(date(2023, 1, 1), Decimal(1)): 1}[Checkpoint(date(2023, 1, 1), Decimal("1.0"))] == 1
    assert repr(Node("x", date(2023, 1, 1))) == "Node(name='x', due=datetime.date(2023, 1, 1))"
    assert repr(made).startswith("Target(id='t', title='synthetic', start=datetime.date(2023, 1, 1), ")
