"""Writing ``meshes/``: mesh files, ``landmarks.json`` and ``manifest.json`` (deterministic).

JSON is written with fixed key order, floats rounded to micrometres and one manifest entry per
line (so ``anatomy.geometry.manifest`` can name the line of a bad entry).
"""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path
from typing import Any

import numpy as np

from anatomy.geometry.meshio import write_mesh

FRAME = "metres; +z up; -y anterior; +x character's left; x=0 midsagittal; z=0 floor"
SUBDIRS = ("skin", "bones", "organs", "muscles")


def _round(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, float):
        return round(value, 6) + 0.0  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, np.floating):
        return _round(float(value))
    if isinstance(value, np.integer):
        return int(value)
    return value


def source_versions() -> dict[str, str]:
    """Versions of the registry packages the build read."""
    out = {}
    for dist in ("myo-sim", "mujoco", "anny"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "absent"
    return out


def mesh_entry(out_dir: Path, rel: str, vertices: np.ndarray, faces: np.ndarray,
               **fields: Any) -> dict[str, Any]:  # fmt: skip
    """Write one mesh file under ``out_dir`` and return its manifest entry."""
    verts = np.asarray(vertices, dtype=np.float32)
    tris = np.asarray(faces, dtype=np.int32)
    sha = write_mesh(out_dir / rel, verts, tris)
    entry = {"id": fields.pop("id"), "kind": fields.pop("kind")}
    entry.update({k: fields.pop(k) for k in ("bone", "organ", "muscle", "side") if k in fields})
    entry.update(path=rel, vertices=len(verts), triangles=len(tris), sha256=sha)
    entry.update(fields)
    return entry


def write_landmarks(out_dir: Path, landmarks: list[dict]) -> None:
    """``landmarks.json``: one landmark per line, sorted by name."""
    items = sorted(landmarks, key=lambda lm: lm["name"])
    lines = [json.dumps(_round(lm), ensure_ascii=False) for lm in items]
    text = '{"landmarks": [\n' + ",\n".join(lines) + "\n]}\n"
    (out_dir / "landmarks.json").write_text(text, encoding="utf-8")


def write_manifest(out_dir: Path, entries: list[dict], sources: dict[str, str]) -> None:
    """``manifest.json`` with entries sorted by id, one per line."""
    items = sorted(entries, key=lambda e: e["id"])
    head = {"format": 1, "frame": FRAME, "sources": sources}
    text = json.dumps(head, ensure_ascii=False)[:-1] + ',\n "meshes": [\n'
    text += ",\n".join(json.dumps(_round(e), ensure_ascii=False) for e in items)
    text += "\n]}\n"
    (out_dir / "manifest.json").write_text(text, encoding="utf-8")


def remove_stale(out_dir: Path, entries: list[dict]) -> list[Path]:
    """Delete mesh files under the build's subdirectories that the new manifest does not list."""
    listed = {e["path"] for e in entries}
    stale = []
    for sub in SUBDIRS:
        for path in sorted((out_dir / sub).glob("*.npz")):
            if f"{sub}/{path.name}" not in listed:
                path.unlink()
                stale.append(path)
    return stale
