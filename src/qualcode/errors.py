"""A small exception hierarchy whose messages teach.

Every message names where the problem is (file, sheet, cell, field), what was found,
and how to fix it. Messages are given as :class:`~qualcode._i18n.Message` (a label key and its
values) where they have been catalogued, so that ``str(exc)`` is English and
:meth:`QualcodeError.localised` is the project's language; the CLI prints the latter and exits
non-zero. Library code only raises.
"""

from __future__ import annotations

from ._i18n import Message, localised, tr


class QualcodeError(Exception):
    """Base class: anything qualcode reports to a user as a clear message."""

    def localised(self, lang: str | None) -> str:
        """The message in ``lang`` (the parts that are :class:`Message`; English otherwise)."""
        return localised(self.args[0], lang) if len(self.args) == 1 else str(self)


class IngestError(QualcodeError):
    """A transcript or participants file could not be read or understood."""


class CodebookError(QualcodeError):
    """The codebook YAML is invalid. Messages name the file, the code and the field."""


class StoreError(QualcodeError):
    """The project database is missing, from another project, or inconsistent."""


class ReviewImportError(QualcodeError):
    """A review workbook has problems; ``problems`` lists every one, nothing was applied."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = list(problems)
        super().__init__(self.localised("en"))

    def localised(self, lang: str | None) -> str:
        head = Message("error.review_import", path=self.path, n=len(self.problems)).render(lang)
        return head + "\n" + "\n".join(f"  - {localised(p, lang)}" for p in self.problems)


class CoderError(QualcodeError):
    """A coder could not run (missing model, unreachable server, untrained model...)."""


class ExchangeError(QualcodeError):
    """A REFI-QDA file (.qdpx project, .qdc codebook) cannot be read or written."""


class OutputError(QualcodeError):
    """An output file could not be written (read-only folder, disk full, a file in the way).

    ``path`` is the file that was being written; work done before (a stored pass) is kept.
    """

    def __init__(self, message: str, path: object = None):
        super().__init__(message)
        self.path = path


class ConfigError(QualcodeError):
    """A parameter or configuration value is invalid.

    When one parameter of a library call is at fault, ``parameter`` names it, ``value`` is the
    value as text and ``reason`` says what is wrong; the message reads ``parameter=value:
    reason`` and the CLI shows its option instead (:meth:`as_option`: ``--parameter value:
    reason``).
    """

    def __init__(self, message: str = "", *, parameter: str | None = None, value: str = "",
                 reason: str = ""):
        self.parameter = parameter
        self.value = value
        self.reason = reason
        super().__init__(message or f"{parameter}={value}: {reason}")

    def as_option(self, lang: str | None = None) -> str:
        """The message as the command line says it: ``--min-topic-size 1: ...``, in ``lang``."""
        if not self.parameter:
            return self.localised(lang) if lang else str(self)
        return f"--{self.parameter.replace('_', '-')} {self.value}{tr('punct.colon', lang)}{localised(self.reason, lang)}"
