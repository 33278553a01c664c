"""``myoatlas lookup``: JSON and table output, and bad arguments, on the synthetic atlas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anatomy.cli import main


@pytest.fixture(scope="module")
def files(tiny_files: tuple[Path, Path]) -> list[str]:
    ann, meshes = tiny_files
    return ["--annotations", str(ann), "--meshes", str(meshes)]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["lookup", *args])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


def test_json_lists_hits_best_first(files: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(["--landmark", "vertex", "--json", *files], capsys)
    assert code == 0
    hits = json.loads(out)
    assert [(h["muscle"], h["side"]) for h in hits] == [("upper_trapezius", "left"),
                                                        ("upper_trapezius", "right")]
    for h in hits:
        assert h["zone"] == "spillover" and h["trigger_point"] == "tp1"
        assert h["why"] == "covers this spot with its spillover zone (around the top of the head)"
        assert isinstance(h["score"], float)
    assert hits[0]["score"] >= hits[1]["score"]


def test_point_query_and_top(files: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    # on the skin at the right heel: (-x is the right; the heel is posterior-lateral)
    import numpy as np

    a = np.radians(60.0)
    x, y = -0.15 * np.cos(a), 0.15 * np.sin(a)
    code, out, _ = run(["--point", f"{x}", f"{y}", "0.05", "--json", "--top", "1", *files],
                       capsys)
    hits = json.loads(out)
    assert code == 0 and len(hits) == 1
    assert (hits[0]["muscle"], hits[0]["side"], hits[0]["zone"]) == ("soleus", "right",
                                                                     "essential")


def test_table_output(files: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(["--landmark", "left_temple", *files], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Trigger points whose referral zones cover left_temple (best first):"
    assert lines[1].split() == ["#", "muscle", "side", "trigger", "point", "zone", "score"]
    assert lines[2].split() == ["1", "upper_trapezius", "left", "tp1", "essential", "1.300"]
    assert "essential zone (around the left temple)" in lines[3]
    assert "not a diagnosis" in lines[-1]


def test_a_spot_nothing_refers_to(files: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(["--point", "0.15", "0", "1.0", *files], capsys)
    assert code == 0 and out.startswith("No trigger point in the atlas refers pain to")
    code, out, _ = run(["--point", "0.15", "0", "1.0", "--json", *files], capsys)
    assert json.loads(out) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--landmark", "right_tempel"], "did you mean 'right_temple'"),
        (["--point", "0", "0", "0.9"], "from the skin"),
        (["--point", "nan", "0", "0.9"], "finite"),
        (["--landmark", "vertex", "--top", "0"], "--top must be at least 1"),
    ],
)
def test_bad_queries_exit_2_with_a_message(files: list[str], capsys, args: list[str],  # type: ignore[no-untyped-def]
                                           message: str) -> None:
    code, _, err = run([*args, *files], capsys)
    assert code == 2 and message in err and err.startswith("myoatlas lookup: error:")


def test_landmark_and_point_are_exclusive(files: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        main(["lookup", "--landmark", "vertex", "--point", "0", "0", "1", *files])
    assert exc.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


def test_missing_meshes_is_an_error_not_a_traceback(tiny_files, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ann, _ = tiny_files
    code, _, err = run(["--landmark", "vertex", "--annotations", str(ann), "--meshes",
                        str(tmp_path / "nowhere")], capsys)
    assert code == 2 and "manifest is missing" in err


def test_several_points_rank_by_how_many_they_cover(files: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    a = np.radians(60.0)  # the left heel and the left calf (posterior-lateral)
    heel = [0.15 * np.cos(a), 0.15 * np.sin(a), 0.05]
    b = np.radians(70.0)
    calf = [0.15 * np.cos(b), 0.15 * np.sin(b), 0.40]
    args = ["--point", *map(str, heel), "--point", *map(str, calf), "--json", *files]
    code, out, _ = run(args, capsys)
    hits = json.loads(out)
    assert code == 0 and [(h["muscle"], h["side"]) for h in hits] == [("soleus", "left")]
    assert hits[0]["why"].startswith("covers 1 of the 2 spots with its essential zone")
    assert "and 1 with its spillover zone" in hits[0]["why"]
