"""Schema-level broken variants of an annotations file: each fails with file, line and key."""

from __future__ import annotations

from pathlib import Path

from model_helpers import MINIMAL, assert_located, line_of, load_error, write_variant

from anatomy.errors import AtlasProblems

TP = "muscles[0].trigger_points[0]"


def test_minimal_file_is_valid() -> None:
    from anatomy.content.load import load_content

    content = load_content(MINIMAL)
    assert [m.id for m in content.muscles] == ["upper_trapezius"]


def test_wrong_type_integer(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "year: 1999", "year: nineteen-ninety-nine")
    err = load_error(path)
    assert_located(err, path, line_of(text, "year: nineteen"),
                   "sources.travell_simons_1999.year", "valid integer")


def test_wrong_type_list_given_a_string(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "meshes: [upper_trapezius]", "meshes: upper_trapezius")
    err = load_error(path)
    assert_located(err, path, line_of(text, "meshes: upper"), "muscles[0].meshes", "valid list")


def test_wrong_type_boolean_given_a_string(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "contested: false", 'contested: "no"')
    err = load_error(path)
    assert_located(err, path, line_of(text, 'contested: "no"'), f"{TP}.contested", "boolean")


def test_missing_field(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "    latin: Musculus trapezius, pars descendens\n", "")
    err = load_error(path)
    assert_located(err, path, line_of(text, "- id: upper_trapezius"), "muscles[0].latin",
                   "required key is missing")


def test_missing_zone_list(tmp_path: Path) -> None:
    old = (
        "        essential:\n"
        "          - {landmark: posterior_neck, radius_mm: 40}\n"
        "          - {landmark: temple, radius_mm: 35}\n"
    )
    path, text = write_variant(tmp_path, old, "")
    err = load_error(path)
    assert_located(err, path, line_of(text, "      - id: tp1"), f"{TP}.essential", "missing")


def test_unknown_key_with_suggestion(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "        symptoms:", "        sympotms:")
    err = load_error(path)
    assert_located(err, path, line_of(text, "sympotms"), f"{TP}.sympotms",
                   "unknown key", "did you mean 'symptoms'")
    assert "required key is missing" not in str(err)  # the typo explains the missing key


def test_unknown_top_level_key(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "version: 1\n", "version: 1\nauthor: someone\n")
    err = load_error(path)
    assert_located(err, path, line_of(text, "author: someone"), "author", "unknown key")


def test_along_above_one(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "along: 0.5", "along: 1.5")
    err = load_error(path)
    assert_located(err, path, line_of(text, "along: 1.5"), f"{TP}.position.along",
                   "must be between 0 and 1")


def test_along_negative(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "along: 0.5", "along: -0.1")
    err = load_error(path)
    assert_located(err, path, line_of(text, "along: -0.1"), f"{TP}.position.along",
                   "must be between 0 and 1")


def test_radius_out_of_range(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "radius_mm: 35}", "radius_mm: 500}")
    err = load_error(path)
    assert_located(err, path, line_of(text, "radius_mm: 500"), f"{TP}.essential[1].radius_mm",
                   "must be between 10 and 200")


def test_unknown_risk_class(tmp_path: Path) -> None:
    old = "risk_class: pneumothorax\n        structures_at_risk:"
    path, text = write_variant(tmp_path, old, "risk_class: lung\n        structures_at_risk:")
    err = load_error(path)
    assert_located(err, path, line_of(text, "risk_class: lung"), f"{TP}.risk_class",
                   "'lung' is not allowed", "pneumothorax")


def test_unknown_toward(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "toward: superior", "toward: upward")
    err = load_error(path)
    assert_located(err, path, line_of(text, "toward: upward"), f"{TP}.position.toward",
                   "'upward' is not allowed")


def test_unknown_region(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "region: head_neck", "region: neck")
    err = load_error(path)
    assert_located(err, path, line_of(text, "region: neck"), "muscles[0].region", "head_neck")


