""""Where does it hurt?": rank trigger points whose referral zones cover spots on the skin.

Scoring, per trigger point and side, over the k query vertices (after removing duplicates):

- a vertex inside the **essential** zone adds ``1.0 + 0.3 * closeness``;
- a vertex only inside the **spillover** zone adds ``0.4 + 0.3 * closeness``;
- the score is the sum divided by k (so covering more of the painted area ranks higher).

``closeness`` is ``1 - distance / radius`` to the nearest disc centre of that zone, a
tie-breaker that favours zones centred on the spot; equal scores go to the smaller (more
specific) zone, and a muscle's further trigger points come after other muscles' first ones.
Essential always outranks spillover for the same coverage. A trigger point whose referral
pattern is contested ranks below every undisputed one with the same coverage (the same score
before closeness), and its ``why`` says so. Zones are resolved per side and
kept on their own half of the body (plus a narrow midline band), so a point on the right
ranks right-side muscles and a midline point can rank both sides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
from scipy.sparse import csc_matrix, csr_matrix

from anatomy.geometry.resolve import ResolvedDisc

ESSENTIAL_WEIGHT = 1.0
SPILLOVER_WEIGHT = 0.4
CLOSENESS_WEIGHT = 0.3
KINDS = ("essential", "spillover")


@dataclass(frozen=True)
class LookupHit:
    """One ranked answer: a trigger point whose referral zone covers the queried spot(s)."""

    muscle: str
    side: str
    trigger_point: str
    score: float
    zone: str
    why: str
    mesh: str = ""

    def to_dict(self) -> dict[str, object]:
        """The hit as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class ZoneSet:
    """Both zones of one trigger point on one side."""

    muscle: str
    trigger_point: str
    side: str
    mesh: str
    essential: tuple[ResolvedDisc, ...]
    spillover: tuple[ResolvedDisc, ...]
    referral_contested: bool = False


def union(discs: tuple[ResolvedDisc, ...], n_vertices: int) -> tuple[np.ndarray, np.ndarray]:
    """Vertex ids covered by any disc and, per vertex, the best closeness."""
    best = np.full(n_vertices, -1.0)
    for disc in discs:
        np.maximum.at(best, disc.vertices, disc.closeness)
    ids = np.flatnonzero(best >= 0)
    return ids, best[ids]


_PLACE_WORDS = {
    "vertex": "top of the head",
    "tmj": "{side} jaw joint",
    "dorsum_big_toe": "top of the {side} big toe",
    "dorsum_foot": "top of the {side} foot",
    "coccyx_side": "{side} side of the tailbone",
}


def place_name(landmark: str) -> str:
    """A landmark name in words (``right_lateral_epicondyle``: the right lateral epicondyle)."""
    side, _, rest = landmark.partition("_")
    if side not in ("left", "right") or not rest:
        side, rest = "", landmark
    words = _PLACE_WORDS.get(rest, "{side} " + rest.replace("_", " "))
    return "the " + " ".join(words.format(side=side).split())


