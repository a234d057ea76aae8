"""The one error type users see: where the problem is and what to do."""

from __future__ import annotations

from pathlib import Path


class KpitrackError(Exception):
    """A problem with user input or data, shown as one line: `path:line:column: message`.

    Raised as a typed value: `message` is the catalogue's English template (marked N_() where it is
    raised) and `fields` fill its {names}; the CLI words it once, in the interface language
    (kpitrack.words.i18n.worded). `message` (and str()) stay the English, for logs and tests."""

    severity = "error"

    def __init__(
        self,
        message: str | Sentence,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        **fields,
    ) -> None:
        if isinstance(message, Sentence):  # a sentence made elsewhere (a field may be named `line`)
            message, fields = message.message, {**message.fields, **fields}
        self.template = message
        self.fields = fields
        message = filled(message, fields, str) if fields else message
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def elsewhere(self, path: Path | str | None = None, line: int | None = None,
                  column: int | None = None) -> KpitrackError:
        """The same problem (its kind, message and fields) at another place, or at none."""
        return type(self)(self.template, path, line, column, **self.fields)

    def where(self) -> str:
        """`path:line:column: `, or nothing where the problem has no place."""
        text = KpitrackError.__str__(self)
        return text[: len(text) - len(self.message)]

    def __str__(self) -> str:
        where = [str(self.path)] if self.path is not None else []
        if self.path is not None and self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        return ": ".join([":".join(where), self.message]) if where else self.message


class KpitrackWarning(KpitrackError):
    """What is allowed but probably a slip: shown as `path:line: warning: message`, and no failure."""

    severity = "warning"

    def __str__(self) -> str:
        return self.where() + "warning: " + self.message


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


class Listed(Sentence):
    """Items (sentences or plain values) joined by a separator of the catalogue (", " is "、" in
    Chinese), worded where they are shown."""

    def __init__(self, items, separator: str = ", ") -> None:
        super().__init__(separator)
        self.items = tuple(items)

    def __str__(self) -> str:
        return self.message.join(str(item) for item in self.items)


class Worded(ValueError):
    """A ValueError that is a Sentence: raised by the domain, worded at the edge in the interface language."""

    def __init__(self, message: str, **fields) -> None:
        self.sentence = Sentence(message, **fields)
        super().__init__(str(self.sentence))


def filled(template: str, fields: dict, word) -> str:
    """`template` with its {fields}; a field that is a Sentence (a word to translate too) is worded by `word`."""
    return template.format(**{key: word(value) if isinstance(value, (Sentence, Worded, KpitrackError)) else value
                              for key, value in fields.items()})
