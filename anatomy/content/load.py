"""Load ``annotations.yaml`` into :class:`anatomy.content.schema.Content`, with located errors.

The YAML is composed into a node tree (ruamel.yaml, safe), turned into plain Python while
recording the line of every key and list item, and validated once by the pydantic schema.
Every problem becomes an :class:`anatomy.errors.AtlasError` that names the file, the line
and the dotted key, e.g.::

    annotations.yaml:412: muscles[3].trigger_points[0].position.along: must be between 0 and 1

Guards, all checked before or while parsing: a size limit, UTF-8 only, no YAML aliases
(so an alias bomb fails at its first alias), no duplicate keys, and a nesting limit.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from anatomy.content.checks import Loc, content_problems
from anatomy.content.fastyaml import fast_parse
from anatomy.content.messages import describe_error
from anatomy.content.schema import Content, dotted_key
from anatomy.errors import AtlasError
from anatomy.paths import default_annotations_path

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 50
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class ContentError(AtlasError):
    """One or more located problems in a content file; the first one is ``file/line/key``.

    ``problems`` holds every problem as its own ``AtlasError``, sorted by line.
    """

    def __init__(self, problems: list[AtlasError]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.key or ""))
        first = self.problems[0]
        super().__init__(first.message, file=first.file, line=first.line, key=first.key)

    def __str__(self) -> str:
        return "\n".join(p.located() for p in self.problems)


class _AliasError(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _DepthError(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _NoAliasComposer(Composer):  # type: ignore[misc]
    """A composer that refuses aliases (so an alias bomb cannot expand at all) and stops at
    ``MAX_DEPTH`` levels of nesting, long before Python's recursion limit."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            raise _AliasError(self.parser.peek_event().start_mark.line + 1)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _DepthError(self.parser.peek_event().start_mark.line + 1)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_text(path: Path) -> str:
    """The file's text after the size and encoding guards; ``AtlasError`` otherwise."""
    file = str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise AtlasError("not a file", file=file)
        if size > MAX_BYTES:
            raise AtlasError(
                f"file is {size / 1e6:.1f} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit "
                "for annotations; refusing to parse it",
                file=file,
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise AtlasError(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AtlasError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start}); "
            "save the file as UTF-8",
            file=file,
            line=line,
        ) from None
    return text.removeprefix("\ufeff")


def parse_yaml(text: str, file: str) -> tuple[Any, dict[Loc, int]]:
    """Parse YAML text into plain Python plus a map from key path to 1-based line.

    Well-behaved text is read by libyaml (:mod:`anatomy.content.fastyaml`); anything else,
    including every error, by ruamel.yaml, which reports the line.

    Raises
    ------
    AtlasError
        On syntax errors, aliases, duplicate keys, non-scalar keys or too-deep nesting.
    """
    fast = fast_parse(text, MAX_DEPTH)
    if fast is not None:
        return fast
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = _NoAliasComposer
    try:
        root = yaml.compose(text)
    except _AliasError as exc:
        raise AtlasError(
            "YAML aliases (*name) are not allowed in annotations: write the value out",
            file=file,
            line=exc.line,
        ) from None
    except _DepthError as exc:
        raise AtlasError(f"YAML nested deeper than {MAX_DEPTH} levels", file=file,
                         line=exc.line) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = str(exc.problem or exc.context or "unreadable YAML")
        if exc.context and exc.problem:
            started = exc.context_mark.line + 1 if exc.context_mark is not None else line
            what = f"{exc.problem} ({exc.context} that started on line {started})"
        raise AtlasError(f"YAML syntax error: {what}", file=file, line=line) from None
    except ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise AtlasError(f"character U+{code:04X} is not allowed in YAML text", file=file,
                         line=line) from None
    except (YAMLError, ValueError) as exc:
        raise AtlasError(f"YAML error: {exc}", file=file) from None
    except RecursionError:
        raise AtlasError("YAML nested too deeply", file=file) from None
    if root is None:
        raise AtlasError("the file is empty (expected a mapping with version, sources, "
                         "muscles and general)", file=file, line=1)
    lines: dict[Loc, int] = {(): root.start_mark.line + 1}
    return _to_python(root, (), lines, yaml.constructor, file), lines


