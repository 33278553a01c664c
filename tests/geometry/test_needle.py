"""Needle lines through a synthetic body of nested boxes (``anatomy.geometry.needle``).

The body is a box of skin; the needle goes in from its back (+y) toward the front (-y).
Under the back's skin lie two muscle slabs (a superficial one and the target), then a
ribcage of twelve bars a side (the ribs, each a separate part) with a sternum at the front,
then each side's pleura and, 10 mm inside it, the lung. Depths from the back's skin:

====================  ==========
subcutaneous          0-10 mm
superficial muscle    10-20 mm
target muscle         20-50 mm
rib n                 ``RIB_DEPTH_MM[n]`` (2 mm deeper each rib down), 10 mm thick
pleura / lung         80 / 90 mm
====================  ==========
"""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_atlas import cylinder

from anatomy.geometry.manifest import MeshEntry
from anatomy.geometry.meshio import write_mesh
from anatomy.geometry.meshset import MeshSet
from anatomy.geometry.needle import Interval, NeedleLine, NeedleTracer

BACK = 0.15  # y of the back's skin
X = 0.06  # the needle's x on the left (+x)
RIB_SPACING = 0.04
RIB_HALF = 0.0075  # half a rib's height
TOL = 1e-3  # mm: the meshes are float32


def rib_z(n: int) -> float:
    """The height of the centre of rib ``n`` (rib 1 highest)."""
    return 0.56 - RIB_SPACING * n


def rib_back(n: int) -> float:
    """The y of rib ``n``'s back face: each rib 2 mm deeper than the one above."""
    return 0.096 - 0.002 * n


RIB_DEPTH_MM = {n: round(1000 * (BACK - rib_back(n)), 6) for n in range(1, 13)}


def box(lo, hi, step: float | None = None) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """A closed box wound outward; each face cut into squares of about ``step``."""
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    verts: list[np.ndarray] = []
    faces: list[list[int]] = []
    for axis in range(3):
        u, w = [a for a in range(3) if a != axis]
        nu = max(1, round((hi[u] - lo[u]) / step)) if step else 1
        nw = max(1, round((hi[w] - lo[w]) / step)) if step else 1
        for value, outward in ((lo[axis], -1.0), (hi[axis], 1.0)):
            gu, gw = np.meshgrid(np.linspace(lo[u], hi[u], nu + 1),
                                 np.linspace(lo[w], hi[w], nw + 1), indexing="ij")  # fmt: skip
            p = np.zeros((gu.size, 3))
            p[:, axis], p[:, u], p[:, w] = value, gu.ravel(), gw.ravel()
            base = sum(len(v) for v in verts)
            verts.append(p)
            for i in range(nu):
                for j in range(nw):
                    a, b = base + i * (nw + 1) + j, base + (i + 1) * (nw + 1) + j
                    quad = [[a, b, b + 1], [a, b + 1, a + 1]]
                    for tri in quad:
                        normal = np.cross(p[tri[1] - base] - p[tri[0] - base],
                                          p[tri[2] - base] - p[tri[0] - base])  # fmt: skip
                        faces.append(tri if normal[axis] * outward > 0 else tri[::-1])
    v = np.concatenate(verts)
    # merge the shared edge vertices so that the box is one closed surface
    keys, inverse = np.unique(np.round(v, 9), axis=0, return_inverse=True)
    return keys.astype(np.float32), inverse.ravel()[np.array(faces)].astype(np.int32)


def ribcage() -> tuple[np.ndarray, np.ndarray]:
    """Twelve rib bars a side and a sternum (the largest part) as one mesh."""
    parts = [cylinder(0.012, 0.2, 0.5, 24, 12, centre=(0.0, -0.11))]
    for n in range(1, 13):
        for sign in (1.0, -1.0):
            x0, x1 = sorted((sign * 0.02, sign * 0.15))
            parts.append(box([x0, rib_back(n) - 0.01, rib_z(n) - RIB_HALF],
                             [x1, rib_back(n), rib_z(n) + RIB_HALF]))  # fmt: skip
    verts, faces, offset = [], [], 0
    for v, f in parts:
        verts.append(v)
        faces.append(f + offset)
        offset += len(v)
    return np.concatenate(verts).astype(np.float32), np.concatenate(faces).astype(np.int32)


def _mirror(lo, hi, sign):  # type: ignore[no-untyped-def]
    if sign > 0:
        return lo, hi
    return [-hi[0], lo[1], lo[2]], [-lo[0], hi[1], hi[2]]


