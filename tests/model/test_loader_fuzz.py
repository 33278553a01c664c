"""Random damage to a valid file never escapes as anything but an ``AtlasError``."""

from __future__ import annotations

import random
from pathlib import Path

from model_helpers import MINIMAL

from anatomy.content.load import load_content
from anatomy.errors import AtlasError

_NOISE = [b":", b"-", b" ", b"\n", b"[", b"]", b"{", b"}", b"&a", b"*a", b"!!", b"'", b'"',
          b"#", b"\t", b"\xff", b"\x00", b"1e9", b"~", b"? ", b"|", b">", b"%YAML 1.1\n"]


def _mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(out))
        action = rng.random()
        if action < 0.4:
            out[pos:pos] = rng.choice(_NOISE)
        elif action < 0.7:
            del out[pos : pos + rng.randint(1, 12)]
        else:
            start = rng.randrange(len(out))
            out[pos:pos] = out[start : start + rng.randint(1, 40)]
    return bytes(out)


def test_damaged_files_fail_only_with_located_atlas_errors(tmp_path: Path) -> None:
    rng = random.Random(20261126)
    original = MINIMAL.read_bytes()
    path = tmp_path / "annotations.yaml"
    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(120):
        path.write_bytes(_mutate(original, rng))
        try:
            load_content(path)
            outcomes["loaded"] += 1
        except AtlasError as err:
            assert err.file == str(path)
            assert str(err).startswith(str(path))
            outcomes["refused"] += 1
    assert outcomes["refused"] > 60
