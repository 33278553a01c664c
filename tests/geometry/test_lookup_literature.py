"""Lookup on the shipped atlas gives what the trigger-point literature gives.

Each case is a standard pain location (a skin landmark) and the muscles whose trigger points
Travell & Simons (as summarised in ../shared/reference/trigger-point-facts.md, section 1) map to
it. The test asks that at least one of them, on the landmark's side, is among the top results.
``muscle`` may be the content record (``hamstrings``) or the mesh (``biceps_femoris``).

If a case fails because a zone in annotations.yaml is wrong, fix the content, not the case.
"""

from __future__ import annotations

import numpy as np
import pytest

from anatomy.atlas.model import Atlas
from anatomy.geometry.lookup import LookupHit

TOP = 5

# (landmark, acceptable muscles, what the fact sheet says)
CASES: list[tuple[str, set[str], str]] = [
    ("right_temple", {"upper_trapezius"}, "upper trapezius: question-mark path to the temple"),
    ("left_heel", {"soleus"}, "soleus TrP1: back and underside of the heel"),
    ("right_lateral_epicondyle", {"extensor_carpi_radialis_longus", "brachioradialis",
                                  "supraspinatus", "triceps_brachii"},
     "ECRL/brachioradialis refer to the lateral epicondyle (tennis elbow)"),
    ("left_buttock", {"gluteus_medius", "quadratus_lumborum"},
     "gluteus medius: middle and outer buttock; QL: lower buttock"),
    ("right_anterior_shoulder", {"infraspinatus"}, "infraspinatus: front of the shoulder joint"),
    ("left_lateral_ankle", {"fibularis_longus"}, "fibularis longus: around the lateral malleolus"),
    ("right_instep", {"gastrocnemius"}, "gastrocnemius TrP1: the instep"),
    ("left_dorsum_big_toe", {"tibialis_anterior"}, "tibialis anterior: top of the big toe"),
    ("right_anterior_knee", {"rectus_femoris", "vastus_medialis"},
     "rectus femoris: front of the knee; vastus medialis: front-inner knee"),
    ("left_lateral_thigh", {"vastus_lateralis", "gluteus_minimus", "tensor_fasciae_latae"},
     "vastus lateralis: outer thigh; gluteus minimus: down the side of the thigh"),
    ("right_neck_shoulder_angle", {"levator_scapulae"}, "levator scapulae: angle of the neck"),
    ("left_medial_scapular_border", {"rhomboids", "rhomboid_major", "rhomboid_minor",
                                     "levator_scapulae", "scalenes", "infraspinatus"},
     "rhomboids: inner border of the scapula; levator spillover; scalenes"),
    ("right_lateral_shoulder", {"supraspinatus", "deltoid", "middle_deltoid"},
     "supraspinatus: deep ache over the middle deltoid"),
    ("left_posterior_shoulder", {"teres_minor", "subscapularis", "deltoid", "posterior_deltoid"},
     "teres minor: back of the deltoid; subscapularis: back of the shoulder"),
    ("right_posterior_knee", {"hamstrings", "biceps_femoris", "gastrocnemius"},
     "biceps femoris: back of the knee; gastrocnemius lateral head"),
    ("left_medial_knee", {"vastus_medialis"}, "vastus medialis: front-inner knee"),
    ("right_groin", {"adductor_longus", "iliopsoas"}, "adductor longus and iliopsoas: groin"),
    ("left_sacroiliac", {"gluteus_maximus", "gluteus_medius", "quadratus_lumborum"},
     "gluteus maximus TrP1 and medius: along the SI joint; QL: SI joint"),
    ("right_upper_chest", {"pectoralis_major", "pectoralis_minor", "scalenes"},
     "pectoralis major/minor and scalenes: front of the chest"),
    ("left_low_back", {"iliopsoas", "iliocostalis"},
     "iliopsoas: vertical strip beside the lumbar spine; iliocostalis T11"),
    ("right_coccyx_side", {"gluteus_maximus", "multifidus"},
     "gluteus maximus TrP3 and low multifidus: the coccyx"),
    ("left_upper_teeth", {"temporalis", "masseter"},
     "temporalis and masseter: the upper teeth"),
    ("right_ear", {"masseter", "sternocleidomastoid"},
     "deep masseter: deep ear pain; SCM clavicular head: earache"),
    ("left_angle_of_jaw", {"masseter", "upper_trapezius"},
     "masseter: mandible; upper trapezius spillover to the angle of the jaw"),
    ("right_inferior_scapular_angle", {"latissimus_dorsi", "serratus_anterior", "iliocostalis"},
     "latissimus dorsi: around the inferior angle; serratus anterior"),
    ("left_lateral_hip", {"quadratus_lumborum", "gluteus_minimus", "tensor_fasciae_latae",
                          "gluteus_medius"},
     "QL: greater trochanter; gluteus minimus and TFL: outer hip"),
    ("right_dorsal_hand", {"extensor_digitorum", "extensor_carpi_radialis_longus"},
     "wrist extensors: back of the hand"),
    ("left_occiput", {"suboccipitals", "sternocleidomastoid", "upper_trapezius"},
     "suboccipitals and SCM sternal head: the occiput"),
    # forearm and hand
    ("right_palm", {"palmaris_longus"}, "palmaris longus: prickling pain in the palm"),
    ("left_thenar", {"adductor_pollicis", "opponens_pollicis"},
     "adductor pollicis: the thenar eminence and the base of the thumb"),
    ("right_palmar_thumb", {"flexor_pollicis_longus", "opponens_pollicis"},
     "flexor pollicis longus: the palm side of the thumb to its tip"),
    ("left_index_finger", {"first_dorsal_interosseous"},
     "first dorsal interosseous: along the side of the index finger"),
    ("right_palmar_middle_finger", {"flexor_digitorum_superficialis",
                                    "flexor_digitorum_profundus"},
     "finger flexors: the palm side of the finger the slip serves"),
    ("right_ulnar_wrist", {"extensor_carpi_ulnaris", "flexor_carpi_ulnaris"},
     "ECU and FCU: the little-finger side of the wrist"),
    ("left_radial_volar_wrist", {"flexor_carpi_radialis", "pronator_teres"},
     "FCR and pronator teres: the thumb side of the front of the wrist"),
    ("right_dorsal_wrist", {"extensor_carpi_radialis_brevis", "extensor_indicis"},
     "ECRB: the back of the wrist"),
    ("left_posterior_arm", {"teres_major", "triceps_brachii", "coracobrachialis"},
     "teres major and coracobrachialis: the back of the upper arm"),
    # leg and foot
    ("left_plantar_heel", {"quadratus_plantae", "soleus", "abductor_hallucis"},
     "quadratus plantae: the underside of the heel"),
    ("right_ball_of_foot", {"flexor_digitorum_brevis", "flexor_digitorum_longus",
                            "adductor_hallucis", "flexor_hallucis_brevis"},
     "FDB, FDL, adductor hallucis: under the metatarsal heads"),
    ("left_plantar_big_toe", {"flexor_hallucis_longus", "flexor_hallucis_brevis"},
     "flexor hallucis longus and brevis: the underside of the big toe"),
    ("right_lesser_toes", {"extensor_digitorum_longus"},
     "extensor digitorum longus: the top of the foot to the lesser toes"),
    ("left_medial_thigh", {"gracilis", "adductor_magnus", "adductor_longus", "sartorius"},
     "gracilis and adductor magnus: the inner thigh"),
    ("right_achilles", {"tibialis_posterior", "soleus"},
     "tibialis posterior: over the Achilles tendon"),
    ("left_dorsum_foot", {"extensor_digitorum_brevis", "extensor_digitorum_longus"},
     "extensor digitorum brevis and longus: the top of the foot"),
    # jaw, head and trunk
    ("right_tmj", {"lateral_pterygoid", "masseter", "medial_pterygoid"},
     "lateral pterygoid: deep in the jaw joint"),
    ("left_cheek", {"lateral_pterygoid", "masseter"},
     "lateral pterygoid: the maxillary sinus region"),
    ("right_upper_throat", {"medial_pterygoid", "digastric"},
     "medial pterygoid and digastric: the throat below the jaw"),
    ("left_eye", {"occipitofrontalis", "splenius_cervicis", "semispinalis",
                  "sternocleidomastoid"},
     "occipitalis and splenius cervicis: behind the eye"),
    ("right_upper_abdomen", {"rectus_abdominis", "external_oblique", "transversus_abdominis"},
     "upper rectus and external oblique: the pit of the stomach"),
    ("left_lower_quadrant", {"rectus_abdominis"},
     "lower lateral rectus abdominis: McBurney's point"),
    ("right_posterior_lower_ribs", {"serratus_posterior_inferior", "rectus_abdominis"},
     "serratus posterior inferior: over the lower ribs at the back"),
    ("left_lateral_chest", {"intercostals", "serratus_anterior"},
     "intercostals and serratus anterior: the side of the chest"),
    ("right_shoulder_tip", {"diaphragm"}, "diaphragm: the top of the shoulder"),
    ("left_upper_molars", {"masseter", "temporalis"},
     "masseter superficial layer: the upper back teeth"),
    ("right_lower_molars", {"masseter"}, "masseter lower belly: the lower back teeth"),
    ("left_clavicle", {"subclavius", "pectoralis_major"},
     "subclavius: under the collarbone"),
]