def _to_python(node: Node, loc: Loc, lines: dict[Loc, int], constructor: Any, file: str) -> Any:
    if len(loc) > MAX_DEPTH:
        raise AtlasError(f"nested deeper than {MAX_DEPTH} levels", file=file,
                         line=node.start_mark.line + 1, key=dotted_key(loc))
    if isinstance(node, (MappingNode, SequenceNode)) and node.tag not in _PLAIN_TAGS:
        raise AtlasError(f"cannot read value: unsupported YAML tag {node.tag!r}", file=file,
                         line=node.start_mark.line + 1, key=dotted_key(loc) or None)
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise AtlasError("a key must be a plain word", file=file, line=line,
                                 key=dotted_key(loc) or None)
            key = str(key_node.value)
            if key in out:
                raise AtlasError(
                    f"duplicate key {key!r} (first on line {lines[(*loc, key)]})",
                    file=file, line=line, key=dotted_key((*loc, key)),
                )
            lines[(*loc, key)] = line
            out[key] = _to_python(value_node, (*loc, key), lines, constructor, file)
        return out
    if isinstance(node, SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            lines[(*loc, i)] = item.start_mark.line + 1
            items.append(_to_python(item, (*loc, i), lines, constructor, file))
        return items
    try:
        return constructor.construct_object(node)
    except MarkedYAMLError as exc:
        raise AtlasError(f"cannot read value: {exc.problem}", file=file,
                         line=node.start_mark.line + 1, key=dotted_key(loc) or None) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2024-13-45
        raise AtlasError(f"cannot read value {node.value!r}: {exc}", file=file,
                         line=node.start_mark.line + 1, key=dotted_key(loc) or None) from None


def _line_of(loc: Loc, lines: dict[Loc, int]) -> int:
    """The line of the deepest part of ``loc`` present in the file."""
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


def validate_content(data: Any, lines: dict[Loc, int], file: str) -> Content:
    """Validate parsed YAML into ``Content``; every problem located by file, line and key.

    Parameters
    ----------
    data
        Plain Python from :func:`parse_yaml`.
    lines
        Key path -> 1-based line, from :func:`parse_yaml`.
    file
        The file name to put in messages.

    Raises
    ------
    ContentError
        Listing every problem found (schema errors first; cross-record rules run only on
        content that is well-formed).
    """
    if not isinstance(data, dict):
        raise AtlasError(
            f"the top level must be a mapping with keys version, sources, muscles and "
            f"general, not a {type(data).__name__}", file=file, line=lines[()],
        )
    try:
        content = Content.model_validate(data, context={"defer_checks": True})
    except ValidationError as exc:
        described = [describe_error(err) for err in exc.errors()]
        problems = [
            AtlasError(message, file=file, line=_line_of(loc, lines), key=dotted_key(loc) or None)
            for loc, message in _drop_typo_echoes(described)
        ]
        raise ContentError(problems) from None
    found = content_problems(content)
    if found:
        raise ContentError([
            AtlasError(message, file=file, line=_line_of(loc, lines), key=dotted_key(loc))
            for loc, message in found
        ])
    return content


def load_content(path: str | Path | None = None) -> Content:
    """Load and validate an annotations file.

    Parameters
    ----------
    path
        The YAML file; default: the shipped ``annotations.yaml``.

    Returns
    -------
    Content
        The validated content.

    Raises
    ------
    AtlasError
        Naming the file, line and key of the (first) problem; a ``ContentError`` carries
        all of them in ``problems``.
    """
    path = Path(path) if path is not None else default_annotations_path()
    file = str(path)
    data, lines = parse_yaml(read_text(path), file)
    return validate_content(data, lines, file)
