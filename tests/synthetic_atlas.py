"""A tiny synthetic atlas for unit tests: a cylinder "body", tube muscles, a few landmarks.

The body is a closed cylinder (radius 0.15 m, z 0..1.8 m) with vertices ~1 cm apart. Muscles
are closed tubes inside it: ``upper_trapezius`` near the top and ``soleus`` near the bottom,
one each side (+x is the character's left). Landmarks sit on the skin at named heights and
angles. ``write_atlas(tmp_path)`` writes ``meshes/`` and ``annotations.yaml`` that load and
validate cleanly; tests break copies of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from anatomy.geometry.meshio import write_mesh

RADIUS = 0.15
HEIGHT = 1.8


def cylinder(radius: float, z0: float, z1: float, n_around: int, n_along: int,
             centre: tuple[float, float] = (0.0, 0.0),
             cap_rings: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """A closed cylinder along z with outward faces.

    The side is ``n_along`` rings of ``n_around`` vertices; each cap is ``cap_rings - 1``
    inner rings plus a centre vertex (so cap triangles are about as small as side ones).
    """
    ang = np.linspace(0, 2 * np.pi, n_around, endpoint=False)
    unit = np.stack([np.cos(ang), np.sin(ang)], 1)
    cx, cy = centre

    def ring(r: float, z: float) -> np.ndarray:
        return np.column_stack([cx + r * unit[:, 0], cy + r * unit[:, 1], np.full(n_around, z)])

    inner = [radius * k / cap_rings for k in range(cap_rings - 1, 0, -1)]
    # rings from the bottom centre outward, up the side, then inward to the top centre
    rings = [ring(r, z0) for r in inner[::-1]] + [ring(radius, z) for z in
                                                  np.linspace(z0, z1, n_along)]
    rings += [ring(r, z1) for r in inner]
    v = np.concatenate([*rings, [[cx, cy, z0]], [[cx, cy, z1]]])
    faces = []
    for i in range(len(rings) - 1):
        for j in range(n_around):
            a, b = i * n_around + j, i * n_around + (j + 1) % n_around
            c, d = a + n_around, b + n_around
            faces += [(a, b, d), (a, d, c)]
    bottom, top = len(v) - 2, len(v) - 1
    last = (len(rings) - 1) * n_around
    for j in range(n_around):
        faces.append((bottom, (j + 1) % n_around, j))
        faces.append((top, last + j, last + (j + 1) % n_around))
    return v.astype(np.float32), np.array(faces, dtype=np.int32)


# name -> (angle around the body in degrees from +x toward +y, height in metres); left side.
# +x is the left, -y anterior: 0 deg = lateral left, 90 = posterior, -90 = anterior.
LANDMARK_PLACES = {
    "temple": (-20.0, 1.70),
    "occiput": (60.0, 1.65),
    "neck_shoulder_angle": (30.0, 1.50),
    "heel": (60.0, 0.05),
    "calf": (70.0, 0.40),
}
MIDLINE_PLACES = {"forehead": (-90.0, 1.72), "sacrum": (90.0, 0.95)}


def landmark_points() -> dict[str, np.ndarray]:
    """Every synthetic landmark's nominal position on the cylinder."""
    out = {}
    for name, (deg, z) in LANDMARK_PLACES.items():
        for side, sign in (("left", 1.0), ("right", -1.0)):
            a = np.radians(deg)
            out[f"{side}_{name}"] = np.array([sign * RADIUS * np.cos(a), RADIUS * np.sin(a), z])
    for name, (deg, z) in MIDLINE_PLACES.items():
        a = np.radians(deg)
        out[name] = np.array([RADIUS * np.cos(a), RADIUS * np.sin(a), z])
    out["vertex"] = np.array([0.0, 0.0, HEIGHT])
    return out


MUSCLES = {  # muscle -> (x offset from midline, y, z0, z1, radius)
    "upper_trapezius": (0.09, 0.05, 1.40, 1.62, 0.025),
    "soleus": (0.08, 0.06, 0.15, 0.50, 0.03),
}


def write_meshes(root: Path) -> Path:
    """Write a synthetic ``meshes/`` directory under ``root``; return it."""
    meshes = root / "meshes"
    entries = []
    v, f = cylinder(RADIUS, 0.0, HEIGHT, 96, 181, cap_rings=15)
    sha = write_mesh(meshes / "skin/skin.npz", v, f)
    entries.append({"id": "skin", "kind": "skin", "muscle": None, "side": None,
                    "path": "skin/skin.npz", "vertices": len(v), "triangles": len(f),
                    "sha256": sha})
    bv, bf = cylinder(0.02, 0.6, 0.95, 12, 4, centre=(0.08, 0.0))
    sha = write_mesh(meshes / "bones/femur_left.npz", bv, bf)
    entries.append({"id": "bone_femur_left", "kind": "bone", "bone": "femur", "muscle": None,
                    "side": "left", "path": "bones/femur_left.npz", "vertices": len(bv),
                    "triangles": len(bf), "sha256": sha})
    for muscle, (dx, y, z0, z1, r) in MUSCLES.items():
        for side, sign in (("left", 1.0), ("right", -1.0)):
            mv, mf = cylinder(r, z0, z1, 24, 12, centre=(sign * dx, y))
            rel = f"muscles/{muscle}_{side}.npz"
            sha = write_mesh(meshes / rel, mv, mf)
            line = [[sign * dx, y, z1], [sign * dx, y, (z0 + z1) / 2], [sign * dx, y, z0]]
            entries.append({
                "id": f"{muscle}_{side}", "kind": "muscle", "muscle": muscle, "side": side,
                "path": rel, "vertices": len(mv), "triangles": len(mf), "sha256": sha,
                "shape": "spindle", "origin": line[0], "insertion": line[-1],
                "origin_landmark": "top", "insertion_landmark": "bottom", "centreline": line,
            })
    manifest = {"format": 1, "frame": "synthetic", "sources": {}, "meshes": entries}
    (meshes / "manifest.json").write_text(json.dumps(manifest, indent=1))
    skin_v = v.astype(np.float64)
    lms = []
    for name, p in sorted(landmark_points().items()):
        idx = int(np.argmin(np.linalg.norm(skin_v - p, axis=1)))
        radial = float(np.hypot(p[0], p[1]))
        out = np.array([p[0], p[1], 0.0]) / radial if radial > 1e-6 else np.array([0, 0, 1.0])
        lms.append({"name": name, "position": skin_v[idx].tolist(), "vertex": idx,
                    "rule": f"synthetic: cylinder point nearest {name}",
                    "feature": (p - 0.02 * out).tolist(), "place": "nearest",
                    "out": out.tolist()})
    (meshes / "landmarks.json").write_text(json.dumps({"landmarks": lms}, indent=1))
    return meshes


