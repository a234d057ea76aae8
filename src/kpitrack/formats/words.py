"""Every word a person reads on a page, a workbook or a document, in one place per language, so
that the interface language (gettext, on merge with the Chinese interface) has one door to go through."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "number": "No.", "id": "ID", "title": "Target", "owner": "Responsible unit", "unit": "Unit",
        "target": "Target value", "current": "Completed to date", "completion": "Completion",
        "planned": "Time-elapsed progress", "lag": "Progress gap", "status": "Status",
        "last_update": "Updated", "as_of": "As of",
        "grey": "no light",
        "report_as_of": "Progress report as of {date}",
        "targets": "targets", "attention": "Needing attention",
        "plan": "plan", "actual": "actual", "target_line": "target", "needs": "needs {pace} a month to finish by {due}",
        "entries": "Progress entries", "date": "Date", "value": "Value", "total": "Running total", "note": "Note",
        "source": "Source", "no_entries": "no entries yet", "yes": "yes", "ledger": "Ledger",
        "completion_vs_planned": "Completion against time-elapsed progress (%)",
        "plan_completion": "of the plan to date",
        "generated": "Made by kpitrack; print to PDF from the browser for the filed copy.",
    },
    "zh": {
        "number": "序号", "id": "编号", "title": "指标", "owner": "责任单位", "unit": "单位",
        "target": "目标值", "current": "累计完成", "completion": "完成率", "planned": "序时进度",
        "lag": "进度差", "status": "状态", "last_update": "更新日期", "as_of": "截至日期",
        "grey": "无灯",
        "report_as_of": "进度报告（截至 {date}）",
        "targets": "项指标", "attention": "需关注事项",
        "plan": "序时计划", "actual": "实际完成", "target_line": "目标值", "needs": "每月需完成 {pace}，方能于 {due} 前完成",
        "entries": "进度记录", "date": "日期", "value": "数值", "total": "累计值", "note": "备注",
        "source": "来源", "no_entries": "暂无记录", "yes": "是", "ledger": "台账",
        "completion_vs_planned": "完成率与序时进度（%）",
        "plan_completion": "完成序时计划的",
        "generated": "由 kpitrack 生成；在浏览器中打印为 PDF 即为存档件。",
    },
}

# A light's colours: fill for a cell, ink for text on white.
COLOURS = {"green": ("#c6efce", "#1e7b34"), "yellow": ("#ffeb9c", "#9c6500"),
           "red": ("#ffc7ce", "#9c0006"), "grey": ("#e7e6e6", "#595959")}


def word(key: str, lang: str = "en", **values: str) -> str:
    """The word for `key` in `lang`: a status, verdict, light or `stale` from the interface's
    catalogue (the offices' own words: 严重滞后, 逾期未完成, 未报送, 红灯 …), the rest from WORDS."""
    shared = _catalogue_word(key)
    if shared is not None:
        from kpitrack.words.i18n import in_language

        return in_language(lang, shared)
    text = WORDS.get(lang, WORDS["en"]).get(key) or WORDS["en"][key]
    return text.format(**values) if values else text


def _catalogue_word(key: str) -> str | None:
    from kpitrack.words.display import LIGHTS, STALE, STATUS_WORDS, VERDICT_WORDS

    messages = {status.value: message for status, message in STATUS_WORDS.items()}
    messages.update({verdict.value: message for verdict, message in VERDICT_WORDS.items()})
    messages.update({message: message for message in LIGHTS.values()}, stale=STALE)
    return messages.get(key)
