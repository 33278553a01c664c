"""The project's error types: every data problem a user can cause is an ``AtlasError``.

One problem is an :class:`AtlasError`; a validation pass that found several raises one
:class:`AtlasProblems` carrying all of them, each located by file, line and key.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence


class AtlasError(ValueError):
    """A problem with atlas input (content, meshes, arguments), said in words.

    Parameters
    ----------
    message
        What is wrong and what to do about it.
    file, line, key
        Where: the file, the 1-based line, and the dotted key path, when known.
    check
        The name of the validation rule that found the problem, when one did.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        key: str | None = None,
        check: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.key = key
        self.check = check
        super().__init__(self.located())

    def located(self) -> str:
        """The message prefixed with ``file:line: key:`` as far as known."""
        where = ""
        if self.file:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
        if self.key:
            where = f"{where}: {self.key}" if where else self.key
        return f"{where}: {self.message}" if where else self.message


class AtlasProblems(AtlasError):
    """Every problem one validation pass found; the first is this error's ``file/line/key``.

    Raised by the content loader (schema and cross-record rules) and by the cross-checks of
    content against geometry; ``str()`` lists every problem, one located line each.

    Parameters
    ----------
    problems
        The located problems, in the order to report them (at least one).
    """

    def __init__(self, problems: Sequence[AtlasError]) -> None:
        if not problems:
            raise ValueError("AtlasProblems needs at least one problem")
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.message, file=first.file, line=first.line, key=first.key,
                         check=first.check)

    def __str__(self) -> str:
        return "\n".join(p.located() for p in self.problems)


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the choice closest to ``name``, or ``""`` if none is close.

    Parameters
    ----------
    name
        What was given.
    choices
        The names that exist.
    """
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
