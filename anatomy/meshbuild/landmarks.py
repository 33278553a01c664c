"""Skin landmarks placed by anatomical rules on the standing skeleton.

Each landmark's rule (``anatomy.meshbuild.landmark_rules``) finds a bone feature on myo-sim's
full-resolution bone meshes and reaches the skin from it; the result is the skin vertex, its
position and the rule in words. Both sides use the same rule with left and right swapped
(+x is the character's left). The model's left and right bones differ by a few millimetres,
so a bilateral feature is averaged with its mirrored partner; on the symmetric skin the two
sides' landmarks are then exact mirror images.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from anatomy.frame import SIDES, landmark_names
from anatomy.geometry.meshio import TriMesh
from anatomy.geometry.surface import vertex_normals
from anatomy.meshbuild.landmark_rules import BILATERAL, MIDLINE
from anatomy.meshbuild.myosim import StandingModel
from anatomy.meshbuild.skeleton import drop_logo

_SUFFIX = {"left": "_l", "right": "_r"}
_FLIP = np.array([-1.0, 1.0, 1.0])
_BODY_AXES = {"anterior": (0, -1, 0), "posterior": (0, 1, 0), "superior": (0, 0, 1),
              "inferior": (0, 0, -1)}  # fmt: skip


class _Frame:
    """Anatomical directions on one side (medial/lateral, and the forearm/hand directions)."""

    def __init__(self, standing: StandingModel, side: str | None) -> None:
        sign = -1.0 if side == "right" else 1.0
        self.sign = sign
        self.dirs = {k: np.asarray(v, dtype=float) for k, v in _BODY_AXES.items()}
        self.dirs["lateral"] = np.array([sign, 0.0, 0.0])
        self.dirs["medial"] = -self.dirs["lateral"]
        sfx = _SUFFIX[side or "left"]
        pos = standing.body_position
        axis = pos(f"3proxph{sfx}") - pos(f"lunate{sfx}")
        axis /= np.linalg.norm(axis)
        radial = pos(f"2proxph{sfx}") - pos(f"5proxph{sfx}")
        radial -= (radial @ axis) * axis
        radial /= np.linalg.norm(radial)
        dorsal = -sign * np.cross(axis, radial)
        self.dirs.update(radial=radial, ulnar=-radial, dorsal=dorsal, volar=-dorsal)

    def direction(self, spec: str) -> np.ndarray:
        vec = sum(self.dirs[term] for term in spec.split("+"))
        return np.asarray(vec, dtype=float) / np.linalg.norm(vec)


def _bone_vertices(standing: StandingModel, names: list[str], side: str | None) -> np.ndarray:
    sfx = _SUFFIX[side or "left"]
    by_geom = {g.geom: g for g in standing.bones}
    out = []
    for name in names:
        name = name.replace("{s}", sfx)
        if name in by_geom:
            geom = by_geom[name]
            if "ribcage" in geom.mesh:  # not the logo embedded in front of the sternum
                _, faces = drop_logo(geom.vertices, geom.faces)
                out.append(geom.vertices[np.unique(faces)])
            else:
                out.append(geom.vertices)
        else:
            found = [g.vertices for g in standing.bones if g.body == name]
            if not found:
                raise KeyError(f"landmark rule names unknown bone {name!r}")
            out.extend(found)
    return np.concatenate(out)


def feature_point(standing: StandingModel, rule: dict, side: str | None) -> np.ndarray:
    """The bone feature a rule names, with its offset applied (atlas frame, metres)."""
    frame = _Frame(standing, side)
    pts = _bone_vertices(standing, rule["bones"], side)
    midline_bone = not any("{s}" in b for b in rule["bones"])
    if midline_bone and side is not None:
        pts = pts[pts[:, 0] * frame.sign >= -0.002]
    coords = {"sup": pts[:, 2], "ant": -pts[:, 1], "lat": pts[:, 0] * frame.sign}
    keep = np.ones(len(pts), dtype=bool)
    for axis, band in rule["bands"].items():
        if axis == "mid":
            keep &= np.abs(pts[:, 0]) <= band
            continue
        c = coords[axis]
        lo, hi = c.min(), c.max()
        keep &= (c >= lo + band[0] * (hi - lo)) & (c <= lo + band[1] * (hi - lo))
    pts = pts[keep]
    if len(pts) == 0:
        raise ValueError(f"landmark rule {rule['what']!r} selects no bone vertices")
    if rule["find"] == "centroid":
        point = pts.mean(axis=0)
    else:
        d = frame.direction(rule["find"].split()[1])
        point = pts[np.argmax(pts @ d)]
    for direction, metres in rule["offset"].items():
        point = point + metres * frame.direction(direction)
    return point


def place_on_skin(
    point: np.ndarray, out: np.ndarray, skin: np.ndarray, faces: np.ndarray,
    normals: np.ndarray, place: str,
) -> int:  # fmt: skip
    """The skin vertex a rule reaches from ``point`` going ``out`` (see the rules module).

    ``ray``: the first skin triangle the ray leaves the body through (its normal faces ``out``),
    then the corner of that triangle nearest the crossing.
    """
    if place == "nearest":
        cand = np.flatnonzero(normals @ out > 0.3)
        return int(cand[np.argmin(np.linalg.norm(skin[cand] - point, axis=1))])
    hit = ray_hit(point, out, skin, faces)
    if hit is None:
        raise ValueError("no skin found along the landmark ray")
    tri, where = hit
    corners = faces[tri]
    return int(corners[np.argmin(np.linalg.norm(skin[corners] - where, axis=1))])


def ray_hit(
    origin: np.ndarray, direction: np.ndarray, vertices: np.ndarray, faces: np.ndarray
) -> tuple[int, np.ndarray] | None:
    """First triangle crossed outward by a ray (Moller-Trumbore), and the crossing point."""
    a, b, c = (vertices[faces[:, i]] for i in range(3))
    e1, e2 = b - a, c - a
    pvec = np.cross(direction, e2)
    det = np.einsum("ij,ij->i", e1, pvec)
    outward = np.einsum("ij,j->i", np.cross(e1, e2), direction) > 0
    safe = np.where(np.abs(det) < 1e-15, 1e-15, det)
    tvec = origin - a
    u = np.einsum("ij,ij->i", tvec, pvec) / safe
    qvec = np.cross(tvec, e1)
    v = (qvec @ direction) / safe
    t = np.einsum("ij,ij->i", e2, qvec) / safe
    ok = outward & (np.abs(det) > 1e-15) & (u >= 0) & (v >= 0) & (u + v <= 1) & (t > 0)
    if not ok.any():
        return None
    idx = np.flatnonzero(ok)
    first = idx[np.argmin(t[idx])]
    return int(first), origin + t[first] * direction


def _rule_text(rule: dict, place: str) -> str:
    out = rule["out"].replace("+", "-")
    if place == "ray":
        return f"first skin point reached going {out} from the {rule['what']}"
    return f"skin point nearest the {rule['what']}, on skin facing {out}"


def build_landmarks(standing: StandingModel, skin: TriMesh) -> list[dict]:
    """Every landmark of ``anatomy.frame.landmark_names()``, sorted by name.

    Parameters
    ----------
    standing
        The standing myo-sim model (bone features are found on its full-resolution meshes).
    skin
        The fitted skin; landmarks are its vertices.

    Returns
    -------
    list of dict
        ``{"name", "position", "vertex", "rule", "feature", "place", "out"}`` records for
        ``landmarks.json``: ``feature`` is the bone point the rule names (with its offset),
        ``place`` how the skin was reached from it (``ray`` or ``nearest``) and ``out`` the
        unit direction it looked in.
    """
    verts = skin.vertices.astype(np.float64)
    faces = skin.faces.astype(np.int64)
    normals = vertex_normals(verts, faces)
    tree = cKDTree(verts)
    out = []
    for name in landmark_names():
        side = next((s for s in SIDES if name.startswith(s + "_")), None)
        rule = MIDLINE[name] if side is None else BILATERAL[name[len(side) + 1 :]]
        frame = _Frame(standing, side)
        out_dir = frame.direction(rule["out"])
        try:
            point = feature_point(standing, rule, side)
            if side is not None:  # the model's two sides differ by millimetres: meet halfway
                other = "right" if side == "left" else "left"
                point = 0.5 * (point + feature_point(standing, rule, other) * _FLIP)
            vid = place_on_skin(point, out_dir, verts, faces, normals, rule["place"])
        except ValueError as exc:
            raise ValueError(f"landmark {name}: {exc}") from None
        if side is None:  # a midline landmark sits on the skin vertex nearest the midline
            vid = _to_midline(verts, tree, vid)
        out.append({"name": name, "position": [round(float(c), 6) for c in verts[vid]],
                    "vertex": vid, "rule": _rule_text(rule, rule["place"]),
                    "feature": [round(float(c), 6) for c in point], "place": rule["place"],
                    "out": [round(float(c), 6) for c in out_dir]})  # fmt: skip
    return out


def _to_midline(verts: np.ndarray, tree: cKDTree, vid: int) -> int:
    near = np.asarray(tree.query_ball_point(verts[vid], 0.01))
    return int(near[np.argmin(np.abs(verts[near, 0]) + 1e-6 * near)])


def mirror_errors(landmarks: list[dict]) -> dict[str, float]:
    """Distance (m) between each left landmark and its mirrored right partner."""
    pos = {lm["name"]: np.asarray(lm["position"]) for lm in landmarks}
    out = {}
    for name, p in pos.items():
        if name.startswith("left_"):
            q = pos["right_" + name[5:]] * np.array([-1.0, 1.0, 1.0])
            out[name[5:]] = float(np.linalg.norm(p - q))
    return out
