"""``myoatlas render``: cameras as data, an off-screen picture that shows the body."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anatomy.cli import main
from anatomy.scene.camera import VIEWS, preset_camera


def test_camera_presets_follow_the_frame() -> None:
    """The body faces -y and +x is the character's left."""
    assert set(VIEWS) == {"anterior", "posterior", "left", "right"}
    box = (-0.3, 0.3, -0.2, 0.2, 0.0, 1.8)
    pos = {v: np.subtract(c["position"], c["focal_point"])
           for v in VIEWS for c in [preset_camera(v, box)]}  # fmt: skip
    assert pos["anterior"][1] < 0 < pos["posterior"][1]
    assert pos["left"][0] > 0 > pos["right"][0]


def _pixels(path: Path) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int32)


@pytest.mark.slow
def test_render_views_show_the_body(tmp_path: Path) -> None:
    images = {}
    for view in ("anterior", "left"):
        out = tmp_path / f"{view}.png"
        assert main(["render", "--view", view, "--out", str(out), "--size", "160", "240"]) == 0
        images[view] = _pixels(out)
    for view, img in images.items():
        assert img.shape == (240, 160, 3)
        drawn = (np.abs(img - 255).sum(axis=2) > 30).mean()
        assert 0.05 < drawn < 0.6, view  # a figure on a white background
        red = (img[..., 0] > img[..., 2] + 40).mean()
        assert red > 0.02, view  # muscles show through the skin
    # The body is wider seen from the front than from the side.
    widths = {v: (np.abs(i - 255).sum(axis=2) > 30).any(axis=0).sum() for v, i in images.items()}
    assert widths["anterior"] > widths["left"]


def test_render_rejects_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    assert main(["render", "--out", str(tmp_path / "a.png"), "--meshes", str(missing)]) == 2
    assert "manifest" in capsys.readouterr().err
    assert main(["render", "--out", str(tmp_path / "a.png"), "--size", "1", "1"]) == 2
    assert "--size" in capsys.readouterr().err


@pytest.mark.slow
def test_render_of_a_selection_shows_its_highlight_and_zones(tmp_path: Path) -> None:
    from anatomy.scene.palette import VIEW

    out = tmp_path / "tp.png"
    argv = ["render", "--muscle", "upper_trapezius", "--trigger-point", "tp1", "--out", str(out),
            "--size", "300", "400"]  # fmt: skip
    assert main(argv) == 0
    img = _pixels(out)

    def share(rgb: tuple[float, float, float], saturation: float = 0.6) -> float:
        """Pixels of this colour's hue, saturated (shading changes the lightness, and the
        see-through skin over a muscle pales it)."""
        import colorsys

        hsv = np.array([colorsys.rgb_to_hsv(*(px / 255)) for px in img.reshape(-1, 3)])
        hue = colorsys.rgb_to_hsv(*rgb)[0]
        gap = np.abs(hsv[:, 0] - hue)
        return float(((np.minimum(gap, 1 - gap) < 0.04) & (hsv[:, 1] > saturation)).mean())

    assert share(VIEW["highlight"], 0.25) > 0.001  # the selected muscle, under the skin
    assert share(VIEW["essential"]) > 0.005  # its essential zone, painted on the skin
    assert share(VIEW["marker_selected"]) > 0.0005  # its marker


def test_render_of_a_trigger_point_needs_its_muscle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", "--trigger-point", "tp1", "--out", str(tmp_path / "a.png")]) == 2
    assert "--muscle" in capsys.readouterr().err
    assert main(["render", "--muscle", "upper_trapezoid", "--out", str(tmp_path / "a.png")]) == 2
    assert "upper_trapezius" in capsys.readouterr().err  # did you mean
