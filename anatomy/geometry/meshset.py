"""The built geometry as one object: ``MeshSet.load(meshes_dir)``.

Loading reads ``manifest.json``, checks that every listed file exists, then reads the skin and
``landmarks.json``. Bones and muscles are read on first use and cached; every file read is
checked against the manifest (sha256, vertex and triangle counts) and any mismatch raises an
:class:`~anatomy.errors.AtlasError` naming the file.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from functools import cached_property
from pathlib import Path

import numpy as np

from anatomy.errors import AtlasError
from anatomy.geometry.landmarks import Landmarks, read_landmarks
from anatomy.geometry.manifest import MANIFEST_NAME, MeshEntry, MuscleInfo, read_manifest
from anatomy.geometry.meshio import TriMesh
from anatomy.geometry.surface import SkinSurface
from anatomy.paths import default_meshes_dir

_MAX_MESH_BYTES = 50_000_000


_NPY_HEADER = re.compile(
    r"\{'descr': '(<f4|<i4)', 'fortran_order': False, 'shape': \((\d+), 3\), \}\s*"
)


def _read_npy(data: bytes) -> np.ndarray:
    """An array from ``.npy`` bytes; the common header of our own files is parsed directly
    (``np.lib.format`` parses it with ``ast``, which dominates load time for small meshes)."""
    if data[:8] in (b"\x93NUMPY\x01\x00",):
        size = int.from_bytes(data[8:10], "little")
        m = _NPY_HEADER.fullmatch(data[10 : 10 + size].decode("latin1"))
        if m:
            rows = int(m.group(2))
            arr = np.frombuffer(data, dtype=m.group(1), count=rows * 3, offset=10 + size)
            return arr.reshape(rows, 3)
    return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)


def decode_mesh(data: bytes, file: str) -> TriMesh:
    """Parse the bytes of a ``.npz`` mesh file, raising ``AtlasError`` naming ``file``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            verts = _read_npy(zf.read("vertices.npy")).astype(np.float32, copy=False)
            faces = _read_npy(zf.read("faces.npy")).astype(np.int32, copy=False)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise AtlasError(f"mesh file is corrupt or not a mesh ({exc})", file=file) from None
    if verts.ndim != 2 or verts.shape[1:] != (3,) or faces.ndim != 2 or faces.shape[1:] != (3,):
        raise AtlasError("mesh arrays have the wrong shape", file=file)
    if faces.size and (faces.min() < 0 or faces.max() >= len(verts)):
        raise AtlasError("mesh faces index vertices that do not exist", file=file)
    if not np.all(np.isfinite(verts)):
        raise AtlasError("mesh has non-finite vertex coordinates", file=file)
    return TriMesh(vertices=verts, faces=faces)


