"""Broken input: absurd deep links give a message and a working view; an invalid atlas
makes ``myoatlas serve`` refuse to start, with the located message, and serve nothing."""

from __future__ import annotations

import math
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from anatomy.session.deeplink import CAMERA_PRESETS, MAX_CAMERA_DISTANCE_M, MODES
from anatomy.session.state import AtlasState

REPO = Path(__file__).resolve().parents[2]
LONG = "A" * 10_000
HOSTILE_LINKS = [
    {"muscle": "no_such_muscle"},
    {"muscle": LONG},
    {"mode": "surgeon"},
    {"mode": LONG},
    {"mode": "clinician\x00"},
    {"cam": "nan,nan,nan,0,0,0,0,0,1"},
    {"cam": "inf,0,0,0,0,0,0,0,1"},
    {"cam": "1e308,1e308,1e308,0,0,1,0,0,1"},
    {"cam": "-1e308,0,0,0,0,0,0,0,1"},
    {"cam": ",".join(["1"] * 5000)[:190]},
    {"cam": "0,0,0,0,0,0,0,0,0"},
    {"cam": LONG},
    {"opacity": "skin:nan"},
    {"opacity": "skin:1e308,bones:2"},
    {"layers": "skin,<script>"},
    {"side": "middle"},
    {"tp": LONG, "muscle": "upper_trapezius"},
    {"muscle": [b"\xff\xfe\xfd"]},
    {"muscle": [b"upper_trapezius", b"soleus"] * 500},
    {"unknown_key": LONG, "another": "x"},
    {"muscle": "", "tp": "", "cam": "", "mode": ""},
    {"muscle": "upper_trapezius\u202e", "mode": "patient\u200b"},
]


@pytest.mark.parametrize("query", HOSTILE_LINKS, ids=lambda q: ",".join(q)[:40])
def test_a_hostile_link_opens_a_working_default_view_with_a_short_message(hostile_atlas, query):
    state = AtlasState(hostile_atlas)
    problems = state.from_query(query)  # never raises
    assert state.mode in MODES
    assert state.muscle in {"", *(m.id for m in hostile_atlas.content.muscles)}
    camera = state.camera
    if "preset" in camera:
        assert camera["preset"] in CAMERA_PRESETS
    else:
        numbers = [*camera["position"], *camera["focal_point"], *camera["view_up"]]
        assert all(math.isfinite(v) for v in numbers)
        assert max(abs(v) for v in numbers) <= MAX_CAMERA_DISTANCE_M
    for name in ("skin", "skeleton", "muscles"):
        assert 0.0 <= getattr(state, f"opacity_{name}") <= 1.0
    assert len(state.notice) < 1500  # a 10 kB value is not echoed into the page
    assert state.notice == " ".join(problems)
    assert state.to_query()["mode"] in MODES  # the URL written back is valid again


def test_bad_values_are_each_named_in_the_message(hostile_atlas):
    state = AtlasState(hostile_atlas)
    problems = state.from_query(
        {"mode": "surgeon", "muscle": "no_such", "cam": "nan,0,0,0,0,0,0,0,1", "opacity": "skin:7"}
    )
    text = " ".join(problems)
    for fragment in ("Unknown mode", "Unknown muscle", "'cam'", "'opacity'"):
        assert fragment in text
    assert state.camera == {"preset": "anterior"} and state.mode == "patient"


# --- an invalid atlas ----------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _break(annotations: Path, tmp_path: Path, how: str) -> Path:
    text = annotations.read_text()
    if how == "schema":
        text = text.replace("region: leg", "region: tail", 1)
    elif how == "unknown landmark":  # a zone on a landmark no mesh build defines
        text = text.replace("{landmark: heel,", "{landmark: left_heel_typo,", 1)
    elif how == "hostile value":
        text = text.replace("region: leg", "region: <script>window.__pwned=1</script>", 1)
    out = tmp_path / f"broken_{how.replace(' ', '_')}.yaml"
    out.write_text(text)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("how", ["schema", "unknown landmark", "hostile value"])
def test_a_server_with_invalid_content_refuses_to_start_and_serves_nothing(
    tiny_files, tmp_path, how
):
    annotations, meshes = tiny_files
    broken = _break(annotations, tmp_path, how)
    port = _free_port()
    cmd = [sys.executable, "-m", "anatomy.cli", "serve", "--port", str(port),
           "--annotations", str(broken), "--meshes", str(meshes)]  # fmt: skip
    proc = subprocess.Popen(
        cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    listened = False
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        listened = listened or _listening(port)
        time.sleep(0.1)
    if proc.poll() is None:
        proc.kill()
        pytest.fail("the server started with invalid content")
    out, err = proc.communicate()
    assert proc.returncode == 2, (out, err)
    assert not listened and not _listening(port)
    assert "not starting" in err and f"{broken}:" in err  # file:line: key: what is wrong
    assert "Traceback" not in err and "serving at" not in out
