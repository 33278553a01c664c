"""The ribcage's parts: which triangles of the ``thorax`` bone are which rib.

The thorax mesh is one file, but its pieces are separate connected parts: twelve ribs a side
and the sternum with all the costal cartilages. Ribs are numbered from the top by their
highest point (the first rib is the highest, the twelfth the lowest). The pleura build reads
rib levels from them, and a needle's depth profile names the rib it meets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from anatomy.errors import AtlasError
from anatomy.frame import SIDES

RIBS_A_SIDE = 12
STERNUM = "sternum and costal cartilages"
# The rib the inferior border crosses at each line (sternal border, mid-clavicular,
# mid-axillary, paravertebral); at the sternal border, that rib's costal cartilage. Textbook
# levels: the parietal pleura reaches the 8th, 10th and 12th ribs, the lung two ribs higher.
PLEURA_BORDER = (6, 8, 10, 12)
LUNG_BORDER = (6, 6, 8, 10)


@dataclass(frozen=True)
class Ribcage:
    """The thorax mesh split into its named parts.

    ``face_part`` gives each triangle the index of its part in ``names``; ``ribs[side][n - 1]``
    holds the vertex ids of rib ``n`` of that side.
    """

    vertices: np.ndarray
    faces: np.ndarray
    names: tuple[str, ...]
    face_part: np.ndarray
    ribs: dict[str, tuple[np.ndarray, ...]]
    sternum: np.ndarray

    def rib_points(self, side: str, number: int) -> np.ndarray:
        """The vertices (k x 3) of rib ``number`` (1-12) on ``side``."""
        return self.vertices[self.ribs[side][number - 1]]

    def part_of_face(self, face: int) -> str:
        """The name of the part triangle ``face`` belongs to, e.g. ``"left rib 6"``."""
        return self.names[int(self.face_part[face])]


def split_ribcage(vertices: np.ndarray, faces: np.ndarray) -> Ribcage:
    """Name the connected parts of the thorax mesh: ribs 1-12 a side and the sternum.

    Raises
    ------
    AtlasError
        If the mesh does not have one large part (the sternum) and twelve parts a side.
    """
    n = len(vertices)
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]]])
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    count, label = connected_components(graph, directed=False)
    sizes = np.bincount(label, minlength=count)
    used = np.unique(faces)
    parts = [p for p in range(count) if np.isin(p, label[used])]
    sternum_part = max(parts, key=lambda p: sizes[p])
    by_side: dict[str, list[int]] = {s: [] for s in SIDES}
    for p in parts:
        if p == sternum_part:
            continue
        side = "left" if vertices[label == p, 0].mean() > 0 else "right"  # +x: character's left
        by_side[side].append(p)
    if any(len(v) != RIBS_A_SIDE for v in by_side.values()):
        raise AtlasError(
            "the thorax mesh should have 12 ribs a side and the sternum as separate parts; "
            f"it has {len(by_side['left'])} left and {len(by_side['right'])} right"
        )
    names = [STERNUM]
    part_index = np.zeros(count, dtype=np.int32)
    ribs: dict[str, tuple[np.ndarray, ...]] = {}
    for side in SIDES:
        ordered = sorted(by_side[side], key=lambda p: -float(vertices[label == p, 2].max()))
        ids = []
        for number, p in enumerate(ordered, 1):
            part_index[p] = len(names)
            names.append(f"{side} rib {number}")
            ids.append(np.flatnonzero(label == p))
        ribs[side] = tuple(ids)
    return Ribcage(
        vertices=np.asarray(vertices, float),
        faces=np.asarray(faces),
        names=tuple(names),
        face_part=part_index[label[faces[:, 0]]],
        ribs=ribs,
        sternum=np.flatnonzero(label == sternum_part),
    )


@dataclass(frozen=True)
class ChestLines:
    """The thorax's reference lines, as angles around its vertical axis (0 = straight
    forward, 90 = straight out to the side, 180 = straight back) for one side."""

    centre_y: float
    sternal: float
    midclavicular: float
    midaxillary: float
    paravertebral: float

    def angle(self, x: np.ndarray, y: np.ndarray, side_sign: float) -> np.ndarray:
        """The angle (degrees) of points around the axis, on this side."""
        return np.degrees(np.arctan2(side_sign * x, self.centre_y - y))


LINES = ("sternal", "midclavicular", "midaxillary", "paravertebral")


def chest_lines(ribcage: Ribcage, clavicle: np.ndarray, side: str) -> ChestLines:
    """The sternal, mid-clavicular, mid-axillary and paravertebral lines of one side."""
    sign = 1.0 if side == "left" else -1.0
    all_v = ribcage.vertices
    centre_y = float((all_v[:, 1].min() + all_v[:, 1].max()) / 2)
    x_mcl = float(sign * (clavicle[:, 0].min() + clavicle[:, 0].max()) / 2)
    ribs = np.concatenate([ribcage.rib_points(side, n) for n in range(1, 11)])
    front = ribs[ribs[:, 1] < centre_y]
    near = front[np.abs(sign * front[:, 0] - x_mcl) < 0.006]
    mcl = float(np.degrees(np.arctan2(x_mcl, centre_y - near[:, 1].mean())))
    sternum = all_v[ribcage.sternum]
    body = sternum[np.abs(sternum[:, 0]) < 0.02]
    sternal = float(np.degrees(np.arctan2(0.02, centre_y - body[:, 1].min())))
    widest = ribs[np.argmax(sign * ribs[:, 0])]
    mal = float(np.degrees(np.arctan2(sign * widest[0], centre_y - widest[1])))
    heads = np.array([ribcage.rib_points(side, n)[np.argmin(
        sign * ribcage.rib_points(side, n)[:, 0])] for n in range(2, 11)])  # fmt: skip
    # the paravertebral line: 2.5 cm out from the rib heads, at the back of the ribcage
    back = ribs[ribs[:, 1] > centre_y]
    x_pv = sign * (np.abs(heads[:, 0]).mean() + 0.025)
    at_pv = back[np.abs(back[:, 0] - x_pv) < 0.006]
    pv = float(np.degrees(np.arctan2(abs(x_pv), centre_y - at_pv[:, 1].max())))
    return ChestLines(centre_y, sternal, mcl, mal, pv)


def rib_level(ribcage: Ribcage, side: str, number: int, lines: ChestLines, angle: float) -> float:
    """The height (z) at which rib ``number`` crosses the line at ``angle``: the mean height
    of its points within 5 degrees of it, or of its end nearest the line where it does not
    reach (the lower ribs end before the mid-clavicular line; their cartilages continue)."""
    sign = 1.0 if side == "left" else -1.0
    pts = ribcage.rib_points(side, number)
    a = lines.angle(pts[:, 0], pts[:, 1], sign)
    near = np.abs(a - angle) < 5.0
    if near.any():
        return float(pts[near, 2].mean())
    end = np.abs(a - angle) < np.abs(a - angle).min() + 3.0
    return float(pts[end, 2].mean())


def border_levels(ribcage: Ribcage, side: str, lines: ChestLines,
                  ribs: tuple[int, int, int, int]) -> dict[str, float]:  # fmt: skip
    """The heights of the inferior border at the four lines, from the ribs it crosses."""
    out = {}
    for line, number in zip(LINES, ribs, strict=True):
        if line == "sternal":  # the costal cartilage meets the sternum at its rib's front end
            pts = ribcage.rib_points(side, number)
            out[line] = float(pts[np.argmin(pts[:, 1]), 2])
        else:
            out[line] = rib_level(ribcage, side, number, lines, getattr(lines, line))
    return out