class ZoneIndex:
    """Every resolved zone as one sparse vertex-by-zone matrix, for fast lookups.

    Parameters
    ----------
    zone_sets
        The resolved zones, one per trigger point and side.
    n_vertices
        Number of skin vertices.
    """

    def __init__(self, zone_sets: list[ZoneSet], n_vertices: int) -> None:
        self.zone_sets = zone_sets
        self.n_vertices = n_vertices
        rows, cols, vals = [], [], []
        for col, (zs, kind) in enumerate((z, k) for z in zone_sets for k in KINDS):
            ids, close = union(getattr(zs, kind), n_vertices)
            rows.append(ids)
            cols.append(np.full(len(ids), col))
            vals.append(close + 1.0)  # stored as 1..2 so that a rim vertex is still non-zero
        shape = (n_vertices, 2 * len(zone_sets))
        data = np.concatenate(vals) if vals else np.zeros(0)
        rc = (np.concatenate(rows), np.concatenate(cols)) if rows else (np.zeros(0), np.zeros(0))
        self._matrix: csr_matrix = csc_matrix((data, rc), shape=shape).tocsr()
        # Zone areas in vertices, (n_zone_sets, 2): essential, spillover.
        self._sizes = np.bincount(rc[1].astype(np.int64), minlength=shape[1]).reshape(-1, 2)

    def lookup(self, vertices: np.ndarray, top: int = 10) -> list[LookupHit]:
        """Rank the trigger points whose zones cover skin ``vertices``, best first."""
        query = np.unique(np.asarray(vertices, dtype=np.int64))
        n_sets = len(self.zone_sets)
        if len(query) == 0 or not n_sets:
            return []
        rows, cols, stored = self._entries(query)
        zone, close = cols // 2, stored - 1.0
        ess = cols % 2 == 0
        # a vertex in both zones of a trigger point counts once, as essential
        spill = ~ess & ~np.isin(rows * n_sets + zone, rows[ess] * n_sets + zone[ess])
        e_rows, e_zone, s_rows, s_zone = rows[ess], zone[ess], rows[spill], zone[spill]
        scores = (np.bincount(e_zone, ESSENTIAL_WEIGHT + CLOSENESS_WEIGHT * close[ess],
                              minlength=n_sets)
                  + np.bincount(s_zone, SPILLOVER_WEIGHT + CLOSENESS_WEIGHT * close[spill],
                                minlength=n_sets)) / len(query)
        n_ess = np.bincount(e_zone, minlength=n_sets)
        coverage = (ESSENTIAL_WEIGHT * n_ess + SPILLOVER_WEIGHT
                    * np.bincount(s_zone, minlength=n_sets)) / len(query)  # fmt: skip
        found = np.flatnonzero(scores > 0)
        # Ties (e.g. several zones centred on the same landmark) go to the more specific
        # zone: the smaller one, in which a given spot is the likelier place for the pain.
        kind_col = np.where(n_ess > 0, 0, 1)
        order = sorted(found, key=lambda i: (-round(float(coverage[i]), 9),
                                             self.zone_sets[i].referral_contested,
                                             -round(float(scores[i]), 9),
                                             int(self._sizes[i, kind_col[i]]),
                                             self.zone_sets[i].muscle,
                                             self.zone_sets[i].trigger_point,
                                             self.zone_sets[i].side))
        order = self._muscles_first(order, lambda i: (round(float(coverage[i]), 9),
                                                      self.zone_sets[i].referral_contested,
                                                      round(float(scores[i]), 9)))
        hits = []
        for i in order[: max(top, 0)]:
            zs = self.zone_sets[i]
            covered = {"essential": query[e_rows[e_zone == i]],
                       "spillover": query[s_rows[s_zone == i]]}
            hits.append(LookupHit(
                muscle=zs.muscle, side=zs.side, trigger_point=zs.trigger_point,
                score=round(float(scores[i]), 4),
                zone="essential" if n_ess[i] else "spillover",
                why=self._why(zs, len(query), covered),
                mesh=zs.mesh,
            ))  # fmt: skip
        return hits

    def _muscles_first(self, order: list[int], rank: Callable[[int], tuple]) -> list[int]:
        """Within each run of equal ``rank`` (coverage, contested, score), a muscle's first
        trigger point comes before the second trigger points of muscles already listed, so
        one muscle with several points does not crowd the others out of the top results."""
        out: list[int] = []
        seen: set[tuple[str, str]] = set()
        start = 0
        while start < len(order):
            value = rank(order[start])
            end = start
            while end < len(order) and rank(order[end]) == value:
                end += 1
            run = order[start:end]
            fresh, repeat = [], []
            for i in run:
                key = (self.zone_sets[i].muscle, self.zone_sets[i].side)
                (repeat if key in seen else fresh).append(i)
                seen.add(key)
            out += fresh + repeat
            start = end
        return out

    def _entries(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The stored (query row, zone column, value) triplets of the query vertices' rows,
        gathered straight from the CSR arrays (scipy's fancy indexing costs more than the
        rest of a one-point lookup)."""
        m = self._matrix
        starts, ends = m.indptr[query], m.indptr[query + 1]
        lengths = ends - starts
        rows = np.repeat(np.arange(len(query)), lengths)
        pos = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        return rows, m.indices[pos].astype(np.int64), m.data[pos]

    def _why(self, zs: ZoneSet, k: int, covered: dict[str, np.ndarray]) -> str:
        parts = []
        for kind, vertices in covered.items():
            n = len(vertices)
            if not n:
                continue
            places = _nearest_centres(getattr(zs, kind), vertices)
            spots = "this spot" if k == 1 else f"{n} of the {k} spots"
            if parts:
                spots = f"{n}" if k > 1 else "it"
            parts.append(f"{spots} with its {kind} zone (around {' and '.join(places)})")
        why = "covers " + ", and ".join(parts)
        return why + "; this referral pattern is contested" if zs.referral_contested else why


def _nearest_centres(discs: tuple[ResolvedDisc, ...], vertices: np.ndarray) -> list[str]:
    """Names of the disc centres closest to each vertex, most frequent first (at most 3)."""
    best = np.full((len(discs), len(vertices)), -1.0)
    for k, disc in enumerate(discs):
        order = np.argsort(disc.vertices)
        ids = disc.vertices[order]
        pos = np.clip(np.searchsorted(ids, vertices), 0, max(len(ids) - 1, 0))
        inside = (ids[pos] == vertices) if len(ids) else np.zeros(len(vertices), bool)
        best[k, inside] = disc.closeness[order][pos[inside]]
    covered = best.max(axis=0) >= 0
    winners = np.argmax(best, axis=0)[covered]
    counts = np.bincount(winners, minlength=len(discs))
    ranked = sorted((k for k in range(len(discs)) if counts[k]),
                    key=lambda k: (-counts[k], discs[k].landmark))[:3]
    return [place_name(discs[k].landmark) for k in ranked]
