"""Read ``annotations.yaml`` safely: plain Python plus the line of every key and list item.

The YAML is composed into a node tree (ruamel.yaml, safe; or libyaml through
:mod:`anatomy.content.fastyaml` for well-behaved text) and turned into plain Python while
recording the 1-based line of every key path. Every problem is an
:class:`anatomy.errors.AtlasError` naming the file and the line.

Guards, all checked before or while parsing: a size limit, UTF-8 only, no YAML aliases
(so an alias bomb fails at its first alias), no duplicate keys, and a nesting limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from anatomy.content.fastyaml import fast_parse
from anatomy.content.schema import Loc, dotted_key
from anatomy.errors import AtlasError

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 50
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


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
