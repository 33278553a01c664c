"""Unit tests of the schema models and the content helpers (no YAML files involved)."""

from __future__ import annotations

import pydantic
import pytest
from model_helpers import MINIMAL

from anatomy.content.checks import content_problems
from anatomy.content.load import load_content
from anatomy.content.schema import Content, Position, Source, ZoneDisc, dotted_key
from anatomy.errors import AtlasError
from anatomy.frame import MUSCLE_IDS


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(MINIMAL)


def test_position_accepts_the_documented_range() -> None:
    assert Position(mesh="soleus", along=0.0, toward="medial").along == 0.0
    assert Position(mesh="soleus", along=1, toward="deep").along == 1.0
    with pytest.raises(pydantic.ValidationError):
        Position(mesh="soleus", along=1.01, toward="medial")


def test_position_rejects_text_for_numbers() -> None:
    with pytest.raises(pydantic.ValidationError):
        Position(mesh="soleus", along="0.5", toward="medial")  # type: ignore[arg-type]


def test_zone_disc_accepts_midline_and_bilateral_names() -> None:
    assert ZoneDisc(landmark="vertex", radius_mm=40).landmark == "vertex"
    assert ZoneDisc(landmark="heel", radius_mm=10).radius_mm == 10
    with pytest.raises(pydantic.ValidationError, match="side prefix"):
        ZoneDisc(landmark="left_heel", radius_mm=40)
    with pytest.raises(pydantic.ValidationError, match="did you mean 'heel'"):
        ZoneDisc(landmark="heal", radius_mm=40)


def test_models_forbid_unknown_keys_and_are_frozen() -> None:
    with pytest.raises(pydantic.ValidationError, match="extra"):
        ZoneDisc(landmark="heel", radius_mm=40, colour="red")  # type: ignore[call-arg]
    disc = ZoneDisc(landmark="heel", radius_mm=40)
    with pytest.raises(pydantic.ValidationError):
        disc.radius_mm = 50  # type: ignore[misc]


def test_source_citation_text() -> None:
    src = Source(authors="Gattie E, Cleland JA, Snodgrass S", year=2017, title="A review",
                 venue="JOSPT 47:133", doi="10.2519/jospt.2017.7096")
    assert src.citation() == (
        "Gattie E, Cleland JA, Snodgrass S (2017). A review. JOSPT 47:133. "
        "doi:10.2519/jospt.2017.7096"
    )


def test_content_helpers(content: Content) -> None:
    muscle = content.muscle("upper_trapezius")
    assert content.trigger_point("upper_trapezius", "tp1") is muscle.trigger_points[0]
    assert content.muscle_for_mesh("upper_trapezius") is muscle
    assert [(m.id, tp.id) for m, tp in content.trigger_points()] == [("upper_trapezius", "tp1")]
    assert content.source("gattie_2017").year == 2017
    assert content.general.sections()[0][0] == "what_is_dry_needling"


def test_content_helpers_raise_atlas_errors_with_suggestions(content: Content) -> None:
    with pytest.raises(AtlasError, match="did you mean 'upper_trapezius'"):
        content.muscle("upper_trapezus")
    with pytest.raises(AtlasError, match="it has: tp1"):
        content.trigger_point("upper_trapezius", "tp9")
    with pytest.raises(AtlasError, match="no muscle record maps"):
        content.muscle_for_mesh("soleus")
    with pytest.raises(AtlasError, match="did you mean 'gattie_2017'"):
        content.source("gattie_2071")


def test_uncovered_meshes(content: Content) -> None:
    uncovered = content.uncovered_meshes()
    assert "upper_trapezius" not in uncovered
    assert len(uncovered) == len(MUSCLE_IDS) - 1


def test_consistent_content_has_no_problems(content: Content) -> None:
    assert content_problems(content) == []


def test_cross_record_rules_run_apart_from_the_schema(content: Content) -> None:
    data = content.model_dump(by_alias=True)
    data["muscles"][0]["trigger_points"][0]["position"]["mesh"] = "soleus"
    well_formed = Content.model_validate(data)  # each record is fine on its own
    assert content_problems(well_formed) == [(
        "positions_on_own_meshes", ("muscles", 0, "trigger_points", 0, "position", "mesh"),
        "'soleus' is not one of this record's meshes (upper_trapezius)",
    )]


def test_dotted_key() -> None:
    assert dotted_key(("muscles", 3, "trigger_points", 0, "position", "along")) == (
        "muscles[3].trigger_points[0].position.along"
    )
    assert dotted_key(()) == ""
