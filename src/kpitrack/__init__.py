"""kpitrack: keep score of pledged policy targets."""

__version__ = "1.2.0"