@pytest.fixture(scope="module")
def tracer(tmp_path_factory: pytest.TempPathFactory) -> NeedleTracer:
    root = tmp_path_factory.mktemp("needle")
    meshes: dict[str, tuple[dict, tuple[np.ndarray, np.ndarray]]] = {
        "skin": ({"kind": "skin"}, box([-0.2, -0.15, 0.0], [0.2, BACK, 0.6], step=0.01)),
        "bone_thorax": ({"kind": "bone", "bone": "thorax"}, ribcage()),
    }
    for side, sign in (("left", 1.0), ("right", -1.0)):
        for name, lo, hi in (
            ("superficial", [0.0, BACK - 0.020, 0.1], [0.17, BACK - 0.010, 0.55]),
            ("target", [0.0, BACK - 0.050, 0.1], [0.17, BACK - 0.020, 0.55]),
        ):
            meshes[f"{name}_{side}"] = ({"kind": "muscle", "muscle": name, "side": side},
                                        box(*_mirror(lo, hi, sign)))  # fmt: skip
        meshes[f"pleura_{side}"] = ({"kind": "organ", "organ": "pleura", "side": side},
                                    box(*_mirror([0.01, -0.08, 0.1], [0.16, BACK - 0.08, 0.5],
                                                 sign)))  # fmt: skip
        meshes[f"lung_{side}"] = ({"kind": "organ", "organ": "lung", "side": side},
                                  box(*_mirror([0.02, -0.07, 0.11], [0.15, BACK - 0.09, 0.49],
                                               sign)))  # fmt: skip
    entries = []
    for mesh_id, (info, (v, f)) in meshes.items():
        sha = write_mesh(root / f"{mesh_id}.npz", v, f)
        entries.append(MeshEntry(id=mesh_id, path=f"{mesh_id}.npz", sha256=sha,
                                 n_vertices=len(v), n_triangles=len(f), line=None,
                                 **info))  # fmt: skip
    return NeedleTracer(MeshSet(root, entries, {}))


def straight_in(z: float, x: float = X) -> tuple[np.ndarray, np.ndarray]:
    return np.array([x, BACK, z]), np.array([0.0, -1.0, 0.0])


def test_the_synthetic_ribcage_has_its_parts(tracer: NeedleTracer) -> None:
    ribs = tracer.ribcage
    assert ribs.names[0] == "sternum and costal cartilages"
    assert len(ribs.names) == 25
    assert np.allclose(ribs.rib_points("left", 5)[:, 2].mean(), rib_z(5), atol=1e-6)


def test_intervals_name_every_structure_along_the_line(tracer: NeedleTracer) -> None:
    got = tracer.intervals(*straight_in(rib_z(5)))
    assert [(iv.kind, iv.name) for iv in got] == [
        ("muscle", "superficial_left"), ("muscle", "target_left"), ("bone", "left rib 5"),
        ("pleura", "pleura_left"), ("lung", "lung_left")]  # fmt: skip
    starts = [iv.start_mm for iv in got]
    assert starts == pytest.approx([10.0, 20.0, RIB_DEPTH_MM[5], 80.0, 90.0], abs=TOL)
    assert [iv.end_mm for iv in got[:3]] == pytest.approx(
        [20.0, 50.0, RIB_DEPTH_MM[5] + 10.0], abs=TOL)
    assert got[3].end_mm > 120.0  # the pleura's whole stretch, past the line's reach


def test_the_line_through_a_marker_reads_the_depths(tracer: NeedleTracer) -> None:
    marker = np.array([X, BACK - 0.035, rib_z(5)])  # in the middle of the target muscle
    line = tracer.line("target_left", marker, "left", np.array([0.0, -2.0, 0.0]))
    assert line.direction_from == "record"
    assert np.allclose(line.direction, [0, -1, 0])
    assert np.allclose(line.entry, [X, BACK, rib_z(5)], atol=1e-9)
    assert line.marker_mm == pytest.approx(35.0)
    assert line.muscle_mm == pytest.approx(50.0)
    assert line.bone is not None and line.bone[0] == "left rib 5"
    assert line.bone[1] == pytest.approx(RIB_DEPTH_MM[5])
    assert line.pleura_mm == pytest.approx(80.0)
    assert line.lung_mm == pytest.approx(90.0)


def test_straight_in_follows_the_skin_normal(tracer: NeedleTracer) -> None:
    marker = np.array([-X, BACK - 0.035, rib_z(5)])
    line = tracer.line("target_right", marker, "right")
    assert line.direction_from == "skin normal"
    assert np.allclose(line.direction, [0, -1, 0], atol=1e-9)
    assert line.bone is not None and line.bone[0] == "right rib 5"
    assert line.pleura_mm == pytest.approx(80.0)


