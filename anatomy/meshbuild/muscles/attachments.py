"""Attachment landmarks placed on the skeleton by rules read from ``attachments.yaml``.

Landmarks are placed on the right side (the character's right, x < 0); the left side is its
mirror image. A rule either picks the extreme vertex of a bone region in an anatomical
direction, or interpolates between two landmarks already placed. Regions are fractions of the
bone's bounding box along three anatomical axes:

- ``lateral``: 0 at the medial edge (the midsagittal plane for midline bones), 1 laterally;
- ``anterior``: 0 at the most posterior point, 1 at the most anterior;
- ``superior``: 0 at the lowest point, 1 at the highest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from anatomy.errors import AtlasError

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "attachments.yaml"

# Anatomical direction -> unit vector in the atlas frame, for the right side (x < 0).
DIRECTIONS = {
    "lateral": np.array([-1.0, 0.0, 0.0]),
    "medial": np.array([1.0, 0.0, 0.0]),
    "anterior": np.array([0.0, -1.0, 0.0]),
    "posterior": np.array([0.0, 1.0, 0.0]),
    "superior": np.array([0.0, 0.0, 1.0]),
    "inferior": np.array([0.0, 0.0, -1.0]),
}
_AXES = ("lateral", "anterior", "superior")

# Short bone names used in the data file -> myo-sim geom names (right side) and whether the
# bone is on the midline.
_VERTEBRAE = {f"T{12 - i}": f"torso_geom_{i + 1}" for i in range(12)}
_VERTEBRAE.update({f"L{i}": f"lumbar{i}_geom_1" for i in range(1, 6)})
BONE_GEOMS: dict[str, tuple[str, bool]] = {
    "skull": ("hat_skull", True),
    "mandible": ("hat_jaw", True),
    "cervical_spine": ("hat_cervical", True),
    "ribcage": ("torso_geom_13", True),
    "sacrum": ("sacrum_geom_1", True),
    "pelvis": ("pelvis_r", False),
    "clavicle": ("clavicle_r", False),
    "scapula": ("scapula_r", False),
    "humerus": ("humerus_r", False),
    "radius": ("radius_r", False),
    "femur": ("femur_r", False),
    "tibia": ("tibia_r", False),
    "fibula": ("fibula_r", False),
    "foot": ("foot_r", False),
    "toes": ("bofoot_r", False),
    "capitate": ("capitate", False),
    "third_metacarpal": ("3mc_r", False),
    "thumb_proximal_phalanx": ("thumbprox", False),
    "pisiform": ("pisiform_r", False),
    "little_proximal_phalanx": ("5proxph_r", False),
    **{k: (v, True) for k, v in _VERTEBRAE.items()},
}


@dataclass(frozen=True)
class Attachment:
    """A named point on the skeleton (right side)."""

    key: str
    name: str  # anatomical name, e.g. "mastoid process"
    position: np.ndarray  # (3,) atlas frame, right side
    rule: str  # the rule in words


def _anatomical_coords(points: np.ndarray) -> np.ndarray:
    """(lateral, anterior, superior) coordinates of right-side points."""
    return np.stack([-points[:, 0], -points[:, 1], points[:, 2]], axis=1)


def region_vertices(vertices: np.ndarray, midline: bool, region: dict) -> np.ndarray:
    """The vertices of a bone inside a region given as bounding-box fractions."""
    a = _anatomical_coords(vertices)
    lo, hi = a.min(axis=0), a.max(axis=0)
    if midline:
        lo[0] = 0.0
        a_keep = a[:, 0] >= -1e-9
    else:
        a_keep = np.ones(len(a), dtype=bool)
    keep = a_keep.copy()
    for i, axis in enumerate(_AXES):
        f0, f1 = region.get(axis, (0.0, 1.0))
        frac = (a[:, i] - lo[i]) / max(hi[i] - lo[i], 1e-9)
        keep &= (frac >= f0) & (frac <= f1)
    return vertices[keep]


def _direction(pick: str | list[str], where: str) -> np.ndarray:
    names = [pick] if isinstance(pick, str) else list(pick)
    try:
        d = sum(DIRECTIONS[n] for n in names)
    except KeyError as exc:
        raise AtlasError(
            f"unknown direction {exc.args[0]!r}", file=str(DATA_FILE), key=where
        ) from None
    return np.asarray(d, dtype=float) / max(float(np.linalg.norm(d)), 1e-9)


def place_attachments(
    rules: list[dict], bone_vertices: dict[str, np.ndarray], file: str = str(DATA_FILE)
) -> dict[str, Attachment]:
    """Evaluate landmark rules in order.

    Parameters
    ----------
    rules
        Records with ``key``, ``name`` and either ``bone`` + ``region`` + ``pick``, or
        ``between: [key_a, key_b]`` + ``at`` (+ optional ``snap`` bone).
    bone_vertices
        Right-side vertices by myo-sim geom name (``standing.bones``).
    """
    out: dict[str, Attachment] = {}
    for i, rule in enumerate(rules):
        where = f"landmarks[{i}]" + (f" ({rule['key']})" if rule.get("key") else "")
        try:
            _place_one(rule, where, out, bone_vertices, file)
        except AtlasError as exc:
            if exc.line is not None:
                raise
            raise AtlasError(exc.message, file=file, line=rule.get("_line"), key=where) from None
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise AtlasError(
                f"malformed landmark record ({exc})", file=file, line=rule.get("_line"), key=where
            ) from None
    return out


def _place_one(
    rule: dict, where: str, out: dict[str, Attachment], bone_vertices: dict, file: str
) -> None:
    """Evaluate one rule into ``out`` (rules may refer to landmarks placed before them)."""
    key = rule.get("key")
    if not key or "name" not in rule:
        raise AtlasError("every landmark needs 'key' and 'name'", file=file, key=where)
    if "between" in rule:
        a_key, b_key = rule["between"]
        if a_key not in out or b_key not in out:
            raise AtlasError(
                f"'between' names unknown landmarks {a_key!r}/{b_key!r}", file=file, key=where
            )
        t = float(rule.get("at", 0.5))
        pos = (1 - t) * out[a_key].position + t * out[b_key].position
        words = f"{t:.2f} of the way from {out[a_key].name} to {out[b_key].name}"
        if "snap" in rule:
            verts = _bone(rule["snap"], bone_vertices, file, where)[0]
            pos = verts[int(np.argmin(np.linalg.norm(verts - pos, axis=1)))]
            words += f", snapped to the nearest point of the {rule['snap'].replace('_', ' ')}"
    else:
        verts, midline = _bone(rule.get("bone"), bone_vertices, file, where)
        region = {k: tuple(v) for k, v in (rule.get("region") or {}).items()}
        bad = set(region) - set(_AXES)
        if bad:
            raise AtlasError(f"unknown region axes {sorted(bad)}", file=file, key=where)
        cand = region_vertices(verts, midline, region)
        if len(cand) == 0:
            raise AtlasError("region holds no bone vertices", file=file, key=where)
        pick = rule.get("pick", "lateral")
        d = _direction(pick, where)
        pos = cand[int(np.argmax(cand @ d))]
        picks = pick if isinstance(pick, str) else "-".join(pick)
        words = f"most {picks} point of the {rule['bone'].replace('_', ' ')} in region {region}"
    off = rule.get("offset_mm")
    if off:
        pos = pos + sum(_direction(k, where) * float(v) / 1000.0 for k, v in off.items())
        words += f", moved {off} mm"
    out[key] = Attachment(
        key=key, name=str(rule["name"]), position=np.asarray(pos, dtype=float), rule=words
    )


def _bone(
    name: object, bone_vertices: dict[str, np.ndarray], file: str, where: str
) -> tuple[np.ndarray, bool]:
    if name not in BONE_GEOMS:
        raise AtlasError(
            f"unknown bone {name!r}; known: {sorted(BONE_GEOMS)}", file=file, key=where
        )
    geom, midline = BONE_GEOMS[str(name)]
    if geom not in bone_vertices:
        raise AtlasError(f"the model has no geom {geom!r}", file=file, key=where)
    return bone_vertices[geom], midline


def load_rules(path: Path = DATA_FILE) -> list[dict]:
    """The landmark rules of ``attachments.yaml`` (validated for shape only)."""
    from ruamel.yaml import YAML, YAMLError

    try:
        data = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AtlasError("attachment landmark file is missing", file=str(path)) from None
    except YAMLError as exc:
        raise AtlasError(f"not valid YAML ({exc})", file=str(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("landmarks"), list):
        raise AtlasError("expected a mapping with a 'landmarks' list", file=str(path))
    rules = []
    for i, item in enumerate(data["landmarks"]):
        if not isinstance(item, dict):
            line = data["landmarks"].lc.item(i)[0] + 1
            raise AtlasError("each landmark must be a mapping", file=str(path), line=line,
                             key=f"landmarks[{i}]")  # fmt: skip
        rule = _plain(item)
        # 1-based line of the record, for error messages.
        rule["_line"] = getattr(item, "lc", None) and item.lc.line + 1  # type: ignore[attr-defined]
        rules.append(rule)
    return rules


def _plain(value: Any) -> Any:
    """ruamel round-trip containers as plain dicts, lists and scalars."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
