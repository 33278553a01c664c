"""The needle line of a depth profile as the 3D view draws it: segments coloured by tissue.

A clinician who selects a trigger point over the trunk sees a straight line from the skin
along the profile's direction, cut where it enters and leaves each structure: the layer
under the skin, other muscles, the target muscle, bone, and what lies past the pleura (the
lung) or in the kidney. The viewers draw it on top of the body so it shows through the
muscles it passes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from anatomy.scene.camera import UP, fit_camera
from anatomy.scene.palette import NEEDLE_COLOURS, NEEDLE_RADIUS_M

# The side view frames the line with this much body around it (metres, at least).
SIDE_VIEW_RADIUS_M = 0.07
SIDE_VIEW_MARGIN = 1.2
# The section of the side view lies this far in front of the line (towards the camera).
SECTION_DEPTH_M = 0.004


def needle_view(profile: Any) -> dict[str, Any]:
    """``{segments: [{tissue, start, end, colour}], radius, entry, pleura}`` for a
    :class:`anatomy.atlas.depth.DepthProfile` (positions in metres, JSON-ready)."""
    line = profile.line
    entry = np.asarray(line.entry, dtype=float)
    direction = np.asarray(line.direction, dtype=float)

    def at(mm: float) -> list[float]:
        return [round(float(v), 5) for v in entry + direction * (mm / 1000.0)]

    segments = [
        {"tissue": tissue, "start": at(a), "end": at(b), "colour": list(NEEDLE_COLOURS[tissue])}
        for tissue, a, b in line.segments()
    ]
    return {
        "segments": segments,
        "radius": NEEDLE_RADIUS_M,
        "entry": at(0.0),
        "pleura": at(line.pleura_mm) if line.pleura_mm is not None else None,
    }


def needle_camera(view: dict[str, Any]) -> dict[str, Any]:
    """A camera that sees a :func:`needle_view`'s line from the side, its whole length across
    the picture: looking at right angles to the line, from the body's own side (or from the
    front for a line that runs from side to side)."""
    starts = np.array([s["start"] for s in view["segments"]], dtype=float)
    ends = np.array([s["end"] for s in view["segments"]], dtype=float)
    points = np.concatenate([starts, ends])
    entry = np.asarray(view["entry"], dtype=float)
    direction = ends[-1] - entry
    direction /= np.linalg.norm(direction)
    # From the side of the body the entry is on (+x: the body's left), a little from the front,
    # turned to be at right angles to the line.
    preferred = np.array([1.0 if entry[0] >= 0 else -1.0, -0.5, 0.0])
    look = preferred - preferred.dot(direction) * direction
    if np.linalg.norm(look) < 1e-6:
        look = np.cross(direction, UP)
    look /= np.linalg.norm(look)
    up = np.asarray(UP) - np.dot(UP, look) * look
    if np.linalg.norm(up) < 0.3:  # looking down the body: the head at the top of the picture
        up = np.array([0.0, -1.0, 0.0]) - look * -look[1]
    box = np.array([points.min(0), points.max(0)]).T.ravel()
    camera = fit_camera(box, look, up / np.linalg.norm(up), margin=SIDE_VIEW_MARGIN,
                        min_radius=SIDE_VIEW_RADIUS_M)
    # Cut away what lies between the camera and the line (the arm, the side of the chest):
    # the picture is a section through the body along the needle.
    to_line = np.asarray(camera["position"]) - np.asarray(camera["focal_point"])
    camera["section"] = round(float(np.linalg.norm(to_line)) - SECTION_DEPTH_M, 5)
    return camera
