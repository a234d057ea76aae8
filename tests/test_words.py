"""Every word of the page, workbook and document comes from the one catalogue, in each language:
none falls back to English unseen, and the page reads a sentence as the Markdown report does."""

from kpitrack.domain.model import Status
from kpitrack.words.labels import LABELS, word


def test_every_word_of_the_page_has_its_chinese_in_the_catalogue():
    untranslated = [key for key in LABELS if word(key, "zh") == word(key, "en") and key not in ("id",)]
    assert untranslated == []
    for status in Status:
        assert word(status.value, "zh") != word(status.value, "en")
    # the offices' own words, from the one catalogue the interface speaks
    assert (word("behind", "zh"), word("at-risk", "zh"), word("no-data", "zh"), word("red", "zh")) == (
        "严重滞后", "滞后", "未报送", "红灯")


def test_words_take_their_values():
    assert word("report_as_of", "zh", date="2024年6月30日") == "进度报告（截至2024年6月30日）"
    assert word("planned", "zh") == "序时进度" and word("planned", "fr") == word("planned", "en")
