"""The needle line as the 3D view draws it, and the camera that sees it from the side.

Over the real atlas: a clinician's rhomboid point gets a line of tissue segments from the
skin through the muscle and a rib to past the pleura; other modes and points away from the
trunk get none; the side view looks at right angles to the line and cuts away what lies
between the camera and it.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from anatomy.scene.describe import Selection, describe
from anatomy.scene.needle import needle_camera, needle_view
from anatomy.scene.palette import NEEDLE_COLOURS, NEEDLE_RADIUS_M, NEEDLE_WORDS


@pytest.fixture(scope="module")
def rhomboid(real_atlas):
    return real_atlas.depths.profile("rhomboids", "major", "right")


def test_the_line_runs_from_the_skin_in_order_and_is_coloured_by_tissue(rhomboid) -> None:
    view = needle_view(rhomboid)
    segments = view["segments"]
    tissues = [s["tissue"] for s in segments]
    assert tissues[0] == "subcutaneous" and tissues[-1] == "beyond pleura"
    assert "target" in tissues and "bone" in tissues
    assert tissues.index("target") < tissues.index("bone") < tissues.index("beyond pleura")
    assert view["entry"] == segments[0]["start"]
    for a, b in itertools.pairwise(segments):
        assert a["end"] == b["start"]  # one unbroken line
    for s in segments:
        assert s["colour"] == list(NEEDLE_COLOURS[s["tissue"]])
    # the red part starts at the pleura, at the profile's depth from the entry
    red = next(s for s in segments if s["tissue"] == "beyond pleura")
    assert red["start"] == view["pleura"]
    depth_mm = np.linalg.norm(np.subtract(view["pleura"], view["entry"])) * 1000
    assert depth_mm == pytest.approx(rhomboid.line.pleura_mm, abs=0.05)
    assert view["radius"] == NEEDLE_RADIUS_M


def test_every_tissue_has_a_colour_and_a_word_and_the_colours_differ() -> None:
    assert set(NEEDLE_COLOURS) == set(NEEDLE_WORDS)
    assert len(set(NEEDLE_COLOURS.values())) == len(NEEDLE_COLOURS)
    assert len(set(NEEDLE_WORDS.values())) == len(NEEDLE_WORDS)


def test_the_side_view_looks_across_the_line_and_cuts_away_the_body_before_it(rhomboid) -> None:
    view = needle_view(rhomboid)
    camera = needle_camera(view)
    look = np.subtract(camera["focal_point"], camera["position"])
    distance = np.linalg.norm(look)
    line = np.subtract(view["segments"][-1]["end"], view["entry"])
    cosine = abs(look @ line) / (distance * np.linalg.norm(line))
    assert cosine < 0.05  # at right angles to the line
    assert abs(np.dot(camera["view_up"], look)) / distance < 0.05
    assert camera["position"][0] < view["entry"][0]  # a right-side line, seen from the right
    # the section lies just in front of the line: the whole line is behind it
    assert 0 < distance - camera["section"] < 0.01
    for s in view["segments"]:
        for end in (s["start"], s["end"]):
            along = np.dot(np.subtract(end, camera["position"]), look) / distance
            assert along > camera["section"] - 0.003


def test_a_line_running_from_side_to_side_is_seen_from_the_front(real_atlas) -> None:
    profile = real_atlas.depths.profile("serratus_anterior", "mid_axillary", "left")
    view = needle_view(profile)
    camera = needle_camera(view)
    look = np.subtract(camera["focal_point"], camera["position"])
    line = np.subtract(view["segments"][-1]["end"], view["entry"])
    assert abs(look @ line) / (np.linalg.norm(look) * np.linalg.norm(line)) < 0.05
    assert camera["position"][1] < camera["focal_point"][1]  # in front of the body (-y)


@pytest.mark.parametrize(("mode", "drawn"), [("clinician", True), ("student", False),
                                             ("patient", False)])  # fmt: skip
def test_only_a_clinician_sees_the_needle(real_atlas, mode: str, drawn: bool) -> None:
    view = describe(real_atlas, Selection("rhomboids", "right", "major", mode), cameras=False)
    assert (view.needle is not None) is drawn


def test_no_needle_without_a_point_or_away_from_the_trunk(real_atlas) -> None:
    muscle_only = describe(real_atlas, Selection("rhomboids", "right", "", "clinician"),
                           cameras=False)  # fmt: skip
    assert muscle_only.needle is None
    calf = describe(real_atlas, Selection("soleus", "left", "tp1", "clinician"),
                    cameras=False)  # fmt: skip
    assert calf.needle is None


def test_the_legend_names_the_colours_of_the_tissues_on_this_line_only(real_atlas,
                                                                       rhomboid) -> None:
    from anatomy.text.needle import TISSUE_WORDS, depth_html

    page = depth_html(real_atlas.content, rhomboid)
    legend = page[page.index('<ul class="needle-legend">'):]
    legend = legend[:legend.index("</ul>")]
    on_line = {s["tissue"] for s in needle_view(rhomboid)["segments"]}
    for tissue, words in TISSUE_WORDS.items():
        assert (f"<b>{NEEDLE_WORDS[tissue]}</b>: {words}" in legend) is (tissue in on_line)
    assert "kidney" not in on_line