_SECTION = """    title: {title}
    patient: Plain words.
    clinician: Clinical words.
    sources: [ts1999]
"""


def _general() -> str:
    simple = ["what_is_dry_needling", "evidence", "dry_needling_vs_acupuncture",
              "who_performs_it", "trigger_points_explained", "disclaimer"]
    out = "general:\n"
    for name in simple:
        out += f"  {name}:\n" + _SECTION.format(title=name)
    out += "  how_it_may_work:\n" + _SECTION.format(title="How") + (
        "    mechanisms:\n"
        "      - name: Local twitch\n        explanation: A guess.\n"
        "        contested: true\n        contested_note: Weak evidence.\n"
        "        sources: [ts1999]\n")
    out += "  adverse_events:\n" + _SECTION.format(title="Adverse") + (
        "    studies:\n      - source: ts1999\n        sample: some\n        treatments: 10\n"
        "        any_minor_percent: 10.0\n"
        "        common_minor:\n          - {event: bruising, percent: 5.0}\n"
        "        serious: none\n"
        "    serious_events: [pneumothorax]\n")
    out += "  contraindications:\n" + _SECTION.format(title="Contra") + (
        "    absolute: [needle phobia]\n    relative: [anticoagulants]\n")
    return out


def _trigger_point(tp_id: str, mesh: str, along: float, toward: str, essential: str,
                   spillover: str, placement: str) -> str:
    return f"""      - id: {tp_id}
        name: Central point
        location: Middle of the belly.
        position: {{mesh: {mesh}, along: {along}, toward: {toward}}}
        placement:
          - {placement}
        essential:
{essential}        spillover:
{spillover}        zones_checked: {{source: ts1999, figure: "Fig. 1.1"}}
        symptoms: [pain]
        aggravating: [sitting]
        patient_text: A sore spot.
        clinician_text:
          palpation: Flat palpation.
          needling: Teaching-level text.
        risk_class: low
        structures_at_risk:
          - {{structure: skin, risk_class: low}}
        self_care: [stretch]
        red_flags: [fever]
        sources: [ts1999]
"""


def annotations_text() -> str:
    """The YAML of the synthetic content (two muscles, one trigger point each)."""
    trap = _trigger_point(
        "tp1", "upper_trapezius", 0.5, "lateral",
        "          - {landmark: temple, radius_mm: 40}\n"
        "          - {landmark: occiput, radius_mm: 30}\n",
        "          - {landmark: neck_shoulder_angle, radius_mm: 40}\n"
        "          - {landmark: vertex, radius_mm: 30}\n",
        "{from: neck_shoulder_angle, toward: superior, mm: [0, 50]}")
    soleus = _trigger_point(
        "tp1", "soleus", 0.6, "posterior",
        "          - {landmark: heel, radius_mm: 40}\n",
        "          - {landmark: calf, radius_mm: 40}\n"
        "          - {landmark: sacrum, radius_mm: 30}\n",
        "{from: heel, toward: superior, mm: [100, 600]}")
    return f"""version: 1
sources:
  ts1999:
    authors: Simons DG, Travell JG, Simons LS
    year: 1999
    title: Myofascial Pain and Dysfunction
    venue: Williams & Wilkins
muscles:
  - id: upper_trapezius
    latin: Pars descendens musculi trapezii
    common_name: Upper trapezius
    patient_name: Top of the shoulder
    region: head_neck
    meshes: [upper_trapezius]
    actions: [elevates the shoulder]
    sources: [ts1999]
    trigger_points:
{trap}  - id: soleus
    latin: Musculus soleus
    common_name: Soleus
    patient_name: Deep calf
    region: leg
    meshes: [soleus]
    actions: [plantar flexes the foot]
    sources: [ts1999]
    trigger_points:
{soleus}{_general()}"""


def write_atlas(root: Path) -> tuple[Path, Path]:
    """Write ``annotations.yaml`` and ``meshes/`` under ``root``; return both paths."""
    meshes = write_meshes(root)
    ann = root / "annotations.yaml"
    ann.write_text(annotations_text())
    return ann, meshes


def line_of(path: Path, needle: str, start: int = 1) -> int:
    """1-based line of the first line at or after ``start`` containing ``needle``."""
    for i, text in enumerate(path.read_text().splitlines(), 1):
        if i >= start and needle in text:
            return i
    raise AssertionError(f"{needle!r} not in {path}")
