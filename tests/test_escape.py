"""The escapes of untrusted text, with their printable fast path, against the character-by-character
definition (random strings, weighted to the invisible categories and U+3164, the Hangul filler)."""

import json
import unicodedata

from hypothesis import given, settings, strategies as st

from helpers import examples
from kpitrack.words.display import BLANK, INVISIBLE, SPACES, visible
from kpitrack.formats.machine import json_string, to_json


def hides(character):
    """Control and format characters, the blank letters (U+3164 …) and every space but the two that are text."""
    category = unicodedata.category(character)
    return category in INVISIBLE or ord(character) in BLANK or (category == "Zs" and character not in SPACES)


def escaped(character):
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible_by_character(text, multiline=False):
    kept = "\n\t" if multiline else ""
    return "".join(character if not hides(character) or character in kept else escaped(character)
                   for character in text)


def json_by_character(text):
    return "".join(character if unicodedata.category(character) not in INVISIBLE else json.dumps(character)[1:-1]
                   for character in json.dumps(text, ensure_ascii=False))


awkward = st.one_of(
    st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Cn", "Cs", "Mn", "Lo"]),
    st.sampled_from(["\u3164", "\u200b", "\u202e", "\u2028", "\u2029", "\x7f", "\x85", "\ufeff", "\t", "\n",
                     "\r", "\x1b", " ", '"', "\\", "\U000e0001", "\U0001f600"]),
)
texts = st.one_of(st.text(), st.text(alphabet=awkward), st.text(alphabet=st.one_of(st.characters(), awkward)),
                  st.text(alphabet=st.characters(codec="utf-8")))


@settings(max_examples=examples(400))
@given(texts, st.booleans())
def test_visible_equals_the_character_by_character_escape(text, multiline):
    assert visible(text, multiline) == visible_by_character(text, multiline)


@settings(max_examples=examples(400))
@given(texts)
def test_json_string_equals_the_character_by_character_escape(text):
    assert json_string(text) == to_json(text) == json_by_character(text)


def test_the_fast_path_still_escapes_what_hides():
    assert visible("a\u202eb\u200bc\x1b") == "a\\u202eb\\u200bc\\x1b"
    assert visible("line\nnext\t", multiline=True) == "line\nnext\t"
    assert json_string("a\u2028b\x7f") == '"a\\u2028b\\u007f"'
    assert visible("\u3164") == "\\u3164"  # a letter (Lo) that prints as nothing: escaped (issue 14)
