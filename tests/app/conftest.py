"""App-state fixtures: the mini content file and a small fake geometry (no meshes needed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from anatomy.content.load import load_content

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Hit:
    muscle: str
    side: str
    trigger_point: str
    score: float
    zone: str
    why: str


class FakeAtlas:
    """The ``Atlas`` contract over the mini content: each zone is a fixed block of vertex ids."""

    def __init__(self, annotations: Path | None = DATA / "mini_annotations.yaml") -> None:
        self.content = load_content(annotations)
        self._zones: dict[tuple[str, str, str, str], np.ndarray] = {}
        start = 0
        for muscle, tp in self.content.trigger_points():
            for side in ("left", "right"):
                for zone in ("essential", "spillover"):
                    n = 10 if zone == "essential" else (5 if getattr(tp, zone) else 0)
                    self._zones[(muscle.id, tp.id, side, zone)] = np.arange(start, start + n)
                    start += n

    def trigger_point_position(self, muscle: str, trigger_point: str, side: str) -> np.ndarray:
        self.content.trigger_point(muscle, trigger_point)
        x = 0.1 if side == "left" else -0.1
        return np.array([x, 0.0, 1.5])

    def zone_vertices(self, muscle: str, trigger_point: str, side: str, zone: str) -> np.ndarray:
        return self._zones[(muscle, trigger_point, side, zone)]

    def lookup(self, points=None, vertices=None, landmark=None, top=10):  # type: ignore[no-untyped-def]
        if vertices is None:
            vertices = [round(abs(float(np.ravel(points)[0])) * 1000)]
        hits = []
        for (muscle, tp, side, zone), ids in self._zones.items():
            if np.isin(vertices, ids).any():
                score = 1.0 if zone == "essential" else 0.5
                hits.append(
                    Hit(muscle, side, tp, score, zone, f"covers this spot with its {zone} zone")
                )
        return sorted(hits, key=lambda h: -h.score)[:top]


@pytest.fixture
def atlas() -> FakeAtlas:
    return FakeAtlas()


@pytest.fixture
def state(atlas):  # type: ignore[no-untyped-def]
    from anatomy.session.state import AtlasState

    return AtlasState(atlas, practice_seed=7)


@pytest.fixture(scope="session")
def shipped_atlas() -> FakeAtlas:
    """The shipped ``annotations.yaml`` over the fake geometry (text tests need no meshes)."""
    return FakeAtlas(None)


@pytest.fixture(scope="session")
def shipped() -> tuple:
    """The shipped atlas and its packed browser scene, as ``myoatlas serve`` loads them."""
    from anatomy.ui.server import prepare

    atlas, scene, _document = prepare(None, None, None)
    return atlas, scene
