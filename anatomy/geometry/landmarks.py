"""Named skin landmarks (``meshes/landmarks.json``) and side resolution of landmark names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from anatomy.errors import AtlasError
from anatomy.frame import BILATERAL_LANDMARKS, MIDLINE_LANDMARKS, SIDES
from anatomy.geometry.manifest import read_json_document

LANDMARKS_NAME = "landmarks.json"


@dataclass(frozen=True)
class Landmark:
    """A named point on the skin, with the skin vertex it sits on and the rule that placed it."""

    name: str
    position: np.ndarray
    vertex: int
    rule: str
    index: int = -1
    line: int | None = None
    # The bone point the rule names, how the skin was reached from it (``ray`` along ``out``
    # or ``nearest`` skin facing ``out``) and that unit direction; None in files without them.
    feature: np.ndarray | None = None
    place: str | None = None
    out: np.ndarray | None = None


class Landmarks:
    """The skin landmarks by name.

    Parameters
    ----------
    items
        The landmarks.
    file
        The file they were read from (used in error messages).
    """

    def __init__(self, items: list[Landmark], file: str = LANDMARKS_NAME) -> None:
        self._by_name = {lm.name: lm for lm in items}
        self.file = file

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __len__(self) -> int:
        return len(self._by_name)

    def __getitem__(self, name: str) -> Landmark:
        try:
            return self._by_name[name]
        except KeyError:
            raise AtlasError(f"unknown skin landmark {name!r}", file=self.file) from None

    @property
    def names(self) -> list[str]:
        """All landmark names, sorted."""
        return sorted(self._by_name)

    def vertex_ids(self) -> np.ndarray:
        """Skin vertex id of every landmark, in the order of :attr:`names`."""
        return np.array([self._by_name[n].vertex for n in self.names], dtype=np.int64)


def sided_name(name: str, side: str) -> str:
    """The landmark a side-agnostic zone name means on ``side``.

    ``temple`` on the right is ``right_temple``; midline names (``vertex``) and unknown names
    are returned unchanged (unknown ones are reported by the landmark check).
    """
    if name in BILATERAL_LANDMARKS:
        return f"{side}_{name}"
    return name


def side_of_name(name: str) -> str | None:
    """``left``/``right`` for a prefixed bilateral landmark name, ``None`` for the midline."""
    for side in SIDES:
        if name.startswith(side + "_"):
            return side
    return None


# How a landmark rule reaches the skin from its bone feature.
PLACES = ("ray", "nearest")


def is_midline(name: str) -> bool:
    """Whether ``name`` is a midline landmark (no side prefix)."""
    return name in MIDLINE_LANDMARKS


def read_landmarks(meshes_dir: Path, n_skin_vertices: int) -> Landmarks:
    """Read and check ``landmarks.json`` against the skin it refers to.

    Raises
    ------
    AtlasError
        Naming the file (and the landmark's key) when the file is missing, is not JSON, or an
        entry is malformed, duplicated, or points at a skin vertex that does not exist.
    """
    path = Path(meshes_dir) / LANDMARKS_NAME
    file = str(path)
    if not path.is_file():
        raise AtlasError("skin landmarks file is missing; rebuild with `myoatlas build-meshes`",
                         file=file)
    text, doc = read_json_document(path, "landmarks file")
    if not isinstance(doc, dict) or not isinstance(doc.get("landmarks"), list):
        raise AtlasError("must be an object with a 'landmarks' list", file=file, key="landmarks")
    items: list[Landmark] = []
    seen: set[str] = set()
    for i, raw in enumerate(doc["landmarks"]):
        lm = _landmark(raw, i, file, text, n_skin_vertices)
        if lm.name in seen:
            raise AtlasError(f"duplicate landmark {lm.name!r}", file=file,
                             line=_line_of(text, lm.name), key=f"landmarks[{i}].name")
        seen.add(lm.name)
        items.append(lm)
    return Landmarks(items, file=file)


def _line_of(text: str, name: str) -> int | None:
    pos = text.find(f'"{name}"')
    return None if pos < 0 else text.count("\n", 0, pos) + 1


def _landmark(raw: Any, i: int, file: str, text: str, n_vertices: int) -> Landmark:
    key = f"landmarks[{i}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise AtlasError("each landmark needs a 'name' string", file=file, key=f"{key}.name")
    name = raw["name"]
    line = _line_of(text, name)
    where = {"file": file, "line": line}
    pos = _point(raw, "position", name, f"{key}.position", where, " in metres")
    vertex = raw.get("vertex")
    if not isinstance(vertex, int) or isinstance(vertex, bool) or not 0 <= vertex < n_vertices:
        raise AtlasError(f"landmark {name!r} has 'vertex' {vertex!r}, not a skin vertex id "
                         f"(0..{n_vertices - 1})", file=file, line=line, key=f"{key}.vertex")
    feature = _point(raw, "feature", name, f"{key}.feature", where) if "feature" in raw else None
    out = _point(raw, "out", name, f"{key}.out", where) if "out" in raw else None
    place = raw.get("place")
    if place is not None and place not in PLACES:
        raise AtlasError(f"landmark {name!r} has 'place' {place!r}, not one of {PLACES}",
                         key=f"{key}.place", **where)
    return Landmark(name=name, position=pos, vertex=vertex, rule=str(raw.get("rule", "")),
                    index=i, line=line, feature=feature, place=place, out=out)


def _point(raw: dict, field: str, name: str, key: str, where: dict,
           unit: str = "") -> np.ndarray:  # fmt: skip
    """The finite ``[x, y, z]`` at ``raw[field]``; a located error naming the field if not."""
    try:
        point = np.asarray(raw.get(field), dtype=np.float64)
    except (TypeError, ValueError):
        point = np.zeros(0)
    if point.shape != (3,) or not np.all(np.isfinite(point)):
        raise AtlasError(f"landmark {name!r} needs '{field}': [x, y, z]{unit}", key=key, **where)
    return point
