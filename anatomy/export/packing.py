"""Compact geometry for exported pages: quantised positions, byte normals, deflate-compressed.

The live app streams float32 arrays over a websocket (:mod:`anatomy.scene.web`); an exported
page has to carry its geometry inside an HTML or ``.js`` file, as text. So the same packed
scene is re-encoded more tightly here:

- positions: int16 per coordinate, quantised over the bounds of the whole packed scene
  (1.9 m / 65535 ≈ 0.03 mm steps, far below a mesh's edge length);
- normals: int8, unit vectors scaled by 127 (as :mod:`anatomy.scene.web` makes them);
- triangles: uint16 when a mesh has fewer than 65536 vertices, else uint32;
- extra integer arrays (skin vertex ids of referral zones): uint16 or uint32 by their maximum.

Every block starts at a 4-byte aligned offset of one buffer, which is then compressed with
zlib (the browser's ``DecompressionStream('deflate')`` reads it) and written as base64.
Cleaning, outward winding and normals come from :func:`anatomy.scene.web.build_web_scene`,
so exported pages and the app draw the same triangles. :func:`unpack_geometry` decodes the
buffer again in Python (tests, size checks).
"""

from __future__ import annotations

import base64
import io
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from anatomy.errors import AtlasError
from anatomy.scene.web import SceneMesh, build_web_scene

FORMAT = "myoatlas-compact-1"
_Q = 65535.0


@dataclass(frozen=True)
class PackedGeometry:
    """Compressed geometry (``data``) and the manifest a page needs to decode it."""

    data: bytes
    manifest: dict[str, Any]

    @property
    def raw_size(self) -> int:
        """Bytes of the buffer before compression."""
        return int(self.manifest["raw_bytes"])

    def base64(self) -> str:
        """The compressed buffer as base64 text (for a page or a ``.js`` file)."""
        return base64.b64encode(self.data).decode("ascii")


def _block(out: io.BytesIO, arr: np.ndarray) -> int:
    out.write(b"\0" * (-out.tell() % 4))
    offset = out.tell()
    out.write(np.ascontiguousarray(arr).tobytes())
    return offset


def _index_dtype(max_value: int) -> tuple[str, str]:
    return ("<u2", "uint16") if max_value < 65536 else ("<u4", "uint32")


def pack_geometry(
    meshes: Iterable[SceneMesh],
    arrays: Mapping[str, Iterable[int]] | None = None,
    *,
    level: int = 9,
) -> PackedGeometry:
    """Pack meshes (and named non-negative integer arrays) into compressed compact geometry.

    Parameters
    ----------
    meshes
        The meshes to pack, in drawing order (may be empty: arrays only).
    arrays
        Extra integer arrays by name, e.g. ``{"zone/tp1/right/essential": skin_ids}``.
    level
        zlib compression level.

    Returns
    -------
    PackedGeometry
        ``manifest`` has ``format``, ``quant`` (``origin`` and ``step`` per axis, metres),
        ``bounds``, ``raw_bytes``, ``actors`` (records as in :mod:`anatomy.scene.web` with
        ``offsets`` into the decompressed buffer) and ``arrays`` (name -> offset, count, type).

    Raises
    ------
    AtlasError
        If a mesh is empty or degenerate, or an array has negative values.
    """
    meshes = list(meshes)
    scene = build_web_scene(meshes) if meshes else None
    bounds = scene.bounds if scene else (0.0,) * 6
    lo = np.asarray(bounds[0::2], dtype=np.float64)
    hi = np.asarray(bounds[1::2], dtype=np.float64)
    step = np.maximum(hi - lo, 1e-6) / _Q
    out = io.BytesIO()
    actors = []
    for rec in scene.actors if scene else []:
        n, m = rec["counts"]["points"], rec["counts"]["triangles"]
        src = scene.buffer  # type: ignore[union-attr]
        points = np.frombuffer(src, "<f4", n * 3, rec["offsets"]["points"]).reshape(n, 3)
        normals = np.frombuffer(src, "i1", n * 3, rec["offsets"]["normals"])
        dtype = "<u2" if rec["index_type"] == "uint16" else "<u4"
        tris = np.frombuffer(src, dtype, m * 3, rec["offsets"]["indices"])
        q = np.round((points.astype(np.float64) - lo) / step) - 32768
        offsets = {
            "points": _block(out, np.clip(q, -32768, 32767).astype("<i2")),
            "normals": _block(out, normals),
            "indices": _block(out, tris),
        }
        actors.append({**rec, "offsets": offsets})
    table = {}
    for name, values in (arrays or {}).items():
        arr = np.asarray(list(values) if not isinstance(values, np.ndarray) else values)
        arr = arr.astype(np.int64).ravel()
        if arr.size and arr.min() < 0:
            raise AtlasError("packed integer arrays must not be negative", key=name)
        dtype, type_name = _index_dtype(int(arr.max()) if arr.size else 0)
        table[name] = {"offset": _block(out, arr.astype(dtype)), "count": int(arr.size),
                       "type": type_name}
    out.write(b"\0" * (-out.tell() % 4))
    raw = out.getvalue()
    manifest = {
        "format": FORMAT,
        "compression": "deflate",
        "raw_bytes": len(raw),
        "quant": {"origin": [float(v) for v in lo], "step": [float(v) for v in step]},
        "bounds": [float(v) for v in bounds],
        "actors": actors,
        "arrays": table,
    }
    return PackedGeometry(data=zlib.compress(raw, level), manifest=manifest)


def unpack_geometry(packed: PackedGeometry) -> dict[str, Any]:
    """Decode packed geometry in Python, as a page does in the browser.

    Returns
    -------
    dict
        ``{"meshes": {id: (points float32 (n, 3), normals float32 (n, 3), faces (m, 3))},
        "arrays": {name: int array}}``.
    """
    raw = zlib.decompress(packed.data)
    man = packed.manifest
    origin = np.asarray(man["quant"]["origin"])
    step = np.asarray(man["quant"]["step"])
    meshes = {}
    for rec in man["actors"]:
        n, m = rec["counts"]["points"], rec["counts"]["triangles"]
        q = np.frombuffer(raw, "<i2", n * 3, rec["offsets"]["points"]).reshape(n, 3)
        points = (origin + (q.astype(np.float64) + 32768) * step).astype(np.float32)
        normals = np.frombuffer(raw, "i1", n * 3, rec["offsets"]["normals"]).reshape(n, 3) / 127
        dtype = "<u2" if rec["index_type"] == "uint16" else "<u4"
        faces = np.frombuffer(raw, dtype, m * 3, rec["offsets"]["indices"]).reshape(m, 3)
        meshes[rec["id"]] = (points, normals.astype(np.float32), faces.astype(np.int64))
    arrays = {}
    for name, spec in man["arrays"].items():
        dtype = "<u2" if spec["type"] == "uint16" else "<u4"
        arrays[name] = np.frombuffer(raw, dtype, spec["count"], spec["offset"]).astype(np.int64)
    return {"meshes": meshes, "arrays": arrays}
