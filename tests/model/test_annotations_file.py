"""The shipped annotations.yaml: it loads, covers the geometry, follows the fact sheet, and
covers every point of the seed article in its own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from anatomy.content.load import load_content
from anatomy.content.schema import Content
from anatomy.frame import MUSCLE_IDS

REPO = Path(__file__).resolve().parents[2]
ANNOTATIONS = REPO / "annotations.yaml"
SEED_ARTICLE = REPO.parent / "shared" / "reference" / "seed-dry-needling-article.txt"


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(ANNOTATIONS)


def test_every_geometry_muscle_has_content(content: Content) -> None:
    assert content.uncovered_meshes() == []
    covered = [mesh for muscle in content.muscles for mesh in muscle.meshes]
    assert sorted(covered) == sorted(MUSCLE_IDS)  # each exactly once


def test_size_of_the_content(content: Content) -> None:
    assert len(content.muscles) >= 36
    assert sum(len(m.trigger_points) for m in content.muscles) >= 70
    assert all(m.trigger_points for m in content.muscles)


def test_every_bibliography_entry_is_cited(content: Content) -> None:
    cited = set()
    for muscle, tp in content.trigger_points():
        cited |= set(muscle.sources) | set(tp.sources)
    for _, section in content.general.sections():
        cited |= set(section.sources)
    cited |= {s for m in content.general.how_it_may_work.mechanisms for s in m.sources}
    cited |= {s.source for s in content.general.adverse_events.studies}
    cited |= {s.source for s in content.depth_studies}
    assert set(content.sources) - cited == set()


# (muscle, trigger point, landmark that must be in its essential zone) — from the fact sheet
ESSENTIAL_REFERRALS = [
    ("upper_trapezius", "tp1", "temple"),
    ("upper_trapezius", "tp1", "mastoid"),
    ("levator_scapulae", "angle_of_neck", "neck_shoulder_angle"),
    ("sternocleidomastoid", "clavicular_head", "forehead"),
    ("splenius_capitis", "tp1", "vertex"),
    ("suboccipitals", "tp1", "occiput"),
    ("masseter", "superficial_upper", "upper_teeth"),
    ("masseter", "deep_layer", "ear"),
    ("infraspinatus", "central", "anterior_shoulder"),
    ("supraspinatus", "belly", "lateral_shoulder"),
    ("subscapularis", "lateral_border", "posterior_shoulder"),
    ("serratus_anterior", "mid_axillary", "lateral_chest"),
    ("latissimus_dorsi", "axillary_fold", "inferior_scapular_angle"),
    ("quadratus_lumborum", "deep", "sacroiliac"),
    ("gluteus_maximus", "tp3", "coccyx_side"),
    ("gluteus_minimus", "anterior", "lateral_thigh"),
    ("rectus_femoris", "proximal", "anterior_knee"),
    ("hamstrings", "biceps_femoris", "posterior_knee"),
    ("gastrocnemius", "medial_head", "instep"),
    ("soleus", "tp1", "heel"),
    ("tibialis_anterior", "tp1", "dorsum_big_toe"),
    ("fibularis_longus", "tp1", "lateral_ankle"),
]


@pytest.mark.parametrize(("muscle", "tp", "landmark"), ESSENTIAL_REFERRALS)
def test_essential_zone_follows_the_fact_sheet(
    content: Content, muscle: str, tp: str, landmark: str
) -> None:
    zone = content.trigger_point(muscle, tp).essential
    assert landmark in [disc.landmark for disc in zone]


PNEUMOTHORAX_MUSCLES = [
    "upper_trapezius", "levator_scapulae", "scalenes", "supraspinatus", "subscapularis",
    "pectoralis_major", "pectoralis_minor", "rhomboids", "serratus_anterior",
    "latissimus_dorsi", "iliocostalis", "quadratus_lumborum",
]  # fmt: skip


@pytest.mark.parametrize("muscle", PNEUMOTHORAX_MUSCLES)
def test_thoracic_risk_is_recorded(content: Content, muscle: str) -> None:
    classes = {
        s.risk_class for tp in content.muscle(muscle).trigger_points for s in tp.structures_at_risk
    }
    assert "pneumothorax" in classes


CONTESTED = [
    ("sternocleidomastoid", "sternal_head"),  # autonomic symptoms
    ("masseter", "deep_layer"),  # tinnitus
    ("pectoralis_major", "parasternal"),  # arrhythmia point
    ("soleus", "tp3"),  # sacroiliac referral
    ("gluteus_minimus", "posterior"),  # "55 of 70" figure
    ("gluteus_medius", "tp2"),  # Morton's foot
    ("piriformis", "lateral"),  # piriformis syndrome
    ("fibularis_longus", "tp1"),  # Morton's foot
]


@pytest.mark.parametrize(("muscle", "tp"), CONTESTED)
def test_fact_sheet_warnings_are_marked_contested(content: Content, muscle: str, tp: str) -> None:
    point = content.trigger_point(muscle, tp)
    assert point.contested and point.contested_note


def test_patient_text_is_short_and_plain(content: Content) -> None:
    for muscle, tp in content.trigger_points():
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", tp.patient_text) if s]
        longest = max(len(s.split()) for s in sentences)
        assert longest <= 25, f"{muscle.id}.{tp.id}: a {longest}-word sentence"
        assert len(tp.patient_text.split()) <= 60, f"{muscle.id}.{tp.id}: too long"


def test_adverse_event_figures(content: Content) -> None:
    studies = {s.source: s for s in content.general.adverse_events.studies}
    assert studies["brady_2014"].treatments == 7629
    assert studies["brady_2014"].any_minor_percent == pytest.approx(19.18)
    assert studies["boyce_2020"].treatments == 20464
    assert studies["boyce_2020"].any_minor_percent == pytest.approx(36.7)


# Every point the seed article makes, and words our general text must use for it
# (alternatives separated by "|"; matched case-insensitively).
SEED_POINTS = [
    ("thin needles go into trigger points in muscles", "what_is_dry_needling",
     ["thin", "solid", "trigger point", "muscle"]),
    ("the aims are less pain and more range of motion", "what_is_dry_needling",
     ["pain", "range of motion"]),
    ("it is used for musculoskeletal pain and dysfunction", "what_is_dry_needling",
     ["musculoskeletal", "movement problems"]),
    ("needles may target tight bands of muscle", "what_is_dry_needling", ["tight band"]),
    ("it is offered as one valuable option", "what_is_dry_needling", ["one option"]),
    ("it is said to release knots and reduce muscle tension", "how_it_may_work",
     ["knot", "tension"]),
    ("it is said to increase blood flow", "how_it_may_work", ["blood"]),
    ("a micro-injury is said to start a healing response", "how_it_may_work",
     ["tiny injury|micro-injury|micro-trauma", "healing"]),
    ("blood flow is said to bring oxygen and nutrients and remove waste", "how_it_may_work",
     ["oxygen", "nutrients", "waste"]),
    ("the needle is said to break up adhesions and scar tissue", "how_it_may_work",
     ["adhesions", "scar tissue"]),
    ("it is claimed to be more precise than stretches or exercise", "evidence",
     ["exercise", "stretching", "more precise"]),
    ("it is claimed to address the underlying cause", "evidence", ["underlying cause"]),
    ("benefits claimed: less pain, better motion and function", "evidence",
     ["pain", "function"]),
    ("physical therapists, chiropractors and other professionals use it", "who_performs_it",
     ["physiotherapist|physical therapist", "chiropractor", "doctor|physician"]),
    ("only qualified, specially trained professionals should do it", "who_performs_it",
     ["licensed|qualified", "training"]),
    ("a thorough assessment comes first to decide if it is appropriate", "who_performs_it",
     ["assessment", "examine", "suits your problem|appropriate"]),
    ("trigger points are hyperirritable spots in muscle", "trigger_points_explained",
     ["hyperirritable", "very sensitive"]),
    ("they cause local and referred pain, stiffness and less range of motion",
     "trigger_points_explained", ["referred pain", "stiffness", "range of motion"]),
    ("they occur in overused, injured or dysfunctional muscles", "trigger_points_explained",
     ["overused", "injured"]),
    ("dry needling is not acupuncture though both use needles", "dry_needling_vs_acupuncture",
     ["needle", "acupuncture"]),
    ("acupuncture is traditional Chinese medicine with energy flow in meridians",
     "dry_needling_vs_acupuncture", ["traditional chinese medicine", "meridians", "energy"]),
    ("dry needling rests on Western medicine", "dry_needling_vs_acupuncture", ["western"]),
    ("consult a qualified provider about whether it is right for you", "disclaimer",
     ["qualified health professional", "right for you"]),
]


def _section_text(content: Content, name: str) -> str:
    return str(getattr(content.general, name).model_dump()).lower()


@pytest.mark.parametrize(
    ("point", "section", "words"), SEED_POINTS, ids=[p[0] for p in SEED_POINTS]
)
def test_general_sections_cover_the_seed_article(
    content: Content, point: str, section: str, words: list[str]
) -> None:
    if not SEED_ARTICLE.exists():
        pytest.skip("../shared/reference is absent")
    text = _section_text(content, section)
    for word in words:
        assert any(alt in text for alt in word.split("|")), f"{section}: no {word!r} for: {point}"


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def test_no_sentence_of_the_seed_article_is_copied() -> None:
    if not SEED_ARTICLE.exists():
        pytest.skip("../shared/reference is absent")
    ours = " " + " ".join(_words(ANNOTATIONS.read_text(encoding="utf-8"))) + " "
    sentences = re.split(r"(?<=[.!?])\s+|\n+", SEED_ARTICLE.read_text(encoding="utf-8"))
    checked = 0
    for sentence in sentences:
        words = _words(sentence)
        if len(words) >= 8:
            checked += 1
            assert f" {' '.join(words)} " not in ours, f"copied from the article: {sentence!r}"
    assert checked >= 15


def test_no_ten_word_run_of_the_seed_article_is_copied() -> None:
    if not SEED_ARTICLE.exists():
        pytest.skip("../shared/reference is absent")
    theirs = _words(SEED_ARTICLE.read_text(encoding="utf-8"))
    ours = " " + " ".join(_words(ANNOTATIONS.read_text(encoding="utf-8"))) + " "
    runs = {" ".join(theirs[i : i + 10]) for i in range(len(theirs) - 9)}
    copied = sorted(run for run in runs if f" {run} " in ours)
    assert copied == []


def test_documented_example_record_is_valid_and_current(tmp_path: Path) -> None:
    """The example in docs/annotations.md loads, and matches the shipped record."""
    doc = (REPO / "docs" / "annotations.md").read_text(encoding="utf-8")
    section = doc[doc.index("## One full example record") :]
    example = section[section.index("```yaml\n") + 8 : section.index("```\n", 8)]
    shipped = ANNOTATIONS.read_text(encoding="utf-8")
    start, end = shipped.index("muscles:\n"), shipped.index("\ngeneral:\n")
    path = tmp_path / "annotations.yaml"
    rest = shipped[end:]  # the general sections, without the depth studies of other records
    rest = rest[: rest.index("\ndepth_studies:\n")] if "\ndepth_studies:\n" in rest else rest
    path.write_text(shipped[:start] + example + rest, encoding="utf-8")
    documented = load_content(path).muscles[0]
    real = load_content(ANNOTATIONS).muscle(documented.id)
    assert documented.model_copy(update={"trigger_points": []}) == real.model_copy(
        update={"trigger_points": []}
    )
    assert documented.trigger_points[0] == real.trigger_points[0]


def test_text_is_not_copied_from_the_fact_sheet(content: Content) -> None:
    """Our sentences paraphrase the fact sheet; no run of 10 words is lifted from it
    (citations in the bibliography excepted)."""
    facts = SEED_ARTICLE.parent / "trigger-point-facts.md"
    if not facts.exists():
        pytest.skip("../shared/reference is absent")
    theirs = _words(facts.read_text(encoding="utf-8"))
    runs = {" ".join(theirs[i : i + 10]) for i in range(len(theirs) - 9)}
    written = content.model_dump(exclude={"sources"})
    ours = " " + " ".join(_words(str(written))) + " "
    assert sorted(run for run in runs if f" {run} " in ours) == []


def test_general_patient_text_uses_short_sentences(content: Content) -> None:
    for name, section in content.general.sections():
        for sentence in re.split(r"(?<=[.!?])\s+", section.patient):
            assert len(sentence.split()) <= 25, f"{name}: {sentence!r}"
