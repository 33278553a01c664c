"""The libyaml fast path reads exactly what ruamel.yaml reads, and steps aside otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from model_helpers import MINIMAL

from anatomy.content import safeyaml as content_module
from anatomy.content.fastyaml import fast_parse
from anatomy.content.safeyaml import MAX_DEPTH, parse_yaml, read_text

pytest.importorskip("yaml")

REPO = Path(__file__).resolve().parents[2]


def _slow_parse(text: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(content_module, "fast_parse", lambda text, depth: None)
    return parse_yaml(text, "x.yaml")


@pytest.mark.parametrize(
    "path",
    [pytest.param(REPO / "annotations.yaml", marks=pytest.mark.slow, id="shipped"),
     pytest.param(MINIMAL, id="minimal")],
)
def test_same_data_and_lines_as_ruamel(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = read_text(path)
    fast = fast_parse(text, MAX_DEPTH)
    assert fast is not None
    assert _slow_parse(text, monkeypatch) == fast


SCALARS = """\
a: yes
b: 0o17
c: 012
d: 1_000
e: .inf
f: ~
g:
h: 'quoted: text'
i: 2024-05-03
j: 1e3
k: True
l: 0x1F
m: "12"
"""


def test_scalars_resolve_like_yaml_1_2(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = fast_parse(SCALARS, MAX_DEPTH)
    assert fast is not None
    assert fast == _slow_parse(SCALARS, monkeypatch)
    assert fast[0]["a"] == "yes" and fast[0]["k"] is True and fast[0]["m"] == "12"


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # alias
        "a: 1\na: 2\n",  # duplicate key
        "a: !!str 1\n",  # explicit tag
        "? [a]\n: 1\n",  # complex key
        "a: 1\n---\nb: 2\n",  # two documents
        "a: [1, 2\n",  # syntax error
        "",  # empty
        "# only a comment\n",  # empty
        "a: " + "[" * 6000 + "]" * 6000 + "\n",  # too many brackets for libyaml
        "a: " + "[" * 60 + "]" * 60 + "\n",  # deeper than MAX_DEPTH
        "a: " + "x" * 3000 + "\n",  # very long line
    ],
)
def test_unusual_input_is_left_to_ruamel(text: str) -> None:
    assert fast_parse(text, MAX_DEPTH) is None