def _show(hits: list[LookupHit]) -> str:
    return "\n".join(f"  {h.score:.3f} {h.side} {h.muscle}/{h.trigger_point} ({h.mesh}) "
                     f"{h.zone}: {h.why}" for h in hits)


def test_there_are_at_least_twenty_cases() -> None:
    assert len(CASES) >= 20
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize(("landmark", "expected", "fact"), CASES, ids=[c[0] for c in CASES])
def test_literature_pain_location(real_atlas: Atlas, landmark: str, expected: set[str],
                                  fact: str) -> None:
    side = landmark.split("_", 1)[0]
    hits = real_atlas.lookup(landmark=landmark, top=TOP)
    assert hits, f"nothing refers to {landmark} ({fact})"
    assert all(h.side == side for h in hits), (
        f"a {side} spot must rank {side}-side muscles only:\n{_show(hits)}")
    found = [h for h in hits if h.muscle in expected or h.mesh in expected]
    assert found, f"{landmark}: expected one of {sorted(expected)} in the top {TOP} " \
                  f"({fact}); got:\n{_show(hits)}"


def test_midline_vertex_ranks_splenius_capitis_on_both_sides(real_atlas: Atlas) -> None:
    hits = real_atlas.lookup(landmark="vertex", top=TOP)
    splenius = {h.side for h in hits if h.muscle == "splenius_capitis"}
    assert splenius == {"left", "right"}, _show(hits)


