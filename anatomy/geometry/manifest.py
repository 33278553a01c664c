"""Reading and checking ``meshes/manifest.json`` (the index of every mesh file).

Problems are reported as :class:`~anatomy.errors.AtlasError` naming ``manifest.json``, the
line of the offending entry and its key (``meshes[12].sha256``), never as a traceback.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from anatomy.errors import AtlasError
from anatomy.frame import SIDES

KINDS = ("skin", "bone", "muscle", "organ")
ORGANS = ("pleura", "lung", "kidney")
MANIFEST_NAME = "manifest.json"
_MAX_MANIFEST_BYTES = 20_000_000


@dataclass(frozen=True)
class MeshEntry:
    """One manifest entry: where a mesh file is and what the build said about it."""

    id: str
    kind: str
    path: str
    sha256: str
    n_vertices: int
    n_triangles: int
    line: int | None
    muscle: str | None = None
    side: str | None = None
    bone: str | None = None
    organ: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class MuscleInfo:
    """What the build recorded about one muscle mesh: attachments and the belly centreline."""

    muscle: str
    side: str
    origin: np.ndarray
    insertion: np.ndarray
    centreline: np.ndarray
    shape: str | None
    origin_landmark: str | None
    insertion_landmark: str | None


def read_json_document(path: Path, what: str) -> tuple[str, Any]:
    """The text of a JSON file of ``meshes/`` and its parsed document.

    Raises
    ------
    AtlasError
        Naming the file (and the line, for a syntax error) when it is not UTF-8 or not JSON;
        ``what`` names the file in the message (``"manifest"``, ``"landmarks file"``).
    """
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        return text, json.loads(text)
    except UnicodeDecodeError as exc:
        raise AtlasError(f"{what} is not UTF-8 text ({exc.reason})", file=file) from None
    except json.JSONDecodeError as exc:
        raise AtlasError(f"{what} is not valid JSON: {exc.msg}", file=file,
                         line=exc.lineno) from None


def _entry_lines(text: str) -> dict[str, int]:
    """Map each ``"id": "..."`` in the manifest text to its 1-based line."""
    lines: dict[str, int] = {}
    for m in re.finditer(r'"id"\s*:\s*"([^"]*)"', text):
        lines.setdefault(m.group(1), text.count("\n", 0, m.start()) + 1)
    return lines


def _points(value: Any, *, n: int | None, where: dict[str, Any]) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        arr = np.zeros((0,))
    ok = arr.ndim == (1 if n == 1 else 2) and arr.shape[-1:] == (3,) and np.all(np.isfinite(arr))
    if ok and n is None and arr.shape[0] < 2:
        ok = False
    if not ok:
        shape = "[x, y, z]" if n == 1 else "a list of at least two [x, y, z] points"
        raise AtlasError(f"must be {shape} in metres", **where)
    return arr


def read_manifest(meshes_dir: Path) -> tuple[list[MeshEntry], dict[str, MuscleInfo]]:
    """Read and check ``manifest.json``; return its entries and the muscles' metadata.

    Raises
    ------
    AtlasError
        When the manifest is missing, is not JSON, or has a malformed, duplicate or unknown
        entry.
    """
    path = Path(meshes_dir) / MANIFEST_NAME
    where_file = str(path)
    if not path.is_file():
        raise AtlasError(
            "manifest is missing (is this a meshes/ directory? rebuild with "
            "`myoatlas build-meshes`)",
            file=where_file,
        )
    if path.stat().st_size > _MAX_MANIFEST_BYTES:
        raise AtlasError("manifest is implausibly large; refusing to read it", file=where_file)
    text, doc = read_json_document(path, "manifest")
    if not isinstance(doc, dict) or not isinstance(doc.get("meshes"), list):
        raise AtlasError("manifest must be an object with a 'meshes' list", file=where_file,
                         key="meshes")
    if doc.get("format") != 1:
        raise AtlasError(f"unsupported manifest format {doc.get('format')!r} (expected 1)",
                         file=where_file, key="format")
    lines = _entry_lines(text)
    entries: list[MeshEntry] = []
    muscles: dict[str, MuscleInfo] = {}
    seen: dict[str, int] = {}
    for i, item in enumerate(doc["meshes"]):
        entry = _entry(item, i, where_file, lines)
        if entry.id in seen:
            raise AtlasError(f"duplicate mesh id {entry.id!r} (also meshes[{seen[entry.id]}])",
                             file=where_file, line=entry.line, key=f"meshes[{i}].id")
        seen[entry.id] = i
        entries.append(entry)
        if entry.kind == "muscle":
            info = _muscle_info(item, entry, i, where_file)
            key = f"{info.muscle}_{info.side}"
            if key in muscles:
                raise AtlasError(f"muscle {info.muscle!r} has two {info.side} meshes",
                                 file=where_file, line=entry.line, key=f"meshes[{i}].muscle")
            muscles[key] = info
    skins = [e for e in entries if e.kind == "skin"]
    if len(skins) != 1:
        raise AtlasError(f"manifest must list exactly one skin mesh (found {len(skins)})",
                         file=where_file, key="meshes")
    return entries, muscles


def _entry(item: Any, i: int, file: str, lines: dict[str, int]) -> MeshEntry:
    where: dict[str, Any] = {"file": file, "key": f"meshes[{i}]"}
    if not isinstance(item, dict):
        raise AtlasError("each mesh entry must be a JSON object", **where)
    ident = item.get("id")
    line = lines.get(ident) if isinstance(ident, str) else None
    where["line"] = line

    def need(name: str, typ: type | tuple[type, ...]) -> Any:
        value = item.get(name)
        if not isinstance(value, typ) or isinstance(value, bool):
            raise AtlasError(f"missing or malformed {name!r}", file=file, line=line,
                             key=f"meshes[{i}].{name}")
        return value

    ident = need("id", str)
    kind = need("kind", str)
    if kind not in KINDS:
        raise AtlasError(f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})",
                         file=file, line=line, key=f"meshes[{i}].kind")
    rel = need("path", str)
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\\" in rel:
        raise AtlasError(f"mesh path {rel!r} must be relative and stay inside the meshes "
                         "directory", file=file, line=line, key=f"meshes[{i}].path")
    sha = need("sha256", str)
    if not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise AtlasError("sha256 must be 64 lowercase hex digits", file=file, line=line,
                         key=f"meshes[{i}].sha256")
    side = item.get("side")
    if side is not None and side not in SIDES:
        raise AtlasError(f"side must be 'left', 'right' or null, not {side!r}", file=file,
                         line=line, key=f"meshes[{i}].side")
    return MeshEntry(
        id=ident, kind=kind, path=rel, sha256=sha,
        n_vertices=need("vertices", int), n_triangles=need("triangles", int), line=line,
        muscle=item.get("muscle"), side=side, bone=item.get("bone"),
        organ=_organ(item, kind, i, file, line), raw=item,
    )  # fmt: skip


def _organ(item: dict[str, Any], kind: str, i: int, file: str, line: int | None) -> str | None:
    organ = item.get("organ")
    if kind == "organ" and organ not in ORGANS:
        raise AtlasError(f"an organ mesh needs 'organ': one of {', '.join(ORGANS)} (not {organ!r})",
                         file=file, line=line, key=f"meshes[{i}].organ")
    return organ if kind == "organ" else None


def _muscle_info(item: dict[str, Any], entry: MeshEntry, i: int, file: str) -> MuscleInfo:
    def where(name: str) -> dict[str, Any]:
        return {"file": file, "line": entry.line, "key": f"meshes[{i}].{name}"}

    if not isinstance(entry.muscle, str) or not entry.muscle:
        raise AtlasError("a muscle mesh needs its 'muscle' id", **where("muscle"))
    if entry.side is None:
        raise AtlasError("a muscle mesh needs 'side': 'left' or 'right'", **where("side"))
    return MuscleInfo(
        muscle=entry.muscle,
        side=entry.side,
        origin=_points(item.get("origin"), n=1, where=where("origin")),
        insertion=_points(item.get("insertion"), n=1, where=where("insertion")),
        centreline=_points(item.get("centreline"), n=None, where=where("centreline")),
        shape=item.get("shape"),
        origin_landmark=item.get("origin_landmark"),
        insertion_landmark=item.get("insertion_landmark"),
    )
