"""Dev tool: our muscles next to the Z-Anatomy reference, after the similarity alignment.

    python tools/compare_reference.py [--meshes meshes] [--out /tmp/compare] [muscle ...]

Prints the per-muscle centroid offset and volume ratio, and renders ours (left) and the
reference (right) side by side, anterior / posterior / right views, into ``--out`` (default
/tmp/myoatlas-compare). Never commit these renders or anything derived from the reference.
"""

from __future__ import annotations

import argparse
import colorsys
import sys
import zlib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from anatomy.meshbuild.muscles.reference import compare, load_ours, load_reference, umeyama  # noqa: E402
from anatomy.scene.camera import PRESET_DIRECTIONS  # noqa: E402

GLB = REPO.parent / "shared" / "reference" / "zanatomy-muscles" / "muscles-reference.glb"
VIEWS = {name: PRESET_DIRECTIONS[name] for name in ("anterior", "posterior", "right")}


def _colour(name: str) -> tuple[float, float, float]:
    return colorsys.hsv_to_rgb((zlib.crc32(name.encode()) % 997) / 997.0, 0.6, 0.85)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meshes", type=Path, default=REPO / "meshes")
    ap.add_argument("--out", type=Path, default=Path("/tmp/myoatlas-compare"))
    ap.add_argument("muscles", nargs="*", help="substrings of the units to show (default all)")
    args = ap.parse_args()
    ours, height = load_ours(args.meshes)
    ref = load_reference(GLB)
    results, _scale = compare(ours, ref, height)
    for r in sorted(results, key=lambda r: -r.centroid_offset):
        print(
            f"{r.muscle + '_' + r.side:45s} offset {100 * r.centroid_offset:5.2f} %  "
            f"volume ratio {r.volume_ratio:5.2f}  main axis {r.axis_angle_deg:4.0f} deg"
        )
    keys = sorted(set(ours) & set(ref))
    s, rot, t = umeyama(
        np.array([ref[k].centroid for k in keys]), np.array([ours[k].centroid for k in keys])
    )
    shown = [k for k in keys if not args.muscles or any(m in k[0] for m in args.muscles)]
    import pyvista as pv

    args.out.mkdir(parents=True, exist_ok=True)
    for view, vec in VIEWS.items():
        p = pv.Plotter(off_screen=True, shape=(1, 2), window_size=(1600, 1000))
        for col, source in enumerate((ours, ref)):
            p.subplot(0, col)
            p.add_text("ours" if col == 0 else "reference (aligned)", font_size=10)
            for k in shown:
                tri = source[k].triangles
                if col == 1:
                    tri = tri @ rot.T * s + t
                faces = np.arange(len(tri) * 3).reshape(-1, 3)
                poly = pv.PolyData(tri.reshape(-1, 3), np.c_[np.full(len(faces), 3), faces])
                p.add_mesh(poly, color=_colour(k[0]))
            p.view_vector(vec, (0, 0, 1))
        p.link_views()
        p.reset_camera()
        p.screenshot(str(args.out / f"compare_{view}.png"))
        p.close()
    print(f"renders in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
