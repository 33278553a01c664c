"""Joint correspondences between the MakeHuman rig and myo-sim's standing skeleton.

``pose_transforms`` returns one 4x4 affine per rig bone (see ``anatomy.meshbuild.skin``) that moves
the A-posed base mesh into the standing skeleton.
"""

from __future__ import annotations

import numpy as np

from anatomy.meshbuild.makehuman import BaseHuman
from anatomy.meshbuild.myosim import StandingModel
from anatomy.meshbuild.posing import (
    body_vertices,
    box_transform,
    complete_transforms,
    cranial_box,
    extent_transform,
    geom_vertices,
    segment_transform,
    similarity_fit,
)

SIDES = {"L": ("left", "_l", "l"), "R": ("right", "_r", "r")}
# Soft tissue kept around the skull / foot bones by the box maps (m): (-x,+x,-y,+y,-z,+z).
HEAD_MARGIN = (0.007, 0.007, 0.012, 0.008, 0.0, 0.006)
FOOT_MARGIN = (0.008, 0.008, 0.012, 0.010, None, 0.010)  # None: the sole stays on the floor
# Skin thickness behind the spinous processes (m) when placing the rig's spine joints.
BACK_TISSUE = 0.018
# How far lateral of the femoral head the thigh's rig axis starts (m): the base mesh's hip
# joints sit wider than the skeleton's, and moving them fully in would cross the thighs.
THIGH_LATERAL = 0.018
# The base mesh's hip joints sit further forward in its pelvis than the skeleton's: without
# this backward shift (m) the lower abdomen would lie 7-10 cm in front of the pubis.
PELVIS_BACK = 0.03
# Height of the rig's neck joint above the lowest cervical vertex (m). The base mesh's neck
# starts 6 cm above its shoulder joints; the skeleton's shoulders are raised (shoulder_elv),
# so a neck base set low makes square, coat-hanger shoulders.
NECK_BASE_ABOVE_C7 = 0.03
# Soft tissue in front of / beside the trunk bones that ``trunk_girth`` keeps (m).
FRONT_TISSUE = 0.015
SIDE_TISSUE = 0.015
_FINGER_BODIES = {
    1: ("firstmc", "proximal_thumb", "distal_thumb"),
    2: ("2proxph", "midph2", "distph2"),
    3: ("3proxph", "midph3", "distph3"),
    4: ("4proxph", "midph4", "distph4"),
    5: ("5proxph", "midph5", "distph5"),
}
_SPINE = ("spine05", "spine04", "spine03", "spine02", "spine01")
_SPINE_JOINTS = ("pelvis", "spine-4", "spine-3", "spine-2", "spine-1", "neck")


def _cube(human: BaseHuman, name: str) -> np.ndarray:
    return human.vertices[human.groups[f"joint-{name}"]].mean(axis=0)


def weighted_vertices(human: BaseHuman, bones: list[str], n_vertices: int) -> np.ndarray:
    """Indices of body vertices weighted more than half to ``bones``."""
    total = np.zeros(len(human.vertices))
    for b in bones:
        if b in human.weights:
            ids, w = human.weights[b]
            total[ids] += w
    return np.flatnonzero(total[:n_vertices] > 0.5)


def descendants(human: BaseHuman, root: str) -> list[str]:
    """``root`` and every rig bone below it."""
    out = [root]
    for name, bone in human.bones.items():
        if bone.parent in out:
            out.append(name)
    return out


def _spine_targets(human: BaseHuman, standing: StandingModel, n: int) -> list[np.ndarray]:
    """Skeleton positions for the rig joints pelvis, spine-4 ... spine-1, neck."""
    rest = human.vertices[:n]
    joints = [_cube(human, j) for j in _SPINE_JOINTS]
    hip_z = np.mean([standing.body_position(f"femur{s}")[2] for s in ("_l", "_r")])
    cervical = geom_vertices(standing, "hat_cervical")
    neck_z = cervical[:, 2].min() + NECK_BASE_ABOVE_C7
    spine = body_vertices(
        standing, "sacrum", "lumbar1", "lumbar2", "lumbar3", "lumbar4", "lumbar5", "torso", "neck"
    )
    spine = spine[np.abs(spine[:, 0]) < 0.03]
    z0, z1 = joints[0][2], joints[-1][2]
    out = []
    for joint in joints:
        z = hip_z + (joint[2] - z0) / (z1 - z0) * (neck_z - hip_z)
        band = spine[np.abs(spine[:, 2] - z) < 0.015]
        back = band[:, 1].max() if len(band) else spine[:, 1].max()
        skin = rest[(np.abs(rest[:, 0]) < 0.05) & (np.abs(rest[:, 2] - joint[2]) < 0.015)]
        depth = skin[:, 1].max() - joint[1]
        out.append(np.array([0.0, back + BACK_TISSUE - depth, z]))
    return out


