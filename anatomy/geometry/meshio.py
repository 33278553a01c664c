"""Reading and writing the atlas's mesh files (``.npz``: ``vertices`` float32, ``faces`` int32).

Files are written deterministically (fixed zip timestamps, fixed array order) so that
``myoatlas build-meshes`` run twice gives byte-identical output.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from anatomy.errors import AtlasError


@dataclass(frozen=True)
class TriMesh:
    """A triangle mesh: ``vertices`` (n, 3) float32 metres, ``faces`` (m, 3) int32."""

    vertices: np.ndarray
    faces: np.ndarray

    @property
    def n_triangles(self) -> int:
        return int(self.faces.shape[0])


def encode_mesh(vertices: np.ndarray, faces: np.ndarray) -> bytes:
    """The bytes of a mesh file (deterministic)."""
    verts = np.ascontiguousarray(vertices, dtype="<f4")
    tris = np.ascontiguousarray(faces, dtype="<i4")
    if verts.ndim != 2 or verts.shape[1] != 3 or tris.ndim != 2 or tris.shape[1] != 3:
        raise ValueError("vertices and faces must be (n, 3) arrays")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, arr in (("vertices", verts), ("faces", tris)):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            npy = io.BytesIO()
            np.lib.format.write_array(npy, arr, allow_pickle=False)
            zf.writestr(info, npy.getvalue(), compresslevel=6)
    return buf.getvalue()


def write_mesh(path: Path, vertices: np.ndarray, faces: np.ndarray) -> str:
    """Write a mesh file; return its sha256 hex digest."""
    data = encode_mesh(vertices, faces)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def read_mesh(path: Path) -> TriMesh:
    """Read a mesh file, raising ``AtlasError`` naming the file when it is missing or corrupt."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            verts = np.asarray(npz["vertices"], dtype=np.float32)
            faces = np.asarray(npz["faces"], dtype=np.int32)
    except FileNotFoundError:
        raise AtlasError("mesh file is missing", file=str(path)) from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        raise AtlasError(f"mesh file is corrupt or not a mesh ({exc})", file=str(path)) from None
    if verts.ndim != 2 or verts.shape[1:] != (3,) or faces.ndim != 2 or faces.shape[1:] != (3,):
        raise AtlasError("mesh arrays have the wrong shape", file=str(path))
    if faces.size and (faces.min() < 0 or faces.max() >= len(verts)):
        raise AtlasError("mesh faces index vertices that do not exist", file=str(path))
    if not np.all(np.isfinite(verts)):
        raise AtlasError("mesh has non-finite vertex coordinates", file=str(path))
    return TriMesh(vertices=verts, faces=faces)
