"""Each test starts in English (conftest's plain_settings): a command run in-process with --lang zh
sets the language for the process. Synthetic data."""

from helpers import SHIPPED_TARGETS


def test_a_chinese_command_in_process(cli):
    assert cli(SHIPPED_TARGETS, "--lang", "zh", "status", "--as-of", "2024-06-30").exit_code == 0


def test_the_next_test_reads_english():
    from kpitrack.words.i18n import _, language

    assert language() == "en" and _("no targets match") == "no targets match"
