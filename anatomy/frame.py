"""The one coordinate frame of the atlas (documented in ``meshes/README.md``).

- units: metres
- axes: +z up (superior), -y anterior (the body faces -y), +x the character's left
- origin: x = 0 on the midsagittal plane, z = 0 at the floor the body stands on, y as in
  myo-sim's world frame
- pose: standing anatomical position of myo-sim's ``standing`` keyframe
"""

from __future__ import annotations

# myo-sim's body midline sits at x = -0.025 m; everything is shifted onto x = 0.
MYOSIM_TO_ATLAS_OFFSET = (0.025, 0.0, 0.0)

SIDES = ("left", "right")
# Who the atlas speaks to: each mode has its own words, and clinician mode its own layers.
MODES = ("patient", "student", "clinician")
MODE_LABELS = {"patient": "Patient", "student": "Student", "clinician": "Clinician"}


def mirror_x(points):  # type: ignore[no-untyped-def]
    """Reflect points (..., 3) through the midsagittal plane x = 0."""
    out = points.copy()
    out[..., 0] = -out[..., 0]
    return out

# The geometry's muscles (snake_case English anatomical names); one mesh per side each.
MUSCLE_IDS: tuple[str, ...] = (
    "upper_trapezius", "middle_trapezius", "lower_trapezius", "levator_scapulae",
    "sternocleidomastoid", "anterior_scalene", "middle_scalene", "posterior_scalene",
    "splenius_capitis", "suboccipitals", "masseter", "temporalis",
    "medial_pterygoid", "lateral_pterygoid", "digastric_anterior", "digastric_posterior",
    "frontalis", "occipitalis", "semispinalis_capitis", "semispinalis_cervicis",
    "splenius_cervicis",
    "infraspinatus", "supraspinatus", "subscapularis", "teres_minor",
    "anterior_deltoid", "middle_deltoid", "posterior_deltoid",
    "pectoralis_major", "pectoralis_minor", "rhomboid_major", "rhomboid_minor",
    "serratus_anterior", "latissimus_dorsi", "biceps_brachii", "triceps_long_head",
    "triceps_lateral_head", "triceps_medial_head",
    "extensor_carpi_radialis_longus", "extensor_digitorum", "brachioradialis",
    "teres_major", "coracobrachialis", "brachialis", "anconeus", "supinator",
    "extensor_carpi_radialis_brevis", "extensor_carpi_ulnaris", "extensor_indicis",
    "flexor_carpi_radialis", "flexor_carpi_ulnaris", "palmaris_longus", "pronator_teres",
    "flexor_digitorum_superficialis", "flexor_digitorum_profundus", "flexor_pollicis_longus",
    "first_dorsal_interosseous", "opponens_pollicis",
    "adductor_pollicis", "abductor_digiti_minimi_hand", "second_dorsal_interosseous",
    "third_dorsal_interosseous", "fourth_dorsal_interosseous",
    "quadratus_lumborum", "iliocostalis_lumborum", "iliocostalis_thoracis", "multifidus",
    "longissimus_thoracis", "serratus_posterior_superior", "serratus_posterior_inferior",
    "rectus_abdominis", "external_oblique", "internal_oblique", "transversus_abdominis",
    "pyramidalis", "sternalis", "subclavius", "diaphragm", "intercostals",
    "psoas_major", "iliacus",
    "gluteus_maximus", "gluteus_medius", "gluteus_minimus", "piriformis",
    "levator_ani", "coccygeus", "obturator_internus",
    "tensor_fasciae_latae", "vastus_lateralis", "vastus_medialis", "rectus_femoris",
    "biceps_femoris", "semitendinosus", "semimembranosus", "adductor_longus",
    "adductor_brevis", "adductor_magnus", "gracilis", "sartorius", "vastus_intermedius",
    "pectineus",
    "gastrocnemius", "soleus", "tibialis_anterior", "fibularis_longus",
    "popliteus", "plantaris", "tibialis_posterior", "extensor_digitorum_longus",
    "extensor_hallucis_longus", "flexor_digitorum_longus", "flexor_hallucis_longus",
    "fibularis_brevis", "fibularis_tertius", "abductor_hallucis", "flexor_digitorum_brevis",
    "abductor_digiti_minimi_foot", "quadratus_plantae", "extensor_digitorum_brevis",
    "flexor_hallucis_brevis", "adductor_hallucis", "dorsal_interossei_foot",
)  # fmt: skip

