"""The one error type users see: where the problem is and what to do."""

from __future__ import annotations

from pathlib import Path


class KpitrackError(Exception):
    """A problem with user input or data, shown as one line: `path:line:column: message`."""

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = [str(self.path)] if self.path is not None else []
        if self.path is not None and self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        return ": ".join([":".join(where), self.message]) if where else self.message


class MissingFolder(KpitrackError):
    """The workspace folder named by an option or the environment does not exist."""

    def __init__(self, folder: str, from_environment: bool) -> None:
        super().__init__("no such folder", folder)
        self.folder = folder
        self.from_environment = from_environment


class NoWorkspace(KpitrackError):
    """No workspace was named and none was found from here upwards."""

    def __init__(self) -> None:
        super().__init__("no workspace here")


class Sentence:
    """A sentence for a person, kept as its catalogue message (English, with {fields}) and its
    fields, to be worded once where it is shown (kpitrack.words.i18n.worded); str() is the English."""

    def __init__(self, message: str, **fields) -> None:
        self.message = message
        self.fields = fields

    def __str__(self) -> str:
        return self.message.format(**{key: str(value) for key, value in self.fields.items()})


class Worded(ValueError):
    """A ValueError that is a Sentence: raised by the domain, worded at the edge in the interface language."""

    def __init__(self, message: str, **fields) -> None:
        self.sentence = Sentence(message, **fields)
        super().__init__(str(self.sentence))
