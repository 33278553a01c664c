"""A fast path for reading well-behaved YAML: libyaml's C parser, composed without recursion.

ruamel.yaml's pure-Python scanner takes about a second for the shipped annotations; libyaml
(through PyYAML, which Bokeh already requires) parses the same text in a few hundredths. This
module turns libyaml's event stream into the same plain Python and key-path -> line map as
:func:`anatomy.content.safeyaml.parse_yaml`, resolving plain scalars with ruamel.yaml's YAML 1.2
rules so both paths give identical results.

It only ever accepts: it returns ``None`` for anything unusual (aliases, tags, several
documents, duplicate or complex keys, deep nesting, syntax errors), and the caller then parses
with ruamel.yaml, which produces the located error message. Inputs whose nesting could be deep
(many brackets, very long lines) never reach libyaml, whose parser slows down badly and whose
C composer can overflow the stack on deeply nested input.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode

Loc = tuple[str | int, ...]

# Bounds that keep libyaml away from pathological nesting (see module docstring).
MAX_FLOW_OPENERS = 5000
MAX_LINE_LENGTH = 2000


def fast_parse(text: str, max_depth: int) -> tuple[Any, dict[Loc, int]] | None:
    """Plain Python and line map for ``text``, or ``None`` to let ruamel.yaml decide.

    Parameters
    ----------
    text
        YAML text (already checked for size and encoding).
    max_depth
        Deepest key path accepted.
    """
    try:
        import yaml
        loader = yaml.CSafeLoader
    except (ImportError, AttributeError):
        return None
    if text.count("[") + text.count("{") > MAX_FLOW_OPENERS:
        return None
    if max((len(line) for line in text.splitlines()), default=0) > MAX_LINE_LENGTH:
        return None
    try:
        return _compose(yaml.parse(text, Loader=loader), max_depth)
    except (yaml.YAMLError, _Refuse, ValueError, TypeError, OverflowError):
        return None  # ruamel.yaml reads it again and reports the problem with its line


class _Refuse(Exception):
    """Something the fast path leaves to ruamel.yaml."""


def _compose(events: Any, max_depth: int) -> tuple[Any, dict[Loc, int]]:
    import yaml

    scalars = _ScalarReader()
    lines: dict[Loc, int] = {}
    # Each frame: [container, its key path, pending mapping key or None]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0

    def place(value: Any, event: Any) -> Loc:
        """Attach a finished value to the open container; return the value's key path."""
        line = event.start_mark.line + 1
        if not stack:
            lines[()] = line
            return ()
        container, loc, key = stack[-1]
        if isinstance(container, list):
            here = (*loc, len(container))
            lines[here] = line
            container.append(value)
            return here
        if key is None:  # this scalar is a key
            if not isinstance(event, yaml.ScalarEvent):
                raise _Refuse
            key = str(event.value)
            if key in container:
                raise _Refuse
            lines[(*loc, key)] = line
            stack[-1][2] = key
            return (*loc, key)
        container[key] = value
        stack[-1][2] = None
        return (*loc, key)

    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refuse
        elif isinstance(event, yaml.AliasEvent):
            raise _Refuse
        elif isinstance(event, yaml.ScalarEvent):
            if event.tag not in (None, "!"):
                raise _Refuse
            value = scalars.read(event.value, plain=event.implicit[0])
            if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                place(None, event)  # a key: recorded, its value comes next
            else:
                loc = place(value, event)
                if not stack:
                    root = value
                if len(loc) > max_depth:
                    raise _Refuse
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if event.tag not in (None, "!"):
                raise _Refuse
            if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                raise _Refuse  # a collection used as a key
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            loc = place(container, event)
            if len(loc) > max_depth:
                raise _Refuse
            if not stack:
                root = container
            stack.append([container, loc, None])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
    if documents == 0 or () not in lines:
        raise _Refuse  # empty: let ruamel.yaml say so
    return root, lines


class _ScalarReader:
    """Resolve and construct scalars exactly as ruamel.yaml's safe loader does."""

    def __init__(self) -> None:
        yaml = YAML(typ="safe", pure=True)
        self._resolver = yaml.resolver
        self._constructor = yaml.constructor
        self._str_tag = "tag:yaml.org,2002:str"

    def read(self, value: str, *, plain: bool) -> Any:
        if not plain:
            return value
        tag = self._resolver.resolve(ScalarNode, value, (True, False))
        if tag == self._str_tag:
            return value
        return self._constructor.construct_object(ScalarNode(tag, value), deep=True)