def trunk_girth(
    human: BaseHuman, standing: StandingModel, transforms: dict[str, np.ndarray],
    posed: np.ndarray,
) -> dict[str, np.ndarray]:  # fmt: skip
    """Widen and deepen each spine segment of a first pose so the trunk bones fit inside.

    For the band of trunk skin a spine segment covers, the depth (about the back surface) and
    the width (about the midline) are scaled up just enough to clear the ribcage, spine,
    scapulae and pelvis by ``FRONT_TISSUE`` / ``SIDE_TISSUE``; segments never shrink.
    """
    n = len(posed)
    trunk = posed[weighted_vertices(human, ["root", *_SPINE, "breast.L", "breast.R"], n)]
    bodies = ["torso", "sacrum", "pelvis", "scapula_l", "scapula_r"]
    bone = body_vertices(standing, *bodies, *[f"lumbar{i}" for i in range(1, 6)])
    out = dict(transforms)
    for name in ("spine03", "spine02", "spine01"):  # lower segments meet the hips: leave them
        band_z = _segment_z(human, transforms, name)
        skin = trunk[(trunk[:, 2] >= band_z[0]) & (trunk[:, 2] <= band_z[1])]
        bones = bone[(bone[:, 2] >= band_z[0]) & (bone[:, 2] <= band_z[1])]
        if len(skin) < 10 or len(bones) < 10:
            continue
        back = skin[:, 1].max()
        sy = max(1.0, (back - bones[:, 1].min() + FRONT_TISSUE) / (back - skin[:, 1].min()))
        sx = max(1.0, (np.abs(bones[:, 0]).max() + SIDE_TISSUE) / np.abs(skin[:, 0]).max())
        widen = np.eye(4)
        widen[0, 0], widen[1, 1], widen[1, 3] = sx, sy, back * (1.0 - sy)
        out[name] = widen @ transforms[name]
    return out


def _segment_z(human: BaseHuman, transforms: dict[str, np.ndarray], name: str) -> tuple:
    bone = human.bones[name]
    mat = transforms[name]
    zs = [(mat[:3, :3] @ p + mat[:3, 3])[2] for p in (bone.head, bone.tail)]
    return min(zs), max(zs)


def pose_transforms(human: BaseHuman, standing: StandingModel, n: int) -> dict[str, np.ndarray]:
    """One affine per rig bone posing the base mesh's first ``n`` vertices on the skeleton.

    Parameters
    ----------
    human
        The base mesh, rig and weights (``anatomy.meshbuild.makehuman.load_base_human``).
    standing
        The standing myo-sim model.
    n
        Number of leading base-mesh vertices posed (the closed ``body`` surface).

    Returns
    -------
    dict
        Rig bone name -> 4x4 affine (every bone of the rig).
    """
    rest = human.vertices[:n]
    mapped: dict[str, np.ndarray] = {}
    # Head: skin extent onto skull and jaw plus soft tissue; the neck bridges to it.
    skull = geom_vertices(standing, "hat_skull", "hat_jaw")
    head_skin = rest[weighted_vertices(human, descendants(human, "head"), n)]
    head = box_transform(*cranial_box(head_skin), *cranial_box(skull), HEAD_MARGIN)
    for b in descendants(human, "head"):
        mapped[b] = head
    # Pelvis: moved (not turned or scaled) so the mid-hip joint lands between the femoral
    # heads; the lowest spine segment goes with it, which keeps the groin undistorted.
    mid_hip = (_cube(human, "l-upper-leg") + _cube(human, "r-upper-leg")) / 2
    pelvis = np.eye(4)
    pelvis[:3, 3] = (standing.body_position("femur_l") + standing.body_position("femur_r")) / 2
    pelvis[:3, 3] += np.array([0.0, PELVIS_BACK, 0.0]) - mid_hip
    for b in ("root", "pelvis.L", "pelvis.R", "spine05"):
        mapped[b] = pelvis
    spine = _spine_targets(human, standing, n)
    joints = [_cube(human, j) for j in _SPINE_JOINTS]
    spine[1] = joints[1] + pelvis[:3, 3]
    for bone, a0, a1, m0, m1 in zip(
        _SPINE[1:], joints[1:], joints[2:], spine[1:], spine[2:], strict=False
    ):
        mapped[bone] = segment_transform(a0, a1, m0, m1)
    head_joint = _cube(human, "head")
    neck = segment_transform(joints[-1], head_joint, spine[-1], (head @ [*head_joint, 1])[:3])
    for b in ("neck01", "neck02", "neck03"):
        mapped[b] = neck
    for tag, (_side, sfx, c) in SIDES.items():
        _limbs(human, standing, rest, mapped, tag, sfx, c, n)
    return complete_transforms(human, mapped)