def test_segments_colour_the_line_by_tissue(tracer: NeedleTracer) -> None:
    marker = np.array([X, BACK - 0.035, rib_z(5)])
    line = tracer.line("target_left", marker, "left", np.array([0.0, -1.0, 0.0]))
    assert line.end_mm == pytest.approx(86.0)  # 6 mm past the pleura, the deepest mark
    expected = [("subcutaneous", 0.0, 10.0), ("muscle", 10.0, 20.0), ("target", 20.0, 50.0),
                ("subcutaneous", 50.0, RIB_DEPTH_MM[5]),
                ("bone", RIB_DEPTH_MM[5], RIB_DEPTH_MM[5] + 10.0),
                ("subcutaneous", RIB_DEPTH_MM[5] + 10.0, 80.0),
                ("beyond pleura", 80.0, 86.0)]  # fmt: skip
    got = line.segments()
    assert [s[0] for s in got] == [e[0] for e in expected]
    assert [s[1:] for s in got] == [pytest.approx(e[1:], abs=TOL) for e in expected]


def test_between_two_ribs_the_line_meets_no_bone_but_a_rib_is_near(tracer: NeedleTracer) -> None:
    entry, direction = straight_in((rib_z(5) + rib_z(6)) / 2)  # the 5th intercostal space
    line = tracer.line("target_left", entry + np.array([0, -0.035, 0]), "left", direction)
    assert line.bone is None
    assert line.pleura_mm == pytest.approx(80.0)
    # a probe slid up or down 15 mm lands on rib 5 (the shallower of the two)
    assert tracer.nearest_rib_mm(line.entry, line.direction, "left") == (
        "left rib 5", pytest.approx(RIB_DEPTH_MM[5]))


def test_below_the_pleura_the_line_has_none(tracer: NeedleTracer) -> None:
    entry, direction = straight_in(0.05)  # below the pleura, the muscles and the ribs
    line = tracer.line("target_left", entry + np.array([0, -0.035, 0]), "left", direction)
    assert (line.muscle_mm, line.bone, line.pleura_mm, line.lung_mm) == (None, None, None, None)
    assert line.end_mm == pytest.approx(36.0)  # 30 mm drawn when nothing is named, + 6
    assert line.segments() == [("subcutaneous", 0.0, pytest.approx(36.0))]


def _line(intervals: list[Interval], pleura: float | None = None,
          muscle: float | None = None) -> NeedleLine:  # fmt: skip
    return NeedleLine(entry=np.zeros(3), direction=np.array([0.0, -1, 0]),
                      direction_from="record", intervals=tuple(intervals), target="t_left",
                      marker_mm=None, muscle_mm=muscle, bone=None, pleura_mm=pleura,
                      lung_mm=None)  # fmt: skip


def test_segments_merge_touching_stretches_of_one_tissue() -> None:
    line = _line([Interval("muscle", "a_left", 5.0, 12.0),
                  Interval("muscle", "b_left", 12.0, 20.0),
                  Interval("muscle", "t_left", 20.0, 30.0),
                  Interval("bone", "left rib 4", 25.0, 34.0)], muscle=30.0)  # fmt: skip
    assert line.segments() == [("subcutaneous", 0.0, 5.0), ("muscle", 5.0, 20.0),
                               ("target", 20.0, 25.0), ("bone", 25.0, 34.0),
                               ("subcutaneous", 34.0, 36.0)]  # fmt: skip


def test_past_the_pleura_everything_is_beyond_it() -> None:
    line = _line([Interval("muscle", "t_left", 5.0, 50.0),
                  Interval("pleura", "pleura_left", 30.0, 90.0)], pleura=30.0,
                 muscle=50.0)  # fmt: skip
    assert line.segments() == [("subcutaneous", 0.0, 5.0), ("target", 5.0, 30.0),
                               ("beyond pleura", 30.0, 56.0)]  # fmt: skip


def test_a_coarse_skin_still_gives_a_normal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Skin triangles larger than the averaging radius: the nearest one gives the normal."""
    v, f = box([-0.2, -0.15, 0.0], [0.2, BACK, 0.6])  # two triangles a face
    sha = write_mesh(tmp_path / "skin.npz", v, f)
    skin = MeshEntry(id="skin", kind="skin", path="skin.npz", sha256=sha, n_vertices=len(v),
                     n_triangles=len(f), line=None)  # fmt: skip
    tracer = NeedleTracer(MeshSet(tmp_path, [skin], {}))
    assert np.allclose(tracer.skin_normal(np.array([X, BACK - 0.03, 0.35])), [0, 1, 0])
