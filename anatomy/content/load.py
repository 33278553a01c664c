"""Load ``annotations.yaml`` into :class:`anatomy.content.schema.Content`, with located errors.

:func:`load_annotations` is the one way in: it reads the file safely
(:mod:`anatomy.content.safeyaml`), validates it once with the pydantic schema, then runs every
cross-record rule of :mod:`anatomy.content.checks` once, and returns the content together with
its line map, so that later checks (e.g. against the meshes) can name lines too. Every problem
names the file, the line and the dotted key, e.g.::

    annotations.yaml:412: muscles[3].trigger_points[0].position.along: must be between 0 and 1

and all problems found in one pass come together as one :class:`anatomy.errors.AtlasProblems`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from anatomy.content.checks import content_problems
from anatomy.content.messages import describe_error
from anatomy.content.safeyaml import parse_yaml, read_text
from anatomy.content.schema import Content, Loc, dotted_key
from anatomy.errors import AtlasError, AtlasProblems
from anatomy.paths import default_annotations_path


@dataclass(frozen=True)
class LoadedContent:
    """Validated content, the file it came from, and the line of every key path in it.

    Attributes
    ----------
    content
        The validated content.
    lines
        Key path -> 1-based line, e.g. ``('muscles', 3, 'id') -> 412``.
    path
        The file, as named in messages.
    """

    content: Content = field(repr=False)
    lines: Mapping[Loc, int] = field(repr=False)
    path: str

    def line(self, loc: Loc) -> int:
        """The line of the deepest part of ``loc`` present in the file (1 if none is)."""
        return _line_of(loc, self.lines)

    def problem(self, loc: Loc, message: str, *, check: str | None = None) -> AtlasError:
        """An :class:`AtlasError` for the value at ``loc``, located by file, line and key.

        Parameters
        ----------
        loc
            The key path of the offending value.
        message
            What is wrong.
        check
            The name of the rule that found it.
        """
        return AtlasError(message, file=self.path, line=self.line(loc),
                          key=dotted_key(loc) or None, check=check)


def _line_of(loc: Loc, lines: Mapping[Loc, int]) -> int:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return 1


def _drop_typo_echoes(described: list[tuple[Loc, str]]) -> list[tuple[Loc, str]]:
    """Drop "missing" errors explained by a misspelt sibling key (reported as unknown)."""
    unknown = {(loc[:-1], str(loc[-1])) for loc, msg in described if msg.startswith("unknown key")}

    def echoed(loc: Loc, msg: str) -> bool:
        if msg != "required key is missing" or not loc:
            return False
        siblings = [name for parent, name in unknown if parent == loc[:-1]]
        return bool(difflib.get_close_matches(str(loc[-1]), siblings, n=1))

    return [(loc, msg) for loc, msg in described if not echoed(loc, msg)]


def _by_line(problems: list[AtlasError]) -> list[AtlasError]:
    return sorted(problems, key=lambda p: (p.line or 0, p.key or ""))


def _validate(data: Any, lines: dict[Loc, int], file: str) -> LoadedContent:
    """Validate parsed YAML: the schema, then (on well-formed content) the cross-record rules."""
    if not isinstance(data, dict):
        raise AtlasError(
            f"the top level must be a mapping with keys version, sources, muscles and "
            f"general, not a {type(data).__name__}", file=file, line=lines[()],
        )
    try:
        content = Content.model_validate(data)
    except ValidationError as exc:
        described = _drop_typo_echoes([describe_error(err) for err in exc.errors()])
        raise AtlasProblems(_by_line([
            AtlasError(message, file=file, line=_line_of(loc, lines), key=dotted_key(loc) or None)
            for loc, message in described
        ])) from None
    loaded = LoadedContent(content, lines, file)
    found = content_problems(content)
    if found:
        raise AtlasProblems(_by_line([loaded.problem(p.loc, p.message, check=p.rule)
                                      for p in found]))
    return loaded


def load_annotations(path: str | Path | None = None) -> LoadedContent:
    """Load and validate an annotations file, keeping its line map.

    Parameters
    ----------
    path
        The YAML file; default: the shipped ``annotations.yaml``.

    Returns
    -------
    LoadedContent
        The validated content, its line map and the file name.

    Raises
    ------
    AtlasError
        For a file that cannot be read or parsed, located by file and line.
    AtlasProblems
        For content that breaks the schema or a cross-record rule: every problem, sorted by
        line, each naming the file, the line and the key (schema problems first; the rules run
        only on content that is well-formed).
    """
    file = Path(path) if path is not None else default_annotations_path()
    data, lines = parse_yaml(read_text(file), str(file))
    return _validate(data, lines, str(file))


def load_content(path: str | Path | None = None) -> Content:
    """The validated content of an annotations file (:func:`load_annotations` without lines).

    Parameters
    ----------
    path
        The YAML file; default: the shipped ``annotations.yaml``.

    Raises
    ------
    AtlasError
        As :func:`load_annotations`.
    """
    return load_annotations(path).content
