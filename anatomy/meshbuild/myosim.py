"""The myo-sim full-body model compiled with MuJoCo and put in its standing pose.

Everything returned is already in the atlas frame (see ``anatomy.frame``): metres, +z up,
anterior -y, the character's left +x, midsagittal plane at x = 0.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from anatomy.frame import MYOSIM_TO_ATLAS_OFFSET

# The model's resting shoulder girdle sits about 3 cm above the levels a standing body's
# scapula is taught at: the root of its spine beside the T3 spinous process and its inferior
# angle beside T7 (the model puts them at T1-T2 and T5-T6). Each clavicle is turned down about
# the sternoclavicular joint by this angle (rad) and the scapula turned back by the same amount
# at the acromioclavicular end, so the scapula and the arm drop without tilting: the spine root
# lands level with T3, the inferior angle with T7, and the clavicle lies horizontal. The
# coordinates are the model's own (``sternoclavicular_r3``, undone by ``unrotscap_r3``).
GIRDLE_DEPRESSION = 0.23


@dataclass(frozen=True)
class BoneGeom:
    """One mesh geom of the model, placed in the standing pose."""

    geom: str  # MuJoCo geom name
    mesh: str  # MuJoCo mesh asset name
    body: str  # MuJoCo body name
    vertices: np.ndarray  # (n, 3) float64, atlas frame
    faces: np.ndarray  # (m, 3) int32


@dataclass(frozen=True)
class TendonPath:
    """The spatial path of one muscle actuator in the standing pose."""

    actuator: str
    points: np.ndarray  # (k, 3) path points, origin first, atlas frame
    kinds: np.ndarray  # (k,) -1 site, >=0 wrap geom id (tangent point)
    length: float  # path length, m
    max_force: float  # F0, N
    optimal_fibre_length: float  # L0, m (raw, may be unphysiological; clamp before use)
    tendon_slack_length: float  # LT, m (raw, may be negative; clamp before use)


@dataclass
class StandingModel:
    """The compiled model and its data after ``mj_forward`` in the ``standing`` keyframe."""

    model: object
    data: object
    _offset: np.ndarray = field(default_factory=lambda: np.asarray(MYOSIM_TO_ATLAS_OFFSET))

    def body_position(self, body: str) -> np.ndarray:
        """World position of a body frame origin, atlas frame."""
        import mujoco

        bid = mujoco.mj_name2id(self.model, mujoco.mjtObj.mjOBJ_BODY, body)
        if bid < 0:
            raise KeyError(f"no body {body!r} in the myo-sim model")
        return np.asarray(self.data.xpos[bid], dtype=float) + self._offset

    def body_rotation(self, body: str) -> np.ndarray:
        """World rotation matrix (3x3) of a body frame."""
        import mujoco

        bid = mujoco.mj_name2id(self.model, mujoco.mjtObj.mjOBJ_BODY, body)
        if bid < 0:
            raise KeyError(f"no body {body!r} in the myo-sim model")
        return np.asarray(self.data.xmat[bid], dtype=float).reshape(3, 3)

    @cached_property
    def bones(self) -> list[BoneGeom]:
        """Every mesh geom (the skeleton), in model order."""
        import mujoco

        m, d = self.model, self.data
        out = []
        for g in range(m.ngeom):
            if m.geom_type[g] != mujoco.mjtGeom.mjGEOM_MESH:
                continue
            mid = m.geom_dataid[g]
            adr, n = m.mesh_vertadr[mid], m.mesh_vertnum[mid]
            fadr, nf = m.mesh_faceadr[mid], m.mesh_facenum[mid]
            rot = d.geom_xmat[g].reshape(3, 3)
            verts = m.mesh_vert[adr : adr + n].astype(float) @ rot.T + d.geom_xpos[g] + self._offset
            faces = np.asarray(m.mesh_face[fadr : fadr + nf], dtype=np.int32)
            out.append(
                BoneGeom(
                    geom=mujoco.mj_id2name(m, mujoco.mjtObj.mjOBJ_GEOM, g) or f"geom{g}",
                    mesh=mujoco.mj_id2name(m, mujoco.mjtObj.mjOBJ_MESH, mid) or f"mesh{mid}",
                    body=mujoco.mj_id2name(m, mujoco.mjtObj.mjOBJ_BODY, m.geom_bodyid[g]) or "",
                    vertices=verts,
                    faces=faces,
                )
            )
        return out

    @cached_property
    def tendon_paths(self) -> dict[str, TendonPath]:
        """Every muscle actuator's path, by actuator name."""
        import mujoco

        m, d = self.model, self.data
        wrap_xpos = d.wrap_xpos.reshape(-1, 3)
        wrap_obj = d.wrap_obj.reshape(-1)
        out = {}
        for i in range(m.nu):
            name = mujoco.mj_id2name(m, mujoco.mjtObj.mjOBJ_ACTUATOR, i)
            t = m.actuator_trnid[i, 0]
            a, k = d.ten_wrapadr[t], d.ten_wrapnum[t]
            g = m.actuator_gainprm[i]
            lr = m.actuator_lengthrange[i]
            l0 = float((lr[1] - lr[0]) / (g[1] - g[0])) if g[1] != g[0] else float("nan")
            out[name] = TendonPath(
                actuator=name,
                points=wrap_xpos[a : a + k].astype(float) + self._offset,
                kinds=wrap_obj[a : a + k].copy(),
                length=float(d.ten_length[t]),
                max_force=float(g[2]),
                optimal_fibre_length=l0,
                tendon_slack_length=float(lr[0] - g[0] * l0),
            )
        return out


def load_standing() -> StandingModel:
    """Compile ``myofullbody``, apply its ``standing`` keyframe and lower the shoulder girdles
    by ``GIRDLE_DEPRESSION`` (about 2 s)."""
    import mujoco
    import myo_sim

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model, data = myo_sim.load("myofullbody")
    mujoco.mj_resetDataKeyframe(model, data, 0)
    for side in ("r", "l"):
        for joint, turn in (("sternoclavicular_r3", -1.0), ("unrotscap_r3", 1.0)):
            jid = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_JOINT, f"{joint}_{side}")
            data.qpos[model.jnt_qposadr[jid]] += turn * GIRDLE_DEPRESSION
    mujoco.mj_forward(model, data)
    return StandingModel(model=model, data=data)
