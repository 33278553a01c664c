"""The project's error type: every data problem a user can cause is an ``AtlasError``."""

from __future__ import annotations


class AtlasError(ValueError):
    """A problem with atlas input (content, meshes, arguments), said in words.

    Parameters
    ----------
    message
        What is wrong and what to do about it.
    file, line, key
        Where: the file, the 1-based line, and the dotted key path, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.key = key
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