NEAR_M = 0.015


def _neighbours(atlas: Atlas, landmark: str) -> np.ndarray:
    """Skin vertices other than the landmark's own within 15 mm of it along the skin."""
    skin = atlas.meshes.skin_surface
    dist = skin.distances_from(np.array([atlas.landmarks[landmark].vertex]), limit=NEAR_M)[0]
    return np.flatnonzero((dist > 0) & (dist <= NEAR_M))


@pytest.mark.parametrize(("landmark", "expected", "fact"), CASES, ids=[c[0] for c in CASES])
def test_literature_pain_location_next_to_the_landmark(real_atlas: Atlas, landmark: str,
                                                       expected: set[str], fact: str) -> None:
    """Spots within 15 mm of the landmark give the same answer: the result does not hinge on
    the landmark's exact vertex."""
    for vertex in _neighbours(real_atlas, landmark):
        hits = real_atlas.lookup(vertices=[vertex], top=TOP)
        assert any(h.muscle in expected or h.mesh in expected for h in hits), (
            f"vertex {vertex}, within 15 mm of {landmark}: expected one of {sorted(expected)} "
            f"({fact}); got:\n{_show(hits)}")


def test_many_cases_have_skin_vertices_next_to_the_landmark(real_atlas: Atlas) -> None:
    # the skin is coarse on the trunk and limbs (vertices 2-4 cm apart), finer on the head,
    # hands and feet: the test above has vertices to check for a good part of the cases
    assert sum(len(_neighbours(real_atlas, c[0])) > 0 for c in CASES) >= 10
