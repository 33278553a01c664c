"""The lookup ranking and the Atlas API on the synthetic atlas (see tests/synthetic_atlas.py).

Synthetic content: upper_trapezius essential = temple (40 mm) + occiput (30 mm), spillover =
neck_shoulder_angle (40 mm) + vertex (30 mm); soleus essential = heel (40 mm), spillover =
calf (40 mm) + sacrum (30 mm).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from synthetic_atlas import write_atlas

from anatomy.atlas.model import Atlas, load_atlas
from anatomy.errors import AtlasError
from anatomy.geometry.lookup import place_name


def test_a_right_landmark_ranks_only_right_side_muscles(tiny_atlas: Atlas) -> None:
    hits = tiny_atlas.lookup(landmark="right_temple")
    assert [(h.muscle, h.side, h.zone) for h in hits] == [("upper_trapezius", "right",
                                                          "essential")]
    assert hits[0].why == "covers this spot with its essential zone (around the right temple)"
    assert hits[0].score == pytest.approx(1.3)  # at the disc centre: 1 + 0.3 * closeness 1


def test_a_midline_point_ranks_both_sides(tiny_atlas: Atlas) -> None:
    hits = tiny_atlas.lookup(landmark="sacrum")
    assert {(h.muscle, h.side) for h in hits} == {("soleus", "left"), ("soleus", "right")}
    assert all(h.zone == "spillover" for h in hits)


def test_essential_outranks_spillover(tiny_atlas: Atlas) -> None:
    # a spot covered by left soleus' essential heel zone and nothing else vs its calf spillover
    heel = tiny_atlas.lookup(landmark="left_heel")[0]
    calf = tiny_atlas.lookup(landmark="left_calf")[0]
    assert heel.zone == "essential" and calf.zone == "spillover"
    assert heel.score > calf.score
    # even at the rim of an essential disc the score beats the centre of a spillover disc
    rim = _rim_vertex(tiny_atlas, "upper_trapezius", "left", "essential")
    assert tiny_atlas.lookup(vertices=[rim])[0].score > calf.score


def _rim_vertex(atlas: Atlas, muscle: str, side: str, kind: str) -> int:
    disc = atlas.zone_discs(muscle, "tp1", side, kind)[0]
    return int(disc.vertices[np.argmin(disc.closeness)])


def test_closeness_breaks_ties_within_a_zone(tiny_atlas: Atlas) -> None:
    centre = tiny_atlas.landmarks["left_temple"].vertex
    rim = _rim_vertex(tiny_atlas, "upper_trapezius", "left", "essential")
    at_centre, at_rim = (tiny_atlas.lookup(vertices=[v])[0] for v in (centre, rim))
    assert at_centre.score > at_rim.score


def test_more_covered_spots_rank_higher(tiny_atlas: Atlas) -> None:
    heel = tiny_atlas.zone_vertices("soleus", "tp1", "left", "essential")
    temple = tiny_atlas.zone_vertices("upper_trapezius", "tp1", "left", "essential")
    painted = np.concatenate([heel[:30], temple[:10]])
    hits = tiny_atlas.lookup(vertices=painted)
    assert [(h.muscle, h.side) for h in hits[:2]] == [("soleus", "left"),
                                                      ("upper_trapezius", "left")]
    assert hits[0].why.startswith("covers 30 of the 40 spots with its essential zone")


def test_points_snap_to_the_skin(tiny_atlas: Atlas) -> None:
    p = tiny_atlas.landmarks["right_heel"].position
    hits = tiny_atlas.lookup(points=[p + np.array([0.0, 0.003, 0.0])])
    assert hits[0].muscle == "soleus" and hits[0].side == "right"
    with pytest.raises(AtlasError, match="from the skin"):
        tiny_atlas.lookup(points=[[0.0, 0.0, 0.9]])  # the middle of the body, 15 cm from skin
    with pytest.raises(AtlasError, match="finite"):
        tiny_atlas.lookup(points=[[np.nan, 0.0, 0.9]])


def test_nothing_covers_an_unpainted_spot(tiny_atlas: Atlas) -> None:
    assert tiny_atlas.lookup(points=[[0.15, 0.0, 1.0]]) == []


def test_bad_queries_are_atlas_errors(tiny_atlas: Atlas) -> None:
    with pytest.raises(AtlasError, match="did you mean 'right_temple'"):
        tiny_atlas.lookup(landmark="right_tempel")
    with pytest.raises(AtlasError, match="exactly one"):
        tiny_atlas.lookup(landmark="right_temple", vertices=[1])
    with pytest.raises(AtlasError, match="skin vertices"):
        tiny_atlas.lookup(vertices=[10**8])


def test_top_limits_and_hits_serialise(tiny_atlas: Atlas) -> None:
    hits = tiny_atlas.lookup(landmark="sacrum", top=1)
    assert len(hits) == 1
    assert set(hits[0].to_dict()) == {"muscle", "side", "trigger_point", "score", "zone", "why",
                                      "mesh"}


def test_atlas_positions_and_zones(tiny_atlas: Atlas) -> None:
    left = tiny_atlas.trigger_point_position("upper_trapezius", "tp1", "left")
    right = tiny_atlas.trigger_point_position("upper_trapezius", "tp1", "right")
    assert left[0] > 0 > right[0]  # +x is the left
    assert left == pytest.approx(right * np.array([-1, 1, 1]))  # mirror images
    # a geometry muscle id finds its record
    assert tiny_atlas.record("soleus").id == "soleus"
    zone = tiny_atlas.zone_vertices("soleus", "tp1", "right", "essential")
    assert tiny_atlas.landmarks["right_heel"].vertex in zone
    with pytest.raises(AtlasError):
        tiny_atlas.zone_vertices("soleus", "tp1", "middle", "essential")
    with pytest.raises(AtlasError):
        tiny_atlas.zone_vertices("soleus", "tp1", "left", "referred")
    with pytest.raises(AtlasError, match="no muscle 'solues'; did you mean 'soleus'"):
        tiny_atlas.record("solues")


def test_place_names_read_as_words() -> None:
    assert place_name("right_lateral_epicondyle") == "the right lateral epicondyle"
    assert place_name("vertex") == "the top of the head"
    assert place_name("left_dorsum_big_toe") == "the top of the left big toe"
    assert place_name("sacrum") == "the sacrum"


def test_one_point_lookup_is_fast(tiny_atlas: Atlas) -> None:
    tiny_atlas.lookup(landmark="left_heel")  # the index is built once
    skin = tiny_atlas.meshes.skin_surface.vertices
    rng = np.random.default_rng(0)
    times = []
    for p in skin[rng.integers(0, len(skin), 200)]:
        t = time.perf_counter()
        tiny_atlas.lookup(points=[p])
        times.append(time.perf_counter() - t)
    assert np.percentile(times, 95) < 0.020


def test_load_atlas_defaults_to_the_shipped_files(tmp_path: Path) -> None:
    from anatomy import paths

    if not (paths.default_meshes_dir() / "manifest.json").exists():
        pytest.skip("meshes/ not built yet")
    atlas = load_atlas(check=False)
    assert atlas.meshes.directory == paths.default_meshes_dir()


def test_equal_scores_go_to_the_smaller_zone(tmp_path: Path) -> None:
    ann, meshes = write_atlas(tmp_path)
    # give soleus an essential disc at the left temple as well, wider than the trapezius one
    text = ann.read_text().replace(
        "          - {landmark: heel, radius_mm: 40}\n",
        "          - {landmark: heel, radius_mm: 40}\n"
        "          - {landmark: temple, radius_mm: 80}\n")
    ann.write_text(text)
    atlas = load_atlas(ann, meshes)
    hits = atlas.lookup(landmark="left_temple")
    assert [h.muscle for h in hits] == ["upper_trapezius", "soleus"]
    assert hits[0].score == hits[1].score == pytest.approx(1.3)


def test_a_muscle_with_several_points_does_not_crowd_out_others(tmp_path: Path) -> None:
    ann, meshes = write_atlas(tmp_path)
    text = ann.read_text()
    # a second trapezius trigger point with the same zones as the first, and a soleus disc at
    # the temple as wide as trapezius' own (equal scores, equal sizes)
    start = text.index("      - id: tp1\n")
    end = text.index("  - id: soleus")
    tp2 = text[start:end].replace("- id: tp1", "- id: tp2")
    text = text[:start] + text[start:end] + tp2 + text[end:]
    text = text.replace("          - {landmark: heel, radius_mm: 40}\n",
                        "          - {landmark: heel, radius_mm: 40}\n"
                        "          - {landmark: temple, radius_mm: 40}\n")
    ann.write_text(text)
    atlas = load_atlas(ann, meshes)
    hits = atlas.lookup(landmark="left_temple")
    assert [(h.muscle, h.trigger_point) for h in hits] == [
        ("upper_trapezius", "tp1"), ("soleus", "tp1"), ("upper_trapezius", "tp2")]


def test_a_large_painted_area_is_fast_and_counts_each_spot_once(tiny_atlas: Atlas) -> None:
    skin_n = len(tiny_atlas.meshes.skin_surface.vertices)
    everything = np.arange(skin_n)
    t = time.perf_counter()
    hits = tiny_atlas.lookup(vertices=np.concatenate([everything, everything]), top=100)
    assert time.perf_counter() - t < 0.5
    # each trigger point's score is its zones' share of the whole skin, weighted
    for h in hits:
        ess = tiny_atlas.zone_vertices(h.muscle, h.trigger_point, h.side, "essential")
        spill = np.setdiff1d(tiny_atlas.zone_vertices(h.muscle, h.trigger_point, h.side,
                                                 "spillover"), ess)
        assert 1.0 * len(ess) + 0.4 * len(spill) <= h.score * skin_n
        assert h.score * skin_n <= 1.3 * len(ess) + 0.7 * len(spill) + 1e-6