def test_unknown_landmark_name(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "landmark: temple", "landmark: tempel")
    err = load_error(path)
    assert_located(err, path, line_of(text, "tempel"), f"{TP}.essential[1].landmark",
                   "unknown landmark 'tempel'", "did you mean 'temple'")


def test_landmark_with_side_prefix(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "landmark: temple", "landmark: right_temple")
    err = load_error(path)
    assert_located(err, path, line_of(text, "right_temple"), f"{TP}.essential[1].landmark",
                   "without a side prefix")


def test_unknown_geometry_muscle(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "meshes: [upper_trapezius]", "meshes: [upper_trapezoid]")
    err = load_error(path)
    assert_located(err, path, line_of(text, "upper_trapezoid"), "muscles[0].meshes[0]",
                   "unknown geometry muscle", "did you mean 'upper_trapezius'")


def test_position_mesh_not_in_record(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "mesh: upper_trapezius", "mesh: levator_scapulae")
    err = load_error(path)
    assert_located(err, path, line_of(text, "mesh: levator_scapulae"), f"{TP}.position.mesh",
                   "not one of this record's meshes")


def test_invalid_id_format(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "      - id: tp1", "      - id: TrP-1")
    err = load_error(path)
    assert_located(err, path, line_of(text, "TrP-1"), f"{TP}.id", "snake_case")


def test_empty_text(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "name: Upper trapezius TrP1", 'name: "  "')
    err = load_error(path)
    assert_located(err, path, line_of(text, 'name: "  "'), f"{TP}.name", "must not be empty")


def test_empty_essential_zone(tmp_path: Path) -> None:
    old = (
        "        essential:\n"
        "          - {landmark: posterior_neck, radius_mm: 40}\n"
        "          - {landmark: temple, radius_mm: 35}\n"
    )
    path, text = write_variant(tmp_path, old, "        essential: []\n")
    err = load_error(path)
    assert_located(err, path, line_of(text, "essential: []"), f"{TP}.essential",
                   "must not be an empty list")


def test_unsupported_version(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "version: 1\n", "version: 2\n")
    err = load_error(path)
    assert_located(err, path, line_of(text, "version: 2"), "version", "not allowed")


def test_unknown_source_id_in_muscle(tmp_path: Path) -> None:
    old = "sources: [travell_simons_1999]\n    trigger_points:"
    new = "sources: [travell_simons_2099]\n    trigger_points:"
    path, text = write_variant(tmp_path, old, new)
    err = load_error(path)
    assert_located(err, path, line_of(text, "travell_simons_2099"), "muscles[0].sources[0]",
                   "unknown source id 'travell_simons_2099'")


def test_unknown_source_id_in_trigger_point(tmp_path: Path) -> None:
    old = "        sources: [travell_simons_1999]\n        contested"
    new = "        sources: [travell_simons_1999, nobody_2020]\n        contested"
    path, text = write_variant(tmp_path, old, new)
    err = load_error(path)
    assert_located(err, path, line_of(text, "nobody_2020"), f"{TP}.sources[1]",
                   "unknown source id 'nobody_2020'")


def test_unknown_source_id_in_general_section(tmp_path: Path) -> None:
    old = "patient: Education only, clinician: Education only, sources: [gattie_2017]"
    new = "patient: Education only, clinician: Education only, sources: [gattie_2018]"
    path, text = write_variant(tmp_path, old, new)
    err = load_error(path)
    assert_located(err, path, line_of(text, "gattie_2018"), "general.disclaimer.sources[0]",
                   "unknown source id")


def test_record_without_sources(tmp_path: Path) -> None:
    old = "sources: [travell_simons_1999]\n    trigger_points:"
    path, text = write_variant(tmp_path, old, "sources: []\n    trigger_points:")
    err = load_error(path)
    assert_located(err, path, line_of(text, "sources: []"), "muscles[0].sources",
                   "must not be an empty list")


