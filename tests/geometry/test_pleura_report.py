"""The shipped pleura and lungs against the textbook and the ribcage (the "pleura" section of
``myoatlas mesh-report``), and broken copies that the same checks catch.

Thresholds, and why:

- inside the ribcage: at least 99 % of the vertices below the first rib inside the hull of
  the side's ribs and half sternum, none more than 2.5 mm outside it (one step of the 2.5 mm
  grid the build contours the pleura on; the ribs' hull is their outer face, and the pleura
  lines their inner face, so a vertex any farther out has come through the chest wall);
- apex: 15-35 mm above the top of the clavicle's medial third. The textbook says 2-3 cm; the
  band is 5 mm wider each way because the top of the "medial third" of a model clavicle is
  itself uncertain by a few millimetres;
- lower border: at each line within half the intercostal space of its rib (10-15 mm in this
  ribcage): a border inside that band is at its rib, not at the next one;
- bone: the pleura lies against the ribs' inner face, so it touches bone; no more than 10 %
  of its vertices inside bone and none deeper than 5 mm (two grid steps).
"""

from __future__ import annotations

import numpy as np
import pytest

from anatomy.frame import SIDES
from anatomy.geometry.meshset import MeshSet
from anatomy.geometry.pleura_report import (
    BoneSurfaces,
    ChestWall,
    chest_walls,
    format_pleura,
    organ_figures,
    pleura_section,
)

INSIDE_FRACTION = 0.99
OUTSIDE_MAX_MM = 2.5
APEX_MM = (15.0, 35.0)
IN_BONE_FRACTION = 0.10
IN_BONE_DEPTH_MM = 5.0


@pytest.fixture(scope="module")
def meshes(real_files) -> MeshSet:  # type: ignore[no-untyped-def]
    return MeshSet.load(real_files[1])


@pytest.fixture(scope="module")
def rows(meshes: MeshSet) -> list[dict]:
    return pleura_section(meshes)


@pytest.fixture(scope="module")
def walls(meshes: MeshSet) -> dict[str, ChestWall]:
    return chest_walls(meshes)


@pytest.fixture(scope="module")
def bones(meshes: MeshSet) -> BoneSurfaces:
    return BoneSurfaces(meshes)


def problems(row: dict) -> list[str]:
    """What is wrong with one pleura or lung row, in words (empty when it passes)."""
    out = []
    if not row["watertight"]:
        out.append("not watertight")
    if row["inside_ribcage_fraction"] < INSIDE_FRACTION:
        out.append(f"only {row['inside_ribcage_fraction']:.3f} of it inside the ribcage")
    if row["outside_ribcage_max_mm"] > OUTSIDE_MAX_MM:
        out.append(f"{row['outside_ribcage_max_mm']} mm outside the ribcage")
    lo, hi = APEX_MM
    if not lo <= row["apex_above_clavicle_mm"] <= hi:
        out.append(f"apex {row['apex_above_clavicle_mm']} mm above the clavicle")
    for b in row["borders"]:
        if row["id"] == "lung_left" and b["line"] == "sternal" and b["error_mm"] is None:
            continue  # the cardiac notch keeps the left lung away from the sternum there
        if b["error_mm"] is None or abs(b["error_mm"]) > b["half_space_mm"]:
            out.append(f"border at the {b['line']} line {b['error_mm']} mm from rib {b['rib']}")
    if row["inside_bone_fraction"] > IN_BONE_FRACTION:
        out.append(f"{row['inside_bone_fraction']:.3f} of it inside bone")
    if row["min_bone_distance_mm"] < -IN_BONE_DEPTH_MM:
        out.append(f"{-row['min_bone_distance_mm']} mm deep in bone")
    return out


def test_every_side_has_a_pleura_and_a_lung(rows: list[dict]) -> None:
    assert [(r["organ"], r["side"]) for r in rows] == [
        (organ, side) for organ in ("pleura", "lung") for side in SIDES
    ]


@pytest.mark.parametrize("organ", ["pleura", "lung"])
def test_shipped_surfaces_pass(rows: list[dict], organ: str) -> None:
    failures = {r["id"]: problems(r) for r in rows if r["organ"] == organ}
    assert not any(failures.values()), failures


def test_half_a_space_is_about_15_mm(rows: list[dict]) -> None:
    """The border tolerance is half the gap between neighbouring ribs on each line."""
    spaces = [b["half_space_mm"] for r in rows for b in r["borders"]]
    assert min(spaces) >= 8.0 and max(spaces) <= 18.0, spaces


def test_recorded_levels_are_the_bones_levels(rows: list[dict]) -> None:
    """The levels the build wrote into the manifest are those the bones give now."""
    gaps = [abs(b["recorded_z"] - b["level_z"]) for r in rows for b in r["borders"]]
    assert max(gaps) <= 0.001


def test_the_table_names_every_surface(rows: list[dict]) -> None:
    text = "\n".join(format_pleura(rows))
    assert all(r["id"] in text for r in rows)
    assert "outside by design" in text
    assert format_pleura([])[-1] == "pleura and lungs: none in these meshes"


def _figures(meshes: MeshSet, walls, bones, side: str, vertices=None, faces=None):  # type: ignore[no-untyped-def]
    entry = meshes.organ_entry("pleura", side)
    assert entry is not None
    mesh = meshes.mesh(entry.id)
    v = mesh.vertices if vertices is None else vertices
    f = mesh.faces if faces is None else faces
    return {"id": entry.id, **organ_figures(v, f, "pleura", walls[side], bones)}


def test_a_pleura_40_mm_too_low_fails_at_every_line(meshes, walls, bones) -> None:  # type: ignore[no-untyped-def]
    mesh = meshes.mesh("pleura_left")
    shipped = [b["error_mm"] for b in _figures(meshes, walls, bones, "left")["borders"]]
    row = _figures(meshes, walls, bones, "left", mesh.vertices - np.float32([0, 0, 0.04]))
    errors = [b["error_mm"] for b in row["borders"]]
    # every border drops by the shift, give or take the wall's slope near each line
    assert all(-44.0 <= e - s <= -36.0 for e, s in zip(errors, shipped, strict=True)), errors
    found = problems(row)
    assert sum("border at the" in p for p in found) == 4, found
    assert any("apex" in p for p in found), found
    assert any("inside the ribcage" in p for p in found), found


def test_a_pleura_pushed_out_through_the_ribs_fails(meshes, walls, bones) -> None:  # type: ignore[no-untyped-def]
    mesh = meshes.mesh("pleura_right")
    centre = mesh.vertices.mean(axis=0)
    grown = centre + (mesh.vertices - centre) * np.float32([1.25, 1.25, 1.0])
    found = problems(_figures(meshes, walls, bones, "right", grown))
    assert any("outside the ribcage" in p for p in found), found


def test_a_hole_in_the_pleura_is_reported(meshes, walls, bones) -> None:  # type: ignore[no-untyped-def]
    faces = meshes.mesh("pleura_left").faces[:-1]
    found = problems(_figures(meshes, walls, bones, "left", faces=faces))
    assert found == ["not watertight"]
