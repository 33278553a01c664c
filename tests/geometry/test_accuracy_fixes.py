"""Reviewed errors of the shipped atlas stay fixed: landmarks, zones, sources, contested claims."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from anatomy.atlas.checks import landmarks_distinct
from anatomy.cli import main
from anatomy.paths import default_annotations_path, default_meshes_dir


def _tp(atlas, muscle: str, tp: str):  # type: ignore[no-untyped-def]
    record = next(m for m in atlas.content.muscles if m.id == muscle)
    return next(t for t in record.trigger_points if t.id == tp)


def _landmarks(zone) -> set[str]:  # type: ignore[no-untyped-def]
    return {disc.landmark for disc in zone}


def test_no_two_landmarks_share_a_skin_vertex(real_atlas):
    assert list(landmarks_distinct(real_atlas)) == []


def test_two_landmarks_on_one_vertex_fail_validate_located(tmp_path, capsys):
    meshes = tmp_path / "meshes"
    shutil.copytree(default_meshes_dir(), meshes)
    path = meshes / "landmarks.json"
    data = json.loads(path.read_text())
    by_name = {lm["name"]: lm for lm in data["landmarks"]}
    by_name["right_infrascapular"].update(
        {k: by_name["right_medial_scapular_border"][k] for k in ("vertex", "position")})
    path.write_text(json.dumps(data))
    assert main(["validate", str(default_annotations_path()), "--meshes", str(meshes)]) == 2
    err = capsys.readouterr().err
    assert "landmarks_distinct" in err and "right_infrascapular" in err


def test_infrascapular_lies_over_the_infraspinous_fossa(real_atlas):
    for side, sign in (("right", -1.0), ("left", 1.0)):
        at = {n: real_atlas.landmarks[f"{side}_{n}"].position for n in (
            "infrascapular", "medial_scapular_border", "suprascapular", "inferior_scapular_angle")}
        # below the supraspinous fossa (so below the spine), above the inferior angle
        assert at["inferior_scapular_angle"][2] < at["infrascapular"][2] < at["suprascapular"][2]
        # out over the blade, at least 3 cm lateral of its medial border
        assert sign * (at["infrascapular"][0] - at["medial_scapular_border"][0]) > 0.03


def test_levator_scapulae_inner_border_of_the_scapula_is_spillover(real_atlas):
    tp = _tp(real_atlas, "levator_scapulae", "superior_angle")
    assert _landmarks(tp.essential) == {"neck_shoulder_angle"}
    assert "medial_scapular_border" in _landmarks(tp.spillover)


def test_masseter_arc_over_temple_and_eyebrow_belongs_to_the_lower_point(real_atlas):
    lower = _tp(real_atlas, "masseter", "superficial_lower")
    assert {"temple", "eyebrow"} <= _landmarks(lower.spillover)
    assert "eyebrow" not in _landmarks(_tp(real_atlas, "masseter", "superficial_upper").spillover)


def test_the_medial_hamstrings_share_one_pattern(real_atlas):
    tendinosus = _tp(real_atlas, "hamstrings", "semitendinosus")
    membranosus = _tp(real_atlas, "hamstrings", "semimembranosus")
    assert _landmarks(tendinosus.essential) == _landmarks(membranosus.essential)
    assert _landmarks(tendinosus.spillover) == _landmarks(membranosus.spillover)


def test_the_arrhythmia_point_is_the_contested_parasternal_one(real_atlas):
    parasternal = _tp(real_atlas, "pectoralis_major", "parasternal")
    assert parasternal.contested and "arrhythmia" in parasternal.contested_note
    assert not _tp(real_atlas, "pectoralis_major", "costal").contested
    # beside the breastbone: nearer the midline than the sternal point, within 5 cm of it
    for side in ("right", "left"):
        p = real_atlas.trigger_point_position("pectoralis_major", "parasternal", side)
        s = real_atlas.trigger_point_position("pectoralis_major", "sternal", side)
        assert abs(p[0]) < abs(s[0]) and abs(p[0]) < 0.05, p


def test_scm_clavicular_balance_claim_is_contested(real_atlas):
    tp = _tp(real_atlas, "sternocleidomastoid", "clavicular_head")
    assert any("balance" in s for s in tp.symptoms) and tp.contested


def test_lower_trapezius_patient_text_names_the_spine_of_the_scapula_not_its_corner(real_atlas):
    text = _tp(real_atlas, "lower_trapezius", "below_spine").patient_text
    assert "corner" not in text and "ridge" in text


TEXT = Path(default_annotations_path()).read_text(encoding="utf-8")


def test_kearns_2022_is_quoted_as_finding_no_link_with_kyphosis():
    assert "kyphosis to different needle lengths" not in TEXT
    assert "made no difference (r = 0.03)" in TEXT
    assert "10.1016/j.msksp.2022.102622" in TEXT


def test_lucas_kappa_lower_bounds_are_negative_and_its_conclusion_kept():
    assert "kappa from -0.08 to 0.75" in TEXT and "from -0.05 to 0.57" in TEXT
    assert "cannot yet be recommended as a reliable test" in TEXT


def test_quintner_is_cited_with_its_rebuttal(real_atlas):
    general = real_atlas.content.general
    sections = [getattr(general, name) for name in type(general).model_fields]
    citing = [s for s in sections if "quintner_2015" in s.sources]
    assert citing and all("dommerholt_gerwin_2015" in s.sources for s in citing)
    assert "dommerholt_gerwin_2015" in real_atlas.content.sources


def test_hong_1994_is_not_cited_for_electrical_activity():
    assert "spontaneous electrical activity at the\n          trigger point (Hong 1994" not in TEXT
    assert "immediate\n          pain relief (Hong 1994)" in TEXT


def test_rhomboid_rib_palpation_figure_without_a_source_is_gone():
    assert "two-thirds" not in TEXT


def test_marker_positions_are_finite(real_atlas):
    for record, tp in real_atlas.content.trigger_points():
        assert np.isfinite(real_atlas.trigger_point_position(record.id, tp.id, "right")).all()


def test_a_contested_referral_ranks_below_undisputed_ones_with_the_same_coverage(real_atlas):
    hits = real_atlas.lookup(landmark="right_sacroiliac", top=20)
    soleus = next(i for i, h in enumerate(hits) if (h.muscle, h.trigger_point) == ("soleus", "tp3"))
    assert "contested" in hits[soleus].why
    same = [i for i, h in enumerate(hits) if h.zone == hits[soleus].zone and i != soleus]
    assert same and all(i < soleus for i in same), [(h.muscle, h.trigger_point) for h in hits]


@pytest.mark.parametrize(("text", "expected"), [
    ("right_throat", ["right_throat"]),
    ("Right Throat", ["right_throat"]),
    ("left-throat", ["left_throat"]),
    ("throat", ["right_throat", "left_throat"]),
    ("STERNUM", ["sternum"]),
    ("left sternum", ["sternum"]),
])
def test_landmark_names_are_read_as_a_person_writes_them(real_atlas, text, expected):
    from anatomy.atlas.model import landmark_names

    assert landmark_names(text, list(real_atlas.landmarks.names)) == expected
    assert real_atlas.lookup(landmark=text, top=1)


def test_an_unknown_landmark_suggests_near_names(real_atlas):
    from anatomy.errors import AtlasError

    with pytest.raises(AtlasError, match="did you mean 'temple'"):
        real_atlas.lookup(landmark="templ")


# -- zone audit against the classic patterns ----------------------------------------------------
def test_temporalis_back_fibres_do_not_refer_to_the_teeth(real_atlas):
    tp = _tp(real_atlas, "temporalis", "posterior")
    assert "upper_teeth" not in _landmarks(tp.essential) | _landmarks(tp.spillover)


def test_supraspinatus_lateral_epicondyle_is_essential(real_atlas):
    assert "lateral_epicondyle" in _landmarks(_tp(real_atlas, "supraspinatus", "belly").essential)


def test_greater_trochanter_belongs_to_the_lower_superficial_quadratus_point(real_atlas):
    upper = _tp(real_atlas, "quadratus_lumborum", "superficial_upper")
    lower = _tp(real_atlas, "quadratus_lumborum", "superficial_lower")
    assert "lateral_hip" not in _landmarks(upper.essential) | _landmarks(upper.spillover)
    assert "lateral_hip" in _landmarks(lower.essential)


def test_soleus_heel_point_does_not_refer_to_the_forefoot(real_atlas):
    tp = _tp(real_atlas, "soleus", "tp1")
    assert "sole" not in _landmarks(tp.essential) | _landmarks(tp.spillover)
    assert "heel" in _landmarks(tp.essential)


def test_both_pectoralis_minor_points_centre_on_the_front_of_the_shoulder(real_atlas):
    for tp_id in ("coracoid", "rib_origin"):
        tp = _tp(real_atlas, "pectoralis_minor", tp_id)
        assert "anterior_shoulder" in _landmarks(tp.essential)
        assert {"medial_arm", "ulnar_forearm", "little_finger"} <= _landmarks(tp.spillover)


def test_psoas_point_shares_the_iliopsoas_thigh_and_groin_zone(real_atlas):
    tp = _tp(real_atlas, "iliopsoas", "psoas")
    assert {"groin", "anterior_thigh"} <= _landmarks(tp.essential) | _landmarks(tp.spillover)


def test_upper_trapezius_second_point_refers_to_the_occiput_not_the_temple(real_atlas):
    tp = _tp(real_atlas, "upper_trapezius", "tp2")
    assert "occiput" in _landmarks(tp.essential)
    assert "temple" not in _landmarks(tp.essential) | _landmarks(tp.spillover)


def test_every_trigger_point_names_the_figure_its_zones_were_compared_against(real_atlas):
    for m in real_atlas.content.muscles:
        for tp in m.trigger_points:
            check = tp.zones_checked
            assert check.source in real_atlas.content.sources and check.figure.strip()
            assert check.source.startswith("travell_simons"), (m.id, tp.id)