def test_trigger_point_without_sources_key(tmp_path: Path) -> None:
    old = "        sources: [travell_simons_1999]\n        contested"
    path, text = write_variant(tmp_path, old, "        contested")
    err = load_error(path)
    assert_located(err, path, line_of(text, "      - id: tp1"), f"{TP}.sources", "missing")


def test_contested_without_note(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "contested: false", "contested: true")
    err = load_error(path)
    assert_located(err, path, line_of(text, "contested: true\ngeneral:"), f"{TP}.contested",
                   "contested_note must say why")


def test_note_without_contested_flag(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "contested: false",
                               "contested: false\n        contested_note: Some doubt.")
    err = load_error(path)
    assert_located(err, path, line_of(text, "contested_note: Some"), f"{TP}.contested_note",
                   "needs contested: true")


def test_risk_class_without_matching_structure(tmp_path: Path) -> None:
    old = "risk_class: pneumothorax\n        structures_at_risk:"
    new = "risk_class: cns\n        structures_at_risk:"
    path, text = write_variant(tmp_path, old, new)
    err = load_error(path)
    assert_located(err, path, line_of(text, "risk_class: cns"), f"{TP}.risk_class",
                   "not the class of any structure")


def test_patient_text_with_needling_detail(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "A tender knot at the top",
                               "A needle into the knot at the top")
    err = load_error(path)
    assert_located(err, path, line_of(text, "patient_text: A needle"), f"{TP}.patient_text",
                   "keep needling detail in clinician_text")


def _second_muscle(tmp_path: Path, muscle_id: str, mesh: str, tp_id: str = "tp1"):
    """The minimal file with a copy of its muscle record appended (new id/mesh)."""
    base = MINIMAL.read_text(encoding="utf-8")
    start, end = base.index("  - id: upper_trapezius"), base.index("general:")
    block = base[start:end]
    block = block.replace("- id: upper_trapezius", f"- id: {muscle_id}")
    block = block.replace("[upper_trapezius]", f"[{mesh}]")
    block = block.replace("mesh: upper_trapezius", f"mesh: {mesh}")
    block = block.replace("      - id: tp1", f"      - id: {tp_id}")
    text = base[:end] + block + base[end:]
    path = tmp_path / "annotations.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text, end


def test_duplicate_muscle_id(tmp_path: Path) -> None:
    path, text, end = _second_muscle(tmp_path, "upper_trapezius", "levator_scapulae")
    err = load_error(path)
    line = text[:end].count("\n") + 1  # the appended record's first line
    assert_located(err, path, line, "muscles[1].id", "duplicate muscle id 'upper_trapezius'")


def test_geometry_muscle_mapped_twice(tmp_path: Path) -> None:
    path, text, end = _second_muscle(tmp_path, "upper_trapezius_again", "upper_trapezius")
    err = load_error(path)
    line = text[: text.index("meshes: [upper_trapezius]", end)].count("\n") + 1
    assert_located(err, path, line, "muscles[1].meshes[0]", "already mapped by muscles[0]")


def test_duplicate_trigger_point_id(tmp_path: Path) -> None:
    base = MINIMAL.read_text(encoding="utf-8")
    start, end = base.index("      - id: tp1"), base.index("general:")
    text = base[:end] + base[start:end] + base[end:]
    path = tmp_path / "annotations.yaml"
    path.write_text(text, encoding="utf-8")
    err = load_error(path)
    line = text[:end].count("\n") + 1
    assert_located(err, path, line, "muscles[0].trigger_points[1].id",
                   "duplicate trigger-point id 'tp1'")


def test_all_problems_are_reported(tmp_path: Path) -> None:
    path, text = write_variant(tmp_path, "along: 0.5, toward: superior", "along: 2, toward: up")
    err = load_error(path)
    lines = str(err).splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{path}:{line_of(text, 'along: 2')}: ") for line in lines)
    assert isinstance(err, AtlasProblems) and len(err.problems) == 2
