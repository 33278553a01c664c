"""Plain words for skin landmark names (no side prefix), for patients and screen readers.

Names missing here read well with their underscores spelt out as spaces
(``temple``, ``heel``).
"""

from __future__ import annotations

PLACE_WORDS = {
    "tmj": "jaw joint", "posterior_neck": "back of the neck", "lateral_neck": "side of the neck",
    "angle_of_jaw": "angle of the jaw", "neck_shoulder_angle": "angle of the neck and shoulder",
    "anterior_shoulder": "front of the shoulder", "lateral_shoulder": "outside of the shoulder",
    "posterior_shoulder": "back of the shoulder", "suprascapular": "top of the shoulder blade",
    "infrascapular": "lower shoulder blade", "interscapular": "area between the shoulder blades",
    "medial_scapular_border": "inner edge of the shoulder blade",
    "inferior_scapular_angle": "lower tip of the shoulder blade", "occiput": "back of the head",
    "vertex": "top of the head", "sternal_notch": "top of the breastbone",
    "sternum": "breastbone", "xiphoid": "lower tip of the breastbone",
    "upper_thoracic_spine": "upper back", "mid_thoracic_spine": "middle of the back",
    "lumbar_spine": "low back", "low_back": "low back", "sacroiliac": "sacroiliac joint",
    "lateral_epicondyle": "outer elbow", "medial_epicondyle": "inner elbow",
    "dorsal_forearm": "back of the forearm", "volar_forearm": "front of the forearm",
    "radial_forearm": "thumb side of the forearm",
    "ulnar_forearm": "little-finger side of the forearm",
    "dorsal_wrist": "back of the wrist", "volar_wrist": "front of the wrist",
    "dorsal_hand": "back of the hand", "anterior_arm": "front of the upper arm",
    "posterior_arm": "back of the upper arm", "lateral_arm": "outside of the upper arm",
    "medial_arm": "inside of the upper arm", "lateral_hip": "outside of the hip",
    "posterior_thigh": "back of the thigh", "anterior_thigh": "front of the thigh",
    "lateral_thigh": "outside of the thigh", "medial_thigh": "inside of the thigh",
    "posterior_knee": "back of the knee", "anterior_knee": "front of the knee",
    "anterior_shin": "shin", "lateral_leg": "outside of the lower leg",
    "dorsum_foot": "top of the foot", "dorsum_big_toe": "top of the big toe",
    "achilles": "Achilles tendon", "coccyx_side": "side of the tailbone",
    "anterior_ankle": "front of the ankle", "lateral_ankle": "outer ankle",
    "medial_ankle": "inner ankle", "lateral_knee": "outer knee", "medial_knee": "inner knee",
    "lateral_foot": "outer edge of the foot", "instep": "inner arch of the foot",
    "clavicle": "collarbone", "iliac_crest": "top of the hip bone",
    "lateral_chest": "side of the chest", "flank": "side of the waist",
    "mastoid": "bone just behind the ear", "sacrum": "base of the spine",
    "thumb_base": "base of the thumb", "index_finger": "back of the index finger",
    "middle_finger": "back of the middle finger", "ring_finger": "back of the ring finger",
    "little_finger": "back of the little finger", "palmar_thumb": "palm side of the thumb",
    "palmar_index_finger": "palm side of the index finger",
    "palmar_middle_finger": "palm side of the middle finger",
    "palmar_ring_finger": "palm side of the ring finger",
    "palmar_little_finger": "palm side of the little finger",
    "thenar": "ball of the thumb", "hypothenar": "little-finger edge of the palm",
    "first_web_space": "web between the thumb and index finger",
    "olecranon": "point of the elbow", "anterior_elbow": "front of the elbow",
    "radial_volar_wrist": "front of the wrist on the thumb side",
    "ulnar_wrist": "little-finger side of the wrist",
    "sole": "middle of the sole", "ball_of_foot": "ball of the foot",
    "plantar_heel": "underside of the heel", "plantar_big_toe": "underside of the big toe",
    "lesser_toes": "top of the smaller toes",
    "plantar_lesser_toes": "underside of the smaller toes",
    "pes_anserinus": "inner knee, just below the joint", "pubic": "pubic bone",
    "upper_molars": "upper back teeth", "lower_molars": "lower back teeth",
    "coccyx": "tailbone", "perineum": "area between the legs",
    "lower_front_teeth": "lower front teeth", "upper_throat": "upper front of the neck",
    "submandibular": "under the jaw", "shoulder_tip": "tip of the shoulder",
    "posterior_lower_ribs": "lower ribs at the back", "lower_quadrant": "lower side of the belly",
}  # fmt: skip


def plain_place(landmark: str) -> str:
    """A landmark (no side prefix) in plain words: ``posterior_neck`` -> ``back of the neck``."""
    return PLACE_WORDS.get(landmark, landmark.replace("_", " "))
