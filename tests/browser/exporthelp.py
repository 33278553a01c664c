"""Helpers for the export browser tests: a synthetic atlas (optionally with hostile text),
pages opened with every request recorded, canvas colour checks, PDF inspection (poppler)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from synthetic_atlas import _trigger_point, annotations_text, write_meshes

from anatomy.atlas.model import Atlas, load_atlas

# Text that would run script if it reached the page unescaped; each sets window.__pwned.
HOSTILE = {
    "patient_text: A sore spot.":
        "patient_text: 'A sore spot <script>window.__pwned=1</script> "
        "<img src=x onerror=\"window.__pwned=2\">'",
    "name: Central point": "name: 'Central <script>window.__pwned=3</script> point'",
    "common_name: Upper trapezius":
        "common_name: 'Upper </script><script>window.__pwned=4</script> trapezius'",
    "title: Myofascial Pain and Dysfunction":
        "title: 'Myofascial Pain <svg onload=\"window.__pwned=5\"></svg>'",
    "patient: Plain words.": "patient: 'Plain words <script>window.__pwned=6</script>'",
    "clinician: Clinical words.": "clinician: 'Clinical <iframe src=\"https://example.org\">'",
}
VISIBLE_HOSTILE = "<script>window.__pwned=1</script>"


def hostile_annotations() -> str:
    """The synthetic annotations with hostile markup in names, texts, sources, Markdown."""
    text = annotations_text()
    for plain, evil in HOSTILE.items():
        assert plain in text, plain
        text = text.replace(plain, evil)
    return text


def with_second_trigger_point(text: str) -> str:
    """The annotations with a second upper-trapezius trigger point (other zones, other name)."""
    tp2 = _trigger_point(
        "tp2", "upper_trapezius", 0.2, "posterior",
        "          - {landmark: occiput, radius_mm: 25}\n",
        "          - {landmark: neck_shoulder_angle, radius_mm: 20}\n",
        "{from: neck_shoulder_angle, toward: superior, mm: [0, 150]}",
    ).replace("name: Central point", "name: Upper point").replace(
        "patient_text: A sore spot.", "patient_text: A higher sore spot.")
    return text.replace("  - id: soleus\n", tp2 + "  - id: soleus\n", 1)


def synthetic_atlas(root: Path, hostile: bool = False, second_tp: bool = False) -> Atlas:
    """Write and load the synthetic atlas under ``root`` (see :mod:`synthetic_atlas`)."""
    meshes = write_meshes(root)
    ann = root / "annotations.yaml"
    text = hostile_annotations() if hostile else annotations_text()
    ann.write_text(with_second_trigger_point(text) if second_tp else text)
    return load_atlas(ann, meshes)


def open_recorded(new_page: Any, url: str, timeout_ms: int = 60_000,
                  offline: bool = True) -> tuple[Any, list[str]]:
    """Open ``url`` in a fresh page; wait for the 3D view; return the page and every request.

    ``offline`` puts the browser context offline (the network is unavailable, as on a
    laptop without Wi-Fi); the fixture also aborts and records any non-loopback request.
    """
    page = new_page(offline=offline)
    requests: list[str] = []  # blob: URLs (the still image made in the page) are not requests
    page.on("request", lambda r: None if r.url.startswith(("blob:", "data:"))
            else requests.append(r.url))
    page.on("pageerror", lambda e: page.console_errors.append(f"pageerror: {e}"))
    page.goto(url)
    page.wait_for_function(
        "() => window.__myoatlasPage && "
        "(window.__myoatlasPage.ready || window.__myoatlasPage.error)",
        timeout=timeout_ms,
    )
    error = page.evaluate("window.__myoatlasPage.error")
    assert error is None, error
    return page, requests


def canvas_png(page: Any) -> bytes:
    """A screenshot of the 3D canvas only."""
    return page.locator("#view3d .canvas-box canvas").screenshot()


def colour_share(png: bytes, rgb: tuple[int, int, int], tol: int = 40) -> float:
    """Share of pixels within ``tol`` (per channel) of ``rgb``."""
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    close = np.all(np.abs(img - np.asarray(rgb)) <= tol, axis=2)
    return float(close.mean())


def pdf_text(pdf: Path) -> str:
    """The text of a PDF (poppler's pdftotext), whitespace folded."""
    out = subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


def pdf_images(pdf: Path, out_dir: Path) -> list[Path]:
    """The raster images of a PDF, extracted as PNG files (poppler's pdfimages)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([_tool("pdfimages"), "-png", str(pdf), str(out_dir / "img")], check=True)
    return sorted(out_dir.glob("img-*.png"))


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: install Debian's poppler-utils"
    return path
