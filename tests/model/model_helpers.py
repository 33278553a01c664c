"""Helpers for the content tests: a minimal valid annotations file and its broken variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from anatomy.content.load import load_content
from anatomy.errors import AtlasError

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"


def line_of(text: str, needle: str) -> int:
    """1-based line where ``needle`` starts in ``text`` (it must occur exactly once)."""
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times"
    return text[: text.index(needle)].count("\n") + 1


def write_variant(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    """The minimal file with ``old`` (which must occur once) replaced by ``new``."""
    base = MINIMAL.read_text(encoding="utf-8")
    assert base.count(old) == 1, f"{old!r} occurs {base.count(old)} times in minimal.yaml"
    text = base.replace(old, new)
    path = tmp_path / "annotations.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def load_error(path: Path) -> AtlasError:
    """The ``AtlasError`` that loading ``path`` raises (fails the test if it loads)."""
    with pytest.raises(AtlasError) as info:
        load_content(path)
    return info.value


def assert_located(err: AtlasError, path: Path, line: int, key: str | None, *words: str) -> None:
    """The error names the file, the line and the key, and its text contains ``words``."""
    text = str(err)
    where = f"{path}:{line}: {key}:" if key else f"{path}:{line}:"
    assert where in text, f"expected {where!r} in:\n{text}"
    assert (err.file, err.line, err.key) == (str(path), line, key), text
    for word in words:
        assert word in text, f"expected {word!r} in:\n{text}"
    assert "Traceback" not in text
