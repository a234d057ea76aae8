"""Status → light: the one table every output reads (the terminal's `(green)` beside a status,
the page's and the ledger's colours, the charts' ink)."""

from __future__ import annotations

from kpitrack.domain.model import Status

# Every status has a colour; only the three bands of a pledge under way are named by their light
# (绿灯, 黄灯, 红灯) beside the status word: done and overdue have words of their own.
LIGHT = {Status.DONE: "green", Status.ON_TRACK: "green", Status.AT_RISK: "yellow", Status.BEHIND: "red",
         Status.OVERDUE: "red", Status.NOT_STARTED: "grey", Status.NO_DATA: "grey", Status.TRACKED: "grey"}
NAMED_LIGHTS = (Status.ON_TRACK, Status.AT_RISK, Status.BEHIND)

# A light's colours: fill for a cell, ink for text on white.
COLOURS = {"green": ("#c6efce", "#1e7b34"), "yellow": ("#ffeb9c", "#9c6500"),
           "red": ("#ffc7ce", "#9c0006"), "grey": ("#e7e6e6", "#595959")}
