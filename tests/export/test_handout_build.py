"""The handout file without a browser: content per mode, self-containment, escaping, CLI."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from synthetic_atlas import annotations_text, write_meshes

from anatomy.atlas.model import load_atlas
from anatomy.cli import main
from anatomy.errors import AtlasError
from anatomy.export import assets
from anatomy.export.handout import build_handout

DAY = dt.date(2026, 3, 5)


def _scripts(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)


def test_patient_handout_has_the_patient_text_and_no_needling(tiny_atlas) -> None:  # type: ignore[no-untyped-def]
    html = build_handout(tiny_atlas, "upper_trapezius", "tp1", side="right", date=DAY)
    for expected in ("Top of the shoulder (Upper trapezius): Central point", "A sore spot.",
                     "Things you can try", "stretch", "See a doctor promptly if", "fever",
                     "not a diagnosis", "5 March 2026", "Simons DG", "Right side"):
        assert expected in html, expected
    for clinical in ("Teaching-level text", "Flat palpation", "Structures at risk"):
        assert clinical not in html, clinical


def test_clinician_handout_has_palpation_needling_and_risks(tiny_atlas) -> None:  # type: ignore[no-untyped-def]
    html = build_handout(tiny_atlas, "soleus", None, side="left", mode="clinician", date=DAY)
    for expected in ("Flat palpation", "Teaching-level text", "Structures at risk",
                     "Low risk", "Red flags", "Self-care advice"):
        assert expected in html, expected
    # its only trigger point: a handout about it, with no buttons to choose another
    assert "Soleus: Central point" in html and '<button type="button" data-action="tp"' not in html


def test_handout_is_self_contained_and_only_its_own_scripts_may_run(tiny_atlas) -> None:  # type: ignore[no-untyped-def]
    html = build_handout(tiny_atlas, "soleus", "tp1", date=DAY)
    assert not re.search(r"""\s(src|href)\s*=\s*["']?(https?:|//)""", html)
    links = re.findall(r"<link[^>]*>", html)
    assert links == ['<link rel="icon" href="data:,">'] and "@import" not in html
    scripts = _scripts(html)
    assert len(scripts) == 4 and "window.vtk=" in scripts[0]
    csp = unescape(re.search(r'Content-Security-Policy" content="([^"]*)"', html).group(1))
    assert "default-src 'none'" in csp and "connect-src data: blob:" in csp
    allowed = set(re.findall(r"'sha256-[^']+'", csp))
    assert allowed == {assets.csp_hash(s) for s in scripts}
    assert len(html.encode()) < 5_000_000


def test_annotation_markup_is_escaped_everywhere(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    text = annotations_text()
    for plain in ("patient_text: A sore spot.", "name: Central point",
                  "common_name: Upper trapezius", "patient: Plain words."):
        key, value = plain.split(": ", 1)
        text = text.replace(plain, f"{key}: '{value} {evil}'")
    (tmp_path / "annotations.yaml").write_text(text)
    atlas = load_atlas(tmp_path / "annotations.yaml", write_meshes(tmp_path))
    for mode in ("patient", "clinician"):
        html = build_handout(atlas, "upper_trapezius", None, mode=mode, date=DAY)
        assert evil not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        for script in _scripts(html):
            assert "</script" not in script.lower()  # nothing closes an element early


def test_bad_arguments_are_atlas_errors(tiny_atlas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AtlasError, match="mode"):
        build_handout(tiny_atlas, "soleus", mode="surgeon")
    with pytest.raises(AtlasError, match="side"):
        build_handout(tiny_atlas, "soleus", side="both")
    with pytest.raises(AtlasError, match="did you mean 'tp1'"):
        build_handout(tiny_atlas, "soleus", "tp2")


def test_cli_writes_the_file_and_reports_errors_in_words(
    tiny_files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    annotations, meshes = tiny_files
    data = ["--annotations", str(annotations), "--meshes", str(meshes)]
    out = tmp_path / "out" / "h.html"
    assert main(["handout", "--muscle", "soleus", "--side", "left", "--mode", "clinician",
                 "--date", "2026-01-02", "--out", str(out), *data]) == 0
    assert "2 January 2026" in out.read_text() and "MB handout" in capsys.readouterr().out
    assert main(["handout", "--muscle", "solues", "--out", str(out), *data]) == 2
    assert "did you mean 'soleus'" in capsys.readouterr().err
    assert main(["handout", "--muscle", "soleus", "--out", str(tmp_path / "h.pdf"), *data]) == 2
    assert ".html" in capsys.readouterr().err
