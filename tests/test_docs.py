"""The reference in docs/ is generated from the code (docs/generate.py) and must not drift from it:
every command, option and field, as the app and the field table declare them."""

import importlib.util
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[1] / "docs"


def generator():
    spec = importlib.util.spec_from_file_location("generate", DOCS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(generator().PAGES))
def test_each_reference_page_is_what_the_code_says(name):
    page = generator().PAGES[name]()
    assert (DOCS / name).read_text(encoding="utf-8") == page, f"docs/{name} is stale: run python docs/generate.py"


def test_every_command_and_option_is_in_the_reference():
    import typer

    from kpitrack.cli import COMMANDS, app

    text = (DOCS / "commands.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    context = group.context_class(group, info_name="kpitrack")
    for name in COMMANDS:
        assert f"## kpitrack {name}\n" in text
        for parameter in group.get_command(context, name).params:
            for option in parameter.opts:
                assert f"`{option}`" in text or parameter.param_type_name == "argument", (name, option)
