"""The anatomical rule of every skin landmark, as data (read by ``anatomy.meshbuild.landmarks``).

A rule names a bone feature and how to reach the skin from it:

``(what, bones, find, bands, offset, place, out)``

- ``what``: the feature in words (goes into the rule text of ``landmarks.json``);
- ``bones``: myo-sim bodies or geoms, ``{s}`` standing for the side suffix (``_l``/``_r``);
  ``midline`` bones are cut to the landmark's side of the body first;
- ``find``: ``extreme <direction>`` (the bone vertex furthest that way) or ``centroid``;
- ``bands``: ``{axis: (lo, hi)}`` keep only vertices in that fraction of the bones' extent along
  ``sup`` (inferior 0 -> superior 1), ``ant`` (posterior 0 -> anterior 1) or ``lat`` (medial 0
  -> lateral 1); ``mid`` keeps vertices within that many metres of the midsagittal plane;
- ``offset``: ``{direction: metres}`` added to the feature point;
- ``place``: ``nearest`` (skin vertex nearest the point, among those facing ``out``) or ``ray``
  (first skin vertex met going from the point along ``out``).

Directions: anterior, posterior, superior, inferior, lateral, medial, and in the forearm and
hand radial, ulnar, dorsal, volar; ``a+b`` is the normalised sum.
"""

from __future__ import annotations

from typing import Any

R = dict[str, Any]


def _r(what: str, bones: str, find: str, bands: dict | None = None, offset: dict | None = None,
       place: str = "nearest", out: str | None = None) -> R:  # fmt: skip
    if out is None:
        out = find.split()[1] if find.startswith("extreme") else "anterior"
    return {"what": what, "bones": bones.split(","), "find": find, "bands": bands or {},
            "offset": offset or {}, "place": place, "out": out}  # fmt: skip


CERV, SKULL, JAW, THORAX = "hat_cervical", "hat_skull", "hat_jaw", "torso_geom_13"
FOREARM = "radius{s},ulna{s}"

MIDLINE: dict[str, R] = {
    "vertex": _r("top of the skull", SKULL, "extreme superior"),
    "forehead": _r(
        "frontal bone above the glabella",
        SKULL,
        "extreme anterior",
        {"sup": (0.72, 0.82), "mid": 0.01},
    ),
    "chin": _r(
        "mental protuberance of the mandible", JAW, "extreme anterior+inferior", {"mid": 0.01}
    ),
    "sternal_notch": _r(
        "jugular notch of the manubrium",
        THORAX,
        "extreme superior",
        {"mid": 0.012, "ant": (0.7, 1.0)},
        out="anterior+superior",
    ),
    "sternum": _r(
        "body of the sternum at its middle",
        THORAX,
        "extreme anterior",
        {"mid": 0.012, "sup": (0.45, 0.6)},
    ),
    "xiphoid": _r(
        "xiphoid process (lower tip of the sternum)",
        THORAX,
        "extreme inferior",
        {"mid": 0.01, "ant": (0.75, 1.0)},
        out="anterior",
    ),
    "navel": _r(
        "body of L3, straight in front", "lumbar3", "centroid", place="ray", out="anterior"
    ),
    "lower_abdomen": _r(
        "body of L5, straight in front", "lumbar5", "centroid", place="ray", out="anterior"
    ),
    "upper_thoracic_spine": _r("spinous process of T3", "torso_geom_10", "extreme posterior"),
    "mid_thoracic_spine": _r("spinous process of T7", "torso_geom_6", "extreme posterior"),
    "lumbar_spine": _r("spinous process of L3", "lumbar3", "extreme posterior"),
    "sacrum": _r(
        "median sacral crest at S2-S3",
        "sacrum",
        "extreme posterior",
        {"mid": 0.01, "sup": (0.35, 0.65)},
    ),
    "coccyx": _r(
        "tip of the coccyx", "sacrum", "extreme inferior", {"mid": 0.01}, place="ray",
        out="posterior+inferior",
    ),
    "perineum": _r(
        "perineal body, midway between the pubic symphysis and the coccyx",
        "pelvis_r,pelvis_l",
        "extreme inferior",
        {"mid": 0.02},
        {"posterior": 0.03},
        place="ray",
        out="inferior",
    ),
    "lower_front_teeth": _r(
        "roots of the lower incisors, in front of the mandible",
        JAW,
        "extreme anterior",
        {"sup": (0.25, 0.5), "mid": 0.015},
        place="ray",
        out="anterior",
    ),
}