class MeshSet:
    """Skin, bones, muscles and landmarks of one ``meshes/`` directory.

    Use :meth:`load`; the constructor takes already-read manifest data. Meshes are cached and
    shared, so their arrays are read-only: copy before changing them.
    """

    def __init__(
        self, directory: Path, entries: list[MeshEntry], muscles: dict[str, MuscleInfo]
    ) -> None:
        self.directory = Path(directory)
        self.entries: dict[str, MeshEntry] = {e.id: e for e in entries}
        self._muscles = muscles
        self._muscle_entry = {
            (e.muscle, e.side): e for e in entries if e.kind == "muscle"
        }
        self._cache: dict[str, TriMesh] = {}
        self.manifest_file = str(self.directory / MANIFEST_NAME)

    @classmethod
    def load(cls, directory: Path | str | None = None) -> MeshSet:
        """Load a meshes directory (default: the atlas's own ``meshes/``).

        Raises
        ------
        AtlasError
            When the manifest is malformed, a listed file is missing, the skin is corrupt or
            does not match the manifest, or ``landmarks.json`` is missing or malformed.
        """
        root = Path(directory) if directory is not None else default_meshes_dir()
        entries, muscles = read_manifest(root)
        meshes = cls(root, entries, muscles)
        for e in entries:
            if not (root / e.path).is_file():
                raise AtlasError(f"mesh file is missing ({meshes.listed(e)})",
                                 file=str(root / e.path))
        meshes.landmarks  # noqa: B018 - read eagerly so a bad landmarks file fails at load
        return meshes

    # -- mesh access ------------------------------------------------------------------------
    def mesh(self, mesh_id: str) -> TriMesh:
        """The mesh with manifest id ``mesh_id`` (read, checked and cached on first use)."""
        if mesh_id not in self._cache:
            try:
                entry = self.entries[mesh_id]
            except KeyError:
                raise AtlasError(f"no mesh with id {mesh_id!r}", file=self.manifest_file) from None
            self._cache[mesh_id] = self._read(entry)
        return self._cache[mesh_id]

    def listed(self, entry: MeshEntry) -> str:
        """Where the manifest lists ``entry``, in words (for messages about its file)."""
        where = f"{self.manifest_file}:{entry.line}" if entry.line else self.manifest_file
        return f"listed as {entry.id!r} in {where}"

    def _read(self, entry: MeshEntry) -> TriMesh:
        path = self.directory / entry.path
        file = str(path)
        try:
            if path.stat().st_size > _MAX_MESH_BYTES:
                raise AtlasError("mesh file is implausibly large; refusing to read it "
                                 f"({self.listed(entry)})", file=file)
            data = path.read_bytes()
        except FileNotFoundError:
            raise AtlasError(f"mesh file is missing ({self.listed(entry)})", file=file) from None
        except OSError as exc:
            raise AtlasError(f"mesh file cannot be read ({exc.strerror}; {self.listed(entry)})",
                             file=file) from None
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry.sha256:
            raise AtlasError(
                f"file content does not match the manifest: sha256 is {digest[:12]}…, the "
                f"manifest says {entry.sha256[:12]}… ({self.listed(entry)}); rebuild with "
                "`myoatlas build-meshes`",
                file=file,
            )
        try:
            mesh = decode_mesh(data, file)
        except AtlasError as exc:
            raise AtlasError(f"{exc.message} ({self.listed(entry)})", file=file) from None
        counts = (len(mesh.vertices), len(mesh.faces))
        if counts != (entry.n_vertices, entry.n_triangles):
            raise AtlasError(
                f"mesh has {counts[0]} vertices and {counts[1]} triangles but the manifest "
                f"says {entry.n_vertices} and {entry.n_triangles} ({self.listed(entry)})",
                file=file,
            )
        return mesh

    def load_all(self) -> None:
        """Read and check every mesh file now (``myoatlas validate`` does this)."""
        for mesh_id in self.entries:
            self.mesh(mesh_id)

    def bounds(self) -> tuple[float, float, float, float, float, float]:
        """``(xmin, xmax, ymin, ymax, zmin, zmax)`` of every mesh together, in metres."""
        lo = np.full(3, np.inf)
        hi = np.full(3, -np.inf)
        for mesh_id in self.entries:
            v = np.asarray(self.mesh(mesh_id).vertices)
            lo, hi = np.minimum(lo, v.min(axis=0)), np.maximum(hi, v.max(axis=0))
        x0, y0, z0 = (float(v) for v in lo)
        x1, y1, z1 = (float(v) for v in hi)
        return (x0, x1, y0, y1, z0, z1)

    # -- the parts of the body --------------------------------------------------------------
    @cached_property
    def skin_entry(self) -> MeshEntry:
        return next(e for e in self.entries.values() if e.kind == "skin")

    @property
    def skin(self) -> TriMesh:
        """The skin mesh."""
        return self.mesh(self.skin_entry.id)

    @cached_property
    def skin_surface(self) -> SkinSurface:
        """The skin with its cached KD-tree and distance graph."""
        return SkinSurface(self.skin.vertices, self.skin.faces)

    @cached_property
    def landmarks(self) -> Landmarks:
        """The named skin landmarks of ``landmarks.json``."""
        return read_landmarks(self.directory, len(self.skin.vertices))

    @property
    def bone_ids(self) -> list[str]:
        """Manifest ids of the bones."""
        return [e.id for e in self.entries.values() if e.kind == "bone"]

    def organ_entry(self, organ: str, side: str) -> MeshEntry | None:
        """The manifest entry of ``organ`` (``"pleura"`` or ``"lung"``) on ``side``, or None
        when the meshes have none (an older or partial build)."""
        for e in self.entries.values():
            if e.kind == "organ" and e.organ == organ and e.side == side:
                return e
        return None

    @property
    def muscle_ids(self) -> list[str]:
        """The muscle ids (side-agnostic) that have at least one mesh, sorted."""
        return sorted({m for m, _ in self._muscle_entry})

    def has_muscle(self, muscle: str, side: str) -> bool:
        """Whether there is a mesh for ``muscle`` on ``side``."""
        return (muscle, side) in self._muscle_entry

    def muscle_entry(self, muscle: str, side: str) -> MeshEntry:
        """The manifest entry of one muscle mesh."""
        try:
            return self._muscle_entry[(muscle, side)]
        except KeyError:
            raise AtlasError(f"no {side} mesh for muscle {muscle!r}",
                             file=self.manifest_file) from None

    def muscle(self, muscle: str, side: str) -> TriMesh:
        """The mesh of ``muscle`` on ``side``."""
        return self.mesh(self.muscle_entry(muscle, side).id)

    def muscle_info(self, muscle: str, side: str) -> MuscleInfo:
        """Origin, insertion and centreline of ``muscle`` on ``side``."""
        self.muscle_entry(muscle, side)
        return self._muscles[f"{muscle}_{side}"]
