"""Each shared fact of the views is written down once: the modes, the camera presets and view
angle, the opacities and the marker sizes. Every other module (Python or JavaScript) imports
or receives them, so the app, the exported pages and the render cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    p for p in [*REPO.glob("anatomy/**/*.py"), *REPO.glob("anatomy/**/*.js"), REPO / "app.py"]
    if p.name != "vtk-lite.js" and "meshbuild" not in p.parts
)  # fmt: skip

# What a definition of each fact looks like in source, and the one file allowed to hold it.
FACTS = {
    "modes": (r"[\"']patient[\"'],\s*[\"']student[\"'],\s*[\"']clinician[\"']",
              "anatomy/frame.py"),
    "view angle": (r"view_?angle\w*[\"']?\s*[=:]\s*(param\.Number\(\s*default\s*=\s*)?[0-9]"
                   r"|setViewAngle\(\s*[0-9]",
                   "anatomy/scene/camera.py"),
    "camera presets": (r"[\"']?(anterior|posterior)[\"']?\s*:\s*[\(\[]+\s*-?[0-9]",
                       "anatomy/frame.py"),
    "opacities": (r"(skin_?opacity|opacity_skin)[\"']?\s*[=:]\s*(param\.Number\(\s*default\s*=\s*)?"
                  r"[0-9]|[\"']skin[\"']\s*:\s*0\.[0-9]",
                  "anatomy/scene/palette.py"),
    "marker sizes": (r"\b0\.01[16]\b", "anatomy/scene/palette.py"),
}  # fmt: skip


def _holders(pattern: str) -> set[str]:
    rx = re.compile(pattern, re.IGNORECASE)
    return {str(p.relative_to(REPO)) for p in SOURCES if rx.search(p.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_defined_once(fact: str) -> None:
    pattern, home = FACTS[fact]
    assert _holders(pattern) == {home}


def test_the_check_finds_a_second_definition(tmp_path: Path) -> None:
    """The patterns do match a definition written elsewhere."""
    samples = {"modes": 'MODES = ("patient", "student", "clinician")',
               "view angle": "VIEW_ANGLE = 30.0", "camera presets": "anterior: [0, -1, 0]",
               "opacities": "opacity_skin = param.Number(default=0.35, bounds=(0, 1))",
               "marker sizes": "const MARKER_RADIUS = 0.011;"}  # fmt: skip
    for fact, line in samples.items():
        assert re.search(FACTS[fact][0], line, re.IGNORECASE), fact
