"""The static site on disk: files, links, data without fetch(), size, guard, CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from synthetic_atlas import annotations_text, write_meshes

from anatomy.cli import main
from anatomy.errors import AtlasError
from anatomy.export.site import export_site


@pytest.fixture(scope="module")
def site(tiny_atlas, tmp_path_factory) -> tuple[Path, dict[str, int]]:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("site") / "atlas"
    return out, export_site(tiny_atlas, out)


def test_site_files_and_sizes(site) -> None:  # type: ignore[no-untyped-def]
    out, sizes = site
    assert set(sizes) == {"index.html", "muscles/upper_trapezius.html", "muscles/soleus.html",
                          "assets/vtk.js", "assets/body.js", "assets/page_viewer.js",
                          "assets/page.css"}
    for rel, size in sizes.items():
        assert (out / rel).stat().st_size == size
    assert sum(sizes.values()) < 60_000_000


def test_every_local_link_and_script_exists(site) -> None:  # type: ignore[no-untyped-def]
    out, sizes = site
    for rel in (r for r in sizes if r.endswith(".html")):
        page = out / rel
        html = page.read_text()
        targets = [t for t in re.findall(r"""(?:src|href)="([^"#]+)""", html)
                   if not t.startswith("data:")]
        assert targets
        for target in targets:
            assert not target.startswith(("http:", "https:", "//")), (rel, target)
            assert (page.parent / target).resolve().is_file(), (rel, target)


def test_pages_load_data_through_script_tags_not_fetch(site) -> None:  # type: ignore[no-untyped-def]
    out, _ = site
    viewer = (out / "assets/page_viewer.js").read_text()
    assert "fetch(" not in viewer and "XMLHttpRequest" not in viewer  # file:// forbids both
    body = (out / "assets/body.js").read_text()
    assert body.startswith("(window.MYOATLAS_GEOMETRY = window.MYOATLAS_GEOMETRY || {})")
    floats = re.findall(r"-?\d+\.\d+", body)  # the manifest's bounds and colours only:
    assert len(floats) < 20 * body.count('"kind"') + 10  # no vertex lists of floats


def test_text_of_every_mode_is_in_the_muscle_page(site) -> None:  # type: ignore[no-untyped-def]
    out, _ = site
    html = (out / "muscles/soleus.html").read_text()
    for mode in ("patient", "student", "clinician"):
        assert f'data-text-mode="{mode}" data-text-tp="tp1"' in html
    assert "Teaching-level text" in html  # the clinician block, hidden until chosen


def test_refuses_a_foreign_directory_and_overwrites_its_own(tiny_atlas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(AtlasError, match="not empty"):
        export_site(tiny_atlas, tmp_path)
    out = tmp_path / "site"
    export_site(tiny_atlas, out)
    (out / "muscles" / "stale.html").write_text("old")
    export_site(tiny_atlas, out)
    assert not (out / "muscles" / "stale.html").exists()
    with pytest.raises(AtlasError, match="mode"):
        export_site(tiny_atlas, out, mode="surgeon")


def test_cli(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    meshes = write_meshes(tmp_path)
    (tmp_path / "annotations.yaml").write_text(annotations_text())
    args = ["--annotations", str(tmp_path / "annotations.yaml"), "--meshes", str(meshes)]
    assert main(["export-site", str(tmp_path / "out"), "--mode", "patient", *args]) == 0
    assert "3 pages" in capsys.readouterr().out
    assert main(["export-site", str(tmp_path), *args]) == 2
    assert "not empty" in capsys.readouterr().err
