"""Every field of every file kind, declared once: validation takes its keys from here, the README's
field reference is checked against it, and a JSON Schema can be generated from it."""

from __future__ import annotations

from typing import NamedTuple


class Field(NamedTuple):
    name: str
    type: str  # text, number, date, flag, choice, ids, texts, tables, days, cadence, periods
    doc: str
    required: bool = False
    choices: tuple[str, ...] = ()
    of: str = ""  # for `tables`: the FILE_KINDS entry whose fields each table has


TARGET_FIELDS = (
    Field("title", "text", "What was pledged, in the document's own words.", required=True),
    Field("title_en", "text", "The title in English, shown when the interface speaks English."),
    Field("unit", "text", "Unit of the figures: 家, 亿元, 万套, km."),
    Field("target", "number", "The figure to reach (not for milestones; a parent may take its parts' sum)."),
    Field("baseline", "number", "Where the figure stands at start; default 0."),
    Field("start", "date", "First day of the period; default: the plan's (plan.toml `period` or `start`)."),
    Field("due", "date", "Last day of the period; default: the plan's (plan.toml `period` or `due`)."),
    Field("kind", "choice", "What the entries record.",
          choices=("cumulative", "level", "milestone", "indicator", "growth")),
    Field("direction", "choice", "Whether the figure must rise or fall.", choices=("increase", "decrease")),
    Field("owner", "owners", "The responsible unit (责任单位), or a list: the lead unit (牵头) first, then co-units (配合)."),
    Field("source", "text", "Where it was pledged: outlet, date and the pledge's own words."),
    Field("tags", "texts", "Words to select targets by."),
    Field("stretch", "flag", "A 力争 (strive) pledge kept as a target of its own."),
    Field("qualifier", "choice", "How the target is worded: 超 over, 以上 at-least, 左右 about, 以内 at-most.",
          choices=("over", "at-least", "about", "at-most")),
    Field("tolerance", "number", "For `about`: how far below the target still counts as done, in its unit."),
    Field("stretch_target", "number", "The 力争 figure of a 确保X、力争Y pledge; `target` is the committed X."),
    Field("cadence", "cadence", "How often a figure is expected: weekly, monthly, quarterly, yearly or days."),
    Field("schedule", "choice", "How the plan (序时进度) advances: by day, by month, by quarter, or not at all.",
          choices=("daily", "monthly", "quarterly", "none")),
    Field("parts", "ids", "Ids of the targets this one adds up (a city pledge split by district)."),
    Field("checkpoint", "tables", "The planned path: [[checkpoint]] tables of date and value.", of="checkpoint"),
    Field("planned", "periods", "The plan by period (按月分解): [planned] \"2024-03\" = 13.5, cumulative, in the "
                                "target's unit; a month (YYYY-MM) or a quarter (YYYY-Q1)."),
    Field("pace", "number", "Per cent of the calendar plan asked (120: 按照序时进度的120%推进); capped at 100 %."),
    Field("warn_days", "days", "临期预警: days before due from which it is flagged while not done (milestones: 30)."),
    Field("yellow", "number", "Its own lag in points from which it is at-risk (黄灯), over its plan's or the workspace's."),
    Field("red", "number", "Its own lag in points from which it is behind (红灯), over its plan's or the workspace's."),
    Field("node", "tables", "A milestone's node plan (形象进度): [[node]] tables of name and due, in date order.",
          of="node"),
    Field("progress", "tables", "The entries: [[progress]] tables, appended by `kpitrack add`.", of="progress"),
)

NODE_FIELDS = (
    Field("name", "text", "The node's name, such as 开工 or 竣工验收; one each.", required=True),
    Field("due", "date", "The day by whose end it is due, within the target's period.", required=True),
)

CHECKPOINT_FIELDS = (
    Field("date", "date", "The day by whose end the value is planned.", required=True),
    Field("value", "number", "The figure planned by then.", required=True),
)

PROGRESS_FIELDS = (
    Field("date", "date", "The day the figure refers to.", required=True),
    Field("value", "number", "The figure: an increment, a running total, or a reading."),
    Field("total", "flag", "The value is the running total since start (年初至今累计)."),
    Field("done", "flag", "For a milestone: whether it is done."),
    Field("note", "text", "A note, such as the bulletin it came from."),
    Field("source", "text", "Where the figure was published."),
    Field("qualifier", "choice", "How the figure was published: 近 nearly, 超 over, 约 about.",
          choices=("nearly", "over", "about")),
    Field("estimate", "flag", "The figure is an estimate (预计, 初步统计); a final one for its date replaces it."),
    Field("repeat", "days", "2, 3…: a genuine repeat of an identical entry, written by `add --again`."),
    Field("node", "text", "For a milestone with nodes: the node this entry marks done or not (`add --node`)."),
)

PLAN_FIELDS = (
    Field("title", "text", "The document's title.", required=True),
    Field("issuer", "text", "Who issued it."),
    Field("date", "date", "When it was issued."),
    Field("source", "text", "Where it was published."),
    Field("period", "text", "The period it covers, such as 2024: a year gives its targets' start and due."),
    Field("start", "date", "First day of the plan's period, where `period` is not a year."),
    Field("due", "date", "Last day of the plan's period, where `period` is not a year."),
    Field("closed", "flag", "true: the plan is over (check and status skip it); false: it is not, whatever its dates."),
    Field("pace", "number", "Per cent of the calendar plan its targets are asked (120: 按照序时进度的120%推进)."),
    Field("yellow", "number", "Lag in points from which its targets are at-risk (黄灯), over the workspace's."),
    Field("warn_days", "days", "临期预警 days before due for its targets, over the workspace's."),
    Field("cadence", "cadence", "How often its targets report, over the workspace's; it chases milestones too."),
    Field("red", "number", "Lag in points from which its targets are behind (红灯), over the workspace's."),
)

SETTINGS_FIELDS = (
    Field("yellow", "number", "Points behind the plan from which a target is at-risk (黄灯); default 0."),
    Field("red", "number", "Points behind the plan from which a target is behind (红灯); default 10."),
    Field("at_risk_band", "number", "The old name of red, read as yellow = 0 and red = N."),
    Field("schedule", "choice", "The default schedule of targets that set none; built in: daily.",
          choices=("daily", "monthly", "quarterly", "none")),
    Field("language", "choice", "The interface language, unless --lang or KPITRACK_LANG says otherwise.",
          choices=("en", "zh")),
    Field("cadence", "cadence", "The default cadence for targets that set none; without it nothing is stale."),
    Field("stale_grace_days", "days", "Days a figure may be late past its cadence before it is stale."),
    Field("growth_red", "number", "Points short of a growth target from which it is behind (default 1)."),
    Field("close_after_days", "days", "Days after a plan's last due date when it closes; default 120."),
    Field("warn_days", "days", "临期预警: days before due from which a target not done is flagged; default 30 for milestones."),
    Field("pace", "number", "Per cent of the calendar plan targets are asked (120: 按照序时进度的120%推进); default 100."),
    Field("decimals", "number", "Decimals of every printed percentage and gap, 1 or 2 (default); JSON and CSV keep 2."),
    Field("office", "text", "The office's name: the author of the Word document (report --format docx); default kpitrack."),
)

FILE_KINDS = {
    "target": TARGET_FIELDS, "checkpoint": CHECKPOINT_FIELDS, "node": NODE_FIELDS, "progress": PROGRESS_FIELDS,
    "plan": PLAN_FIELDS, "settings": SETTINGS_FIELDS,
}


def names(fields: tuple[Field, ...]) -> tuple[str, ...]:
    return tuple(field.name for field in fields)