BILATERAL: dict[str, R] = {
    # head and neck
    "temple": _r(
        "temporal squama above the zygomatic arch",
        SKULL,
        "extreme lateral",
        {"sup": (0.5, 0.62), "ant": (0.62, 0.8)},
    ),
    "eyebrow": _r(
        "supraorbital margin, lateral half",
        SKULL,
        "extreme anterior",
        {"sup": (0.6, 0.68), "lat": (0.7, 0.85)},
    ),
    "eye": _r(
        "orbit, in front of its centre",
        SKULL,
        "centroid",
        {"sup": (0.48, 0.6), "lat": (0.66, 0.8), "ant": (0.85, 1.0)},
        place="ray",
        out="anterior",
    ),
    "cheek": _r(
        "zygomatic bone", SKULL, "extreme anterior+lateral", {"sup": (0.38, 0.5), "lat": (0.7, 0.9)}
    ),
    "upper_teeth": _r(
        "upper canine region of the maxilla",
        SKULL,
        "extreme inferior",
        {"ant": (0.85, 1.0), "lat": (0.2, 0.4)},
        out="anterior",
    ),
    "lower_teeth": _r(
        "lower canine region of the mandible",
        JAW,
        "extreme superior",
        {"ant": (0.75, 1.0), "lat": (0.2, 0.45)},
        out="anterior",
    ),
    "upper_molars": _r(
        "upper molar region of the maxilla",
        SKULL,
        "extreme inferior",
        {"ant": (0.68, 0.82), "lat": (0.4, 0.65)},
        out="lateral",
    ),
    "lower_molars": _r(
        "body of the mandible below the molars",
        JAW,
        "extreme lateral",
        {"ant": (0.55, 0.75), "sup": (0.1, 0.4)},
        out="lateral",
    ),
    "tmj": _r(
        "condyle of the mandible", JAW, "extreme lateral", {"sup": (0.85, 1.0), "ant": (0.0, 0.3)}
    ),
    "ear": _r(
        "root of the zygomatic arch at the ear canal",
        SKULL,
        "extreme lateral",
        {"sup": (0.35, 0.5), "ant": (0.3, 0.5)},
    ),
    "mastoid": _r(
        "mastoid process",
        SKULL,
        "extreme inferior+lateral",
        {"ant": (0.2, 0.4), "lat": (0.75, 1.0)},
        out="lateral+posterior",
    ),
    "occiput": _r(
        "occipital bone beside the external protuberance",
        SKULL,
        "extreme posterior",
        {"sup": (0.3, 0.55), "lat": (0.6, 0.8)},
    ),
    "angle_of_jaw": _r(
        "angle of the mandible",
        JAW,
        "extreme inferior+posterior",
        {"lat": (0.85, 1.0)},
        out="lateral",
    ),
    "throat": _r(
        "front of the mid-cervical spine, 2 cm to the side",
        CERV,
        "centroid",
        {"sup": (0.3, 0.5)},
        {"lateral": 0.02},
        place="ray",
        out="anterior",
    ),
    "upper_throat": _r(
        "front of C3 at the level of the hyoid, 2 cm to the side",
        CERV,
        "centroid",
        {"sup": (0.55, 0.7)},
        {"lateral": 0.02},
        place="ray",
        out="anterior",
    ),
    "submandibular": _r(
        "lower border of the mandible, half-way from the chin to the angle",
        JAW,
        "extreme inferior",
        {"ant": (0.4, 0.6), "lat": (0.5, 0.8)},
        out="inferior",
    ),
    "lateral_neck": _r(
        "transverse processes of the mid-cervical spine",
        CERV,
        "extreme lateral",
        {"sup": (0.3, 0.55)},
    ),
    "posterior_neck": _r(
        "mid-cervical spine, 2 cm to the side, straight behind",
        CERV,
        "centroid",
        {"sup": (0.35, 0.55)},
        {"lateral": 0.02},
        place="ray",
        out="posterior",
    ),
    "neck_shoulder_angle": _r(
        "top of the clavicle at its medial third",
        "clavicle{s}",
        "extreme superior",
        {"lat": (0.25, 0.4)},
        {"posterior": 0.035},
        place="ray",
        out="superior",
    ),
    # shoulder, chest and back
    "clavicle": _r(
        "middle of the clavicle", "clavicle{s}", "extreme anterior+superior", {"lat": (0.45, 0.55)}
    ),
    "anterior_shoulder": _r(
        "front of the humeral head", "humerus{s}", "extreme anterior", {"sup": (0.85, 1.0)}
    ),
    "shoulder_tip": _r(
        "top of the acromion", "scapula{s}", "extreme superior+lateral", out="superior"
    ),
    "lateral_shoulder": _r(
        "greater tubercle of the humerus, below the acromion",
        "humerus{s}",
        "extreme lateral",
        {"sup": (0.8, 0.92)},
    ),
    "posterior_shoulder": _r(
        "back of the humeral head", "humerus{s}", "extreme posterior", {"sup": (0.82, 1.0)}
    ),
    "suprascapular": _r(
        "supraspinous fossa of the scapula",
        "scapula{s}",
        "extreme posterior",
        {"sup": (0.78, 0.92), "lat": (0.25, 0.55)},
    ),
    "infrascapular": _r(
        # the middle of the fossa, not its most posterior vertex: on the posed scapula that
        # is the medial border, which has a landmark of its own
        "middle of the infraspinous fossa of the scapula",
        "scapula{s}",
        "centroid",
        {"sup": (0.3, 0.6), "lat": (0.35, 0.7)},
        place="ray",
        out="posterior",
    ),
    "medial_scapular_border": _r(
        "medial border of the scapula at its middle",
        "scapula{s}",
        "extreme medial",
        {"sup": (0.4, 0.65)},
        out="posterior",
    ),
    "inferior_scapular_angle": _r(
        "inferior angle of the scapula", "scapula{s}", "extreme inferior", out="posterior"
    ),
    "interscapular": _r(
        "space between the medial scapular border and the T5 spine",
        "scapula{s}",
        "extreme medial",
        {"sup": (0.55, 0.7)},
        {"medial": 0.025},
        place="ray",
        out="posterior",
    ),
    "axilla": _r(
        "medial side of the humerus at the armpit",
        "humerus{s}",
        "extreme medial",
        {"sup": (0.7, 0.8)},
    ),
    "upper_chest": _r(
        "second rib below the clavicle's middle",
        THORAX,
        "extreme anterior",
        {"sup": (0.75, 0.86), "lat": (0.45, 0.62)},
    ),
    "breast": _r(
        "fourth rib at the mid-clavicular line",
        THORAX,
        "extreme anterior",
        {"sup": (0.5, 0.6), "lat": (0.4, 0.6)},
        place="ray",
    ),
    "lateral_chest": _r(
        "side of the ribcage at the sixth rib", THORAX, "extreme lateral", {"sup": (0.45, 0.6)}
    ),
    "lower_ribs": _r(
        "costal margin at the tenth rib", THORAX, "extreme anterior+lateral", {"sup": (0.06, 0.22)}
    ),
    "posterior_lower_ribs": _r(
        "eleventh rib beside the spine (thoracolumbar junction)",
        "torso_geom_2",
        "centroid",
        {},
        {"lateral": 0.06},
        place="ray",
        out="posterior",
    ),
    "lower_quadrant": _r(
        "iliac fossa, a third of the way from the ASIS to the navel",
        "pelvis{s}",
        "extreme anterior+superior",
        {"lat": (0.6, 1.0)},
        {"medial": 0.04, "superior": 0.02},
        place="ray",
        out="anterior",
    ),
    "flank": _r(
        "side of the waist between the lowest rib and the iliac crest",
        "lumbar3",
        "centroid",
        {},
        {"lateral": 0.06},
        place="ray",
        out="lateral",
    ),
    "upper_abdomen": _r(
        "abdominal wall in front of L1, 5 cm to the side",
        "lumbar1",
        "centroid",
        {},
        {"lateral": 0.05},
        place="ray",
        out="anterior",
    ),
    "low_back": _r(
        "beside the L3 spinous process",
        "lumbar3",
        "extreme posterior",
        {},
        {"lateral": 0.035},
        place="ray",
        out="posterior",
    ),
    "iliac_crest": _r(
        "highest point of the iliac crest", "pelvis{s}", "extreme superior", out="lateral+superior"
    ),
    "sacroiliac": _r(
        "posterior superior iliac spine", "pelvis{s}", "extreme posterior", {"sup": (0.4, 0.85)}
    ),
    # arm and hand
    "anterior_arm": _r(
        "humerus shaft at mid-arm, in front",
        "humerus{s}",
        "centroid",
        {"sup": (0.45, 0.55)},
        place="ray",
        out="anterior",
    ),
    "posterior_arm": _r(
        "humerus shaft at mid-arm, behind",
        "humerus{s}",
        "centroid",
        {"sup": (0.45, 0.55)},
        place="ray",
        out="posterior",
    ),
    "lateral_arm": _r(
        "deltoid tuberosity of the humerus",
        "humerus{s}",
        "centroid",
        {"sup": (0.55, 0.65)},
        place="ray",
        out="lateral",
    ),
    "medial_arm": _r(
        "humerus shaft at mid-arm, medially",
        "humerus{s}",
        "centroid",
        {"sup": (0.45, 0.55)},
        place="ray",
        out="medial",
    ),
    "lateral_epicondyle": _r(
        "lateral epicondyle of the humerus", "humerus{s}", "extreme lateral", {"sup": (0.0, 0.15)}
    ),
    "medial_epicondyle": _r(
        "medial epicondyle of the humerus", "humerus{s}", "extreme medial", {"sup": (0.0, 0.15)}
    ),
    "radial_forearm": _r(
        "radial side of the upper forearm", FOREARM, "extreme radial", {"sup": (0.62, 0.78)}
    ),
    "ulnar_forearm": _r(
        "ulnar side of the mid-forearm", FOREARM, "extreme ulnar", {"sup": (0.45, 0.6)}
    ),
    "dorsal_forearm": _r(
        "back of the upper forearm",
        FOREARM,
        "centroid",
        {"sup": (0.6, 0.72)},
        place="ray",
        out="dorsal",
    ),
    "volar_forearm": _r(
        "front of the upper forearm",
        FOREARM,
        "centroid",
        {"sup": (0.6, 0.72)},
        place="ray",
        out="volar",
    ),
    "dorsal_wrist": _r(
        "back of the distal radius and ulna", FOREARM, "extreme dorsal", {"sup": (0.0, 0.06)}
    ),
    "volar_wrist": _r(
        "front of the distal radius and ulna", FOREARM, "extreme volar", {"sup": (0.0, 0.06)}
    ),
    "ulnar_wrist": _r(
        "styloid process of the ulna", "ulna{s}", "extreme ulnar", {"sup": (0.0, 0.06)}
    ),
    "thumb_base": _r("first metacarpal", "firstmc{s}", "extreme radial"),
    "dorsal_hand": _r(
        "third metacarpal, behind", "thirdmc{s}", "centroid", place="ray", out="dorsal"
    ),
    "palm": _r("third metacarpal, in front", "thirdmc{s}", "centroid", place="ray", out="volar"),
    "index_finger": _r("middle phalanx of the index finger", "midph2{s}", "centroid", out="dorsal"),
    "middle_finger": _r(
        "middle phalanx of the middle finger", "midph3{s}", "centroid", out="dorsal"
    ),
    "little_finger": _r(
        "middle phalanx of the little finger", "midph5{s}", "centroid", out="dorsal"
    ),
    "ring_finger": _r("middle phalanx of the ring finger", "midph4{s}", "centroid", out="dorsal"),
    "palmar_thumb": _r(
        "proximal phalanx of the thumb, in front", "proximal_thumb{s}", "centroid", out="volar"
    ),
    "palmar_index_finger": _r(
        "middle phalanx of the index finger, in front", "midph2{s}", "centroid", out="volar"
    ),
    "palmar_middle_finger": _r(
        "middle phalanx of the middle finger, in front", "midph3{s}", "centroid", out="volar"
    ),
    "palmar_ring_finger": _r(
        "middle phalanx of the ring finger, in front", "midph4{s}", "centroid", out="volar"
    ),
    "palmar_little_finger": _r(
        "middle phalanx of the little finger, in front", "midph5{s}", "centroid", out="volar"
    ),
    "thenar": _r("first metacarpal, in front (thenar eminence)", "firstmc{s}", "centroid",
                 out="volar"),
    "hypothenar": _r("fifth metacarpal, in front (hypothenar eminence)", "fifthmc{s}",
                     "centroid", out="volar"),
    "first_web_space": _r(
        "first web space between the first and second metacarpals, from behind",
        "firstmc{s},secondmc{s}", "centroid", place="ray", out="dorsal",
    ),
    "olecranon": _r(
        "olecranon of the ulna", "ulna{s}", "extreme posterior", {"sup": (0.9, 1.0)}
    ),
    "anterior_elbow": _r(
        "front of the distal humerus (elbow crease)", "humerus{s}", "centroid",
        {"sup": (0.0, 0.08)}, place="ray", out="anterior",
    ),
    "radial_volar_wrist": _r(
        "front of the distal radius, toward the radial styloid", "radius{s}", "extreme radial",
        {"sup": (0.0, 0.06)}, out="volar+radial",
    ),
    # hip and thigh
    "buttock": _r(
        "gluteal surface of the ilium",
        "pelvis{s}",
        "centroid",
        {"sup": (0.2, 0.5)},
        {"lateral": 0.02},
        place="ray",
        out="posterior",
    ),
    "lower_buttock": _r(
        "ischial tuberosity",
        "pelvis{s}",
        "extreme inferior",
        {"ant": (0.0, 0.45)},
        place="ray",
        out="posterior",
    ),
    "coccyx_side": _r(
        "tip of the sacrum, 2.5 cm to the side",
        "sacrum",
        "extreme inferior",
        {},
        {"lateral": 0.025},
        place="ray",
        out="posterior",
    ),
    "lateral_hip": _r(
        "greater trochanter of the femur", "femur{s}", "extreme lateral", {"sup": (0.8, 1.0)}
    ),
    "pubic": _r(
        "body of the pubis beside the symphysis, in front",
        "pelvis{s}",
        "extreme anterior",
        {"sup": (0.1, 0.35), "lat": (0.2, 0.4)},
        place="ray",
    ),
    "groin": _r(
        "inguinal ligament, half-way from the ASIS to the pubic tubercle",
        "pelvis{s}",
        "extreme anterior",
        {"sup": (0.25, 0.5), "lat": (0.35, 0.8)},
        place="ray",
    ),
    "anterior_thigh": _r(
        "femoral shaft at mid-thigh, in front",
        "femur{s}",
        "centroid",
        {"sup": (0.45, 0.55)},
        place="ray",
        out="anterior",
    ),
    "medial_thigh": _r(
        "femoral shaft at mid-thigh, medially",
        "femur{s}",
        "centroid",
        {"sup": (0.45, 0.55)},
        place="ray",
        out="medial",
    ),
    "lateral_thigh": _r(
        "femoral shaft at mid-thigh, laterally",
        "femur{s}",
        "centroid",
        {"sup": (0.45, 0.55)},
        place="ray",
        out="lateral",
    ),
    "posterior_thigh": _r(
        "femoral shaft at mid-thigh, behind",
        "femur{s}",
        "centroid",
        {"sup": (0.45, 0.55)},
        place="ray",
        out="posterior",
    ),
    # knee, leg and foot
    "anterior_knee": _r(
        "patella, straight in front", "patella{s}", "centroid", place="ray", out="anterior"
    ),
    "medial_knee": _r(
        "medial epicondyle of the femur", "femur{s}", "extreme medial", {"sup": (0.0, 0.1)}
    ),
    "lateral_knee": _r(
        "lateral epicondyle of the femur", "femur{s}", "extreme lateral", {"sup": (0.0, 0.1)}
    ),
    "posterior_knee": _r(
        "popliteal surface of the femur",
        "femur{s}",
        "centroid",
        {"sup": (0.02, 0.08)},
        place="ray",
        out="posterior",
    ),
    "pes_anserinus": _r(
        "medial surface of the tibia below the knee joint (pes anserinus)",
        "tibia{s}",
        "extreme medial",
        {"sup": (0.8, 0.88)},
    ),
    "anterior_shin": _r(
        "anterior border of the tibia at mid-leg",
        "tibia{s}",
        "extreme anterior",
        {"sup": (0.45, 0.6)},
    ),
    "lateral_leg": _r(
        "fibular shaft at mid-leg", "fibula{s}", "extreme lateral", {"sup": (0.5, 0.7)}
    ),
    "calf": _r(
        "tibia at mid-calf, behind",
        "tibia{s}",
        "centroid",
        {"sup": (0.6, 0.72)},
        place="ray",
        out="posterior",
    ),
    "upper_calf": _r(
        "tibia below the knee, behind",
        "tibia{s}",
        "centroid",
        {"sup": (0.8, 0.9)},
        place="ray",
        out="posterior",
    ),
    "achilles": _r(
        "4.5 cm above the back of the calcaneus",
        "foot{s}",
        "extreme posterior",
        {},
        {"superior": 0.045},
        out="posterior",
    ),
    "medial_ankle": _r("medial malleolus", "tibia{s}", "extreme medial", {"sup": (0.0, 0.1)}),
    "anterior_ankle": _r(
        "neck of the talus, in front of the ankle joint",
        "talus{s}",
        "extreme anterior+superior",
        out="anterior",
    ),
    "lateral_ankle": _r("lateral malleolus", "fibula{s}", "extreme lateral", {"sup": (0.0, 0.1)}),
    "heel": _r("back of the calcaneus", "foot{s}", "extreme posterior"),
    "sole": _r(
        "middle of the foot, from below",
        "foot{s}",
        "extreme inferior",
        {"ant": (0.4, 0.6), "lat": (0.3, 0.7)},
    ),
    "ball_of_foot": _r(
        "heads of the metatarsals, from below", "foot{s}", "extreme inferior", {"ant": (0.75, 0.95)}
    ),
    "plantar_heel": _r(
        "underside of the calcaneal tuberosity", "foot{s}", "extreme inferior", {"ant": (0.0, 0.2)}
    ),
    "instep": _r(
        "medial arch (navicular)",
        "foot{s}",
        "extreme medial",
        {"ant": (0.4, 0.6)},
        out="medial+inferior",
    ),
    "lateral_foot": _r(
        "base of the fifth metatarsal", "foot{s}", "extreme lateral", {"ant": (0.45, 0.65)}
    ),
    "dorsum_foot": _r(
        "middle of the foot, from above", "foot{s}", "extreme superior", {"ant": (0.5, 0.7)}
    ),
    "dorsum_big_toe": _r(
        "big toe, from above", "bofoot{s}", "extreme superior", {"lat": (0.0, 0.3)}
    ),
    "plantar_big_toe": _r(
        "big toe, from below", "bofoot{s}", "extreme inferior", {"lat": (0.0, 0.3)}
    ),
    "lesser_toes": _r(
        "second to fourth toes, from above", "bofoot{s}", "extreme superior", {"lat": (0.35, 0.75)}
    ),
    "plantar_lesser_toes": _r(
        "second to fourth toes, from below", "bofoot{s}", "extreme inferior", {"lat": (0.35, 0.75)}
    ),
}
