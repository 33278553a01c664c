"""The loader's guards: size, encoding, syntax, aliases, duplicate keys, shape of the file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from model_helpers import MINIMAL, assert_located, line_of, load_error, write_variant

from anatomy.content.load import load_content
from anatomy.content.safeyaml import MAX_BYTES


def test_yaml_syntax_error(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "meshes: [upper_trapezius]", "meshes: [upper_trapezius")
    err = load_error(path)
    opened = line_of(text, "meshes: [upper_trapezius")
    # the parser notices on the next line; the message also names where the list opened
    assert_located(err, path, opened + 1, None, "YAML syntax error", f"started on line {opened}")


def test_bad_indentation(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "    common_name: Upper trapezius",
                               "      common_name: Upper trapezius")
    err = load_error(path)
    assert_located(err, path, line_of(text, "      common_name"), None, "YAML syntax error")


def test_tab_indentation(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "    region: head_neck", "\tregion: head_neck")
    err = load_error(path)
    assert_located(err, path, line_of(text, "\tregion"), None, "YAML syntax error")


def test_non_utf8_bytes(tmp_path: Path) -> None:
    raw = MINIMAL.read_bytes().replace(b"Top-of-shoulder", b"Top-of-\xe9paule")
    path = tmp_path / "annotations.yaml"
    path.write_bytes(raw)
    err = load_error(path)
    line = MINIMAL.read_text().splitlines().index("    patient_name: Top-of-shoulder muscle") + 1
    assert_located(err, path, line, None, "not valid UTF-8", "0xe9")


def test_control_character(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "Top-of-shoulder", "Top-of-\x00shoulder")
    err = load_error(path)
    assert_located(err, path, line_of(text, "Top-of-"), None, "U+0000 is not allowed")


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "annotations.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    assert load_content(path).version == 1


def test_alias_bomb_fails_fast(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 12):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    path = tmp_path / "annotations.yaml"
    path.write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    err = load_error(path)
    assert time.perf_counter() - start < 2.0
    assert_located(err, path, 2, None, "aliases", "not allowed")


def test_single_alias_is_refused(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "          - {landmark: temple, radius_mm: 35}",
                               "          - &disc {landmark: temple, radius_mm: 35}")
    text = text.replace("          - {landmark: angle_of_jaw, radius_mm: 25}", "          - *disc")
    path.write_text(text)
    err = load_error(path)
    assert_located(err, path, line_of(text, "*disc"), None, "aliases")


def test_file_over_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "annotations.yaml"
    chunk = b"# padding line to make a very large annotations file\n" * 20000
    with path.open("wb") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    start = time.perf_counter()
    err = load_error(path)
    assert time.perf_counter() - start < 1.0
    assert err.file == str(path) and err.line is None
    assert str(err).startswith(f"{path}: file is 5")
    assert f"over the {MAX_BYTES // (1024 * 1024)} MB limit" in str(err)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "annotations.yaml"
    path.write_text("")
    err = load_error(path)
    assert_located(err, path, 1, None, "the file is empty")


def test_comment_only_file(tmp_path: Path) -> None:
    path = tmp_path / "annotations.yaml"
    path.write_text("# nothing here yet\n\n")
    err = load_error(path)
    assert_located(err, path, 1, None, "the file is empty")


def test_top_level_list(tmp_path: Path) -> None:
    path = tmp_path / "annotations.yaml"
    path.write_text("# a list\n- version: 1\n- muscles: []\n")
    err = load_error(path)
    assert_located(err, path, 2, None, "top level must be a mapping", "not a list")


def test_top_level_scalar(tmp_path: Path) -> None:
    path = tmp_path / "annotations.yaml"
    path.write_text("just some words\n")
    err = load_error(path)
    assert_located(err, path, 1, None, "top level must be a mapping", "not a str")


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "    region: head_neck\n",
                               "    region: head_neck\n    region: trunk\n")
    err = load_error(path)
    first = line_of(text, "region: head_neck")
    assert_located(err, path, line_of(text, "region: trunk"), "muscles[0].region",
                   "duplicate key 'region'", f"first on line {first}")


def test_duplicate_source_key(tmp_path: Path) -> None:
    base = MINIMAL.read_text()
    block = base[base.index("  gattie_2017:"):base.index("muscles:")]
    text = base.replace("muscles:", block + "muscles:", 1)
    path = tmp_path / "annotations.yaml"
    path.write_text(text)
    err = load_error(path)
    second = text.index("  gattie_2017:", text.index("  gattie_2017:") + 1)
    assert_located(err, path, text[:second].count("\n") + 1, "sources.gattie_2017",
                   "duplicate key")


def test_several_documents(tmp_path: Path) -> None:
    path = tmp_path / "annotations.yaml"
    path.write_text(MINIMAL.read_text() + "---\nversion: 1\n")
    err = load_error(path)
    assert err.file == str(path) and err.line is not None
    assert "YAML" in str(err)


def test_python_tag_is_not_executed(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "version: 1\n",
                               "version: !!python/object/apply:os.system ['echo hacked']\n")
    err = load_error(path)
    assert_located(err, path, line_of(text, "version: !!python"), "version", "cannot read value")


def test_impossible_date(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "version: 1\n", "version: 2024-13-45\n")
    err = load_error(path)
    assert_located(err, path, line_of(text, "version: 2024"), "version",
                   "cannot read value '2024-13-45'", "month")


def test_complex_key(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "version: 1\n", "version: 1\n? [a, b]\n: c\n")
    err = load_error(path)
    assert_located(err, path, line_of(text, "? [a, b]"), None, "a key must be a plain word")


def test_deep_flow_nesting(tmp_path: Path) -> None:
    path = tmp_path / "annotations.yaml"
    path.write_text("version: 1\nmuscles: " + "[" * 20000 + "]" * 20000 + "\n")
    start = time.perf_counter()
    err = load_error(path)
    assert time.perf_counter() - start < 10.0
    assert_located(err, path, 2, None, "nested deeper than 50 levels")


def test_deep_block_nesting(tmp_path: Path) -> None:
    path = tmp_path / "annotations.yaml"
    path.write_text("".join(f"{' ' * i}k{i}:\n" for i in range(80)) + " " * 80 + "end\n")
    err = load_error(path)
    assert err.file == str(path) and err.line is not None and err.line <= 53
    assert "nested deeper than 50 levels" in str(err)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    err = load_error(path)
    assert str(err).startswith(f"{path}: cannot read the file")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    err = load_error(tmp_path)
    assert str(err) == f"{tmp_path}: not a file"


@pytest.mark.parametrize("value", ["yes", "on", "No"])
def test_yaml_1_2_words_stay_text(tmp_path: Path, value: str) -> None:
    """YAML 1.1 read `yes`/`on`/`no` as booleans; here they are words, so text stays text."""
    path, _ = write_variant(tmp_path, "symptoms: [Temple headache]", f"symptoms: [{value}]")
    tp = load_content(path).trigger_point("upper_trapezius", "tp1")
    assert tp.symptoms == [value]