# The skeleton's bones (meshes/bones/): ``bone_<name>_<side>``, or ``bone_<name>`` for midline ones.
BONES: tuple[str, ...] = (
    "skull", "jaw", "cervical_spine", "thoracic_spine", "lumbar_spine", "sacrum", "thorax",
    "clavicle", "scapula", "humerus", "radius", "ulna", "hand", "hip_bone", "femur", "patella",
    "tibia", "fibula", "foot",
)  # fmt: skip

# The body's directions (``a+b`` in rules means their normalised sum).
BODY_DIRECTIONS: tuple[str, ...] = (
    "anterior", "posterior", "superior", "inferior", "medial", "lateral",
)  # fmt: skip

# The directions that are the same on both sides (-y is anterior, +z superior).
FIXED_DIRECTIONS: dict[str, tuple[float, float, float]] = {
    "anterior": (0.0, -1.0, 0.0),
    "posterior": (0.0, 1.0, 0.0),
    "superior": (0.0, 0.0, 1.0),
    "inferior": (0.0, 0.0, -1.0),
}

# Skin landmarks on the midline (no side prefix).
MIDLINE_LANDMARKS: tuple[str, ...] = (
    "vertex", "forehead", "chin", "sternal_notch", "sternum", "xiphoid", "navel",
    "lower_abdomen", "upper_thoracic_spine", "mid_thoracic_spine", "lumbar_spine", "sacrum",
    "coccyx", "perineum", "lower_front_teeth",
)  # fmt: skip

# Skin landmarks on each side, named `left_<name>` and `right_<name>`.
BILATERAL_LANDMARKS: tuple[str, ...] = (
    # head and neck
    "temple", "eyebrow", "eye", "cheek", "upper_teeth", "lower_teeth", "upper_molars",
    "lower_molars", "tmj", "ear",
    "mastoid", "occiput", "angle_of_jaw", "throat", "lateral_neck", "posterior_neck",
    "neck_shoulder_angle", "upper_throat", "submandibular",
    # shoulder, chest and back
    "clavicle", "anterior_shoulder", "lateral_shoulder", "posterior_shoulder",
    "suprascapular", "infrascapular", "medial_scapular_border", "inferior_scapular_angle",
    "interscapular", "axilla", "upper_chest", "breast", "lateral_chest", "lower_ribs",
    "flank", "upper_abdomen", "low_back", "iliac_crest", "sacroiliac", "shoulder_tip",
    "posterior_lower_ribs", "lower_quadrant",
    # arm and hand
    "anterior_arm", "posterior_arm", "lateral_arm", "medial_arm",
    "lateral_epicondyle", "medial_epicondyle", "radial_forearm", "ulnar_forearm",
    "dorsal_forearm", "volar_forearm", "dorsal_wrist", "volar_wrist", "ulnar_wrist",
    "thumb_base", "dorsal_hand", "palm", "index_finger", "middle_finger", "little_finger",
    "ring_finger", "palmar_thumb", "palmar_index_finger", "palmar_middle_finger",
    "palmar_ring_finger", "palmar_little_finger", "thenar", "hypothenar", "first_web_space",
    "olecranon", "anterior_elbow", "radial_volar_wrist",
    # hip and thigh
    "buttock", "lower_buttock", "coccyx_side", "lateral_hip", "groin", "pubic",
    "anterior_thigh", "medial_thigh", "lateral_thigh", "posterior_thigh",
    # knee, leg and foot
    "anterior_knee", "medial_knee", "lateral_knee", "posterior_knee", "anterior_shin",
    "lateral_leg", "calf", "upper_calf", "achilles", "medial_ankle", "anterior_ankle",
    "lateral_ankle", "heel", "sole", "instep", "lateral_foot", "dorsum_foot",
    "dorsum_big_toe", "pes_anserinus", "plantar_heel", "ball_of_foot", "plantar_big_toe",
    "lesser_toes", "plantar_lesser_toes",
)  # fmt: skip


def landmark_names() -> list[str]:
    """Every skin landmark name, sorted."""
    names = list(MIDLINE_LANDMARKS)
    names += [f"{side}_{b}" for side in SIDES for b in BILATERAL_LANDMARKS]
    return sorted(names)
