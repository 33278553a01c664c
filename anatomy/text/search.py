"""Finding a muscle by any of its names: Latin, common or patient-friendly. No Panel import."""

from __future__ import annotations

from typing import Any

REGION_LABELS = {
    "head_neck": "Head and neck",
    "shoulder_arm": "Shoulder and upper arm",
    "forearm_hand": "Forearm and hand",
    "trunk": "Trunk and back",
    "hip_pelvis": "Hip and pelvis",
    "thigh": "Thigh",
    "leg": "Lower leg",
    "foot": "Foot",
}


def _fold(s: str) -> str:
    return " ".join(s.casefold().replace("-", " ").replace("_", " ").split())


class MuscleIndex:
    """Every name of every muscle record, for suggestions and free-text search.

    Parameters
    ----------
    content
        The validated ``anatomy.content.schema.Content``.
    """

    def __init__(self, content: Any) -> None:
        self.labels: dict[str, str] = {}  # suggestion text -> muscle id
        self._names: list[tuple[str, str]] = []  # (folded name, muscle id)
        for m in content.muscles:
            common = m.common_name
            self.labels[_cap(common)] = m.id
            for other in (m.latin, m.patient_name):
                if _fold(other) != _fold(common):
                    self.labels[f"{_cap(other)} ({common})"] = m.id
            for name in (m.common_name, m.latin, m.patient_name, m.id):
                self._names.append((_fold(name), m.id))
        self.by_region: dict[str, dict[str, str]] = {}
        for m in content.muscles:
            group = REGION_LABELS.get(m.region, m.region)
            self.by_region.setdefault(group, {})[_cap(m.common_name)] = m.id
        for group, items in self.by_region.items():
            self.by_region[group] = dict(sorted(items.items()))

    def search(self, query: str, limit: int = 10) -> list[str]:
        """Muscle ids whose names contain ``query`` (case-insensitive), best first.

        An exact suggestion label wins; then whole-name matches, then names starting with the
        query, then names containing it anywhere.
        """
        if query in self.labels:
            return [self.labels[query]]
        q = _fold(query)
        if not q:
            return []
        ranked: dict[str, int] = {}
        for name, mid in self._names:
            if name == q:
                rank = 0
            elif name.startswith(q) or f" {q}" in f" {name}":
                rank = 1
            elif q in name:
                rank = 2
            else:
                continue
            ranked[mid] = min(rank, ranked.get(mid, 3))
        return sorted(ranked, key=lambda mid: (ranked[mid], mid))[:limit]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]
