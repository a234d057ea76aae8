"""Every word of the page, workbook and document exists in each language: none falls back unseen."""

from kpitrack.formats.words import WORDS, word
from kpitrack.domain.model import Status


def test_each_language_has_every_word_and_every_status():
    assert set(WORDS["zh"]) == set(WORDS["en"])
    for status in Status:
        assert word(status.value, "zh") != word(status.value, "en")
    # the offices' own words, from the one catalogue the interface speaks
    assert (word("behind", "zh"), word("at-risk", "zh"), word("no-data", "zh"), word("red", "zh")) == (
        "严重滞后", "滞后", "未报送", "红灯")


def test_words_take_their_values():
    assert word("report_as_of", "zh", date="2024-06-30") == "进度报告（截至 2024-06-30）"
    assert word("planned", "zh") == "序时进度" and word("planned", "fr") == word("planned", "en")