def _limbs(
    human: BaseHuman, standing: StandingModel, rest: np.ndarray, mapped: dict[str, np.ndarray],
    tag: str, sfx: str, c: str, n: int,
) -> None:  # fmt: skip
    """Transforms of one side's shoulder girdle, arm, hand, fingers, leg and foot."""
    pos = standing.body_position
    sign = 1.0 if tag == "L" else -1.0
    # Shoulder girdle, arm, forearm.
    girdle = segment_transform(
        _cube(human, f"{c}-clavicle"), _cube(human, f"{c}-shoulder"),
        pos(f"clavicle{sfx}"), pos(f"humerus{sfx}"),
    )  # fmt: skip
    mapped[f"clavicle.{tag}"] = mapped[f"shoulder01.{tag}"] = girdle
    arm = segment_transform(
        _cube(human, f"{c}-shoulder"), _cube(human, f"{c}-elbow"), pos(f"humerus{sfx}"),
        pos(f"ulna{sfx}"),
    )  # fmt: skip
    mapped[f"upperarm01.{tag}"] = mapped[f"upperarm02.{tag}"] = arm
    forearm = segment_transform(
        _cube(human, f"{c}-elbow"), _cube(human, f"{c}-hand"), pos(f"ulna{sfx}"),
        pos(f"lunate{sfx}"),
    )  # fmt: skip
    mapped[f"lowerarm01.{tag}"] = mapped[f"lowerarm02.{tag}"] = forearm
    # Hand: similarity on wrist + finger bases, then each finger segment onto its phalanx.
    src = [_cube(human, f"{c}-hand")] + [_cube(human, f"{c}-finger-{k}-1") for k in range(1, 6)]
    dst = [pos(f"lunate{sfx}")] + [pos(f"{_FINGER_BODIES[k][0]}{sfx}") for k in range(1, 6)]
    rot, scale, shift = similarity_fit(np.array(src), np.array(dst))
    hand = np.eye(4)
    hand[:3, :3], hand[:3, 3] = scale * rot, shift
    for b in ("wrist", "metacarpal1", "metacarpal2", "metacarpal3", "metacarpal4"):
        mapped[f"{b}.{tag}"] = hand
    for k, bodies in _FINGER_BODIES.items():
        tip_geom = next(g for g in standing.bones if g.body == f"{bodies[2]}{sfx}").vertices
        base = pos(f"{bodies[2]}{sfx}")
        tip = tip_geom[np.argmax(np.linalg.norm(tip_geom - base, axis=1))]
        targets = [*(pos(f"{b}{sfx}") for b in bodies), tip]
        cubes = [_cube(human, f"{c}-finger-{k}-{j}") for j in range(1, 5)]
        for j in range(3):
            mapped[f"finger{k}-{j + 1}.{tag}"] = segment_transform(
                cubes[j], cubes[j + 1], targets[j], targets[j + 1], base=rot, girth=scale
            )
    # Leg: thigh and shank onto femur and tibia, foot onto the foot bones' extent.
    hip = pos(f"femur{sfx}") + np.array([sign * THIGH_LATERAL, PELVIS_BACK, 0.0])
    thigh = segment_transform(
        _cube(human, f"{c}-upper-leg"), _cube(human, f"{c}-knee"), hip, pos(f"tibia{sfx}")
    )
    mapped[f"upperleg01.{tag}"] = mapped[f"upperleg02.{tag}"] = thigh
    shank = segment_transform(
        _cube(human, f"{c}-knee"), _cube(human, f"{c}-ankle"), pos(f"tibia{sfx}"),
        pos(f"talus{sfx}"),
    )  # fmt: skip
    mapped[f"lowerleg01.{tag}"] = mapped[f"lowerleg02.{tag}"] = shank
    foot_bones = body_vertices(standing, f"calcn{sfx}", f"toes{sfx}", f"talus{sfx}")
    foot_skin = rest[weighted_vertices(human, descendants(human, f"foot.{tag}"), n)]
    foot = extent_transform(foot_skin, foot_bones.min(axis=0), foot_bones.max(axis=0), FOOT_MARGIN)
    foot[2, 2], foot[2, 3] = 1.0, -foot_skin[:, 2].min()  # keep height, sole on the floor
    for b in descendants(human, f"foot.{tag}"):
        mapped[b] = foot
