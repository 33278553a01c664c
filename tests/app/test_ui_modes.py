"""What each mode says: patients never see needling detail; clinicians see risk and sources."""

from __future__ import annotations

import pytest

from anatomy.errors import AtlasError
from anatomy.text.explainer import load_document

NEEDLING_MARKERS = ("SECRET-NEEDLING", "Needling approach", "Structures at risk", "risk-badge")


def _all_trigger_point_pages(state):
    for muscle, tp in state.content.trigger_points():
        state.select_trigger_point(tp.id, muscle.id)
        yield state.detail_html()


def test_patient_mode_shows_no_needling_detail_anywhere(state):
    state.mode = "patient"
    pages = [*_all_trigger_point_pages(state), state.explainer_html()]
    for page in pages:
        for marker in NEEDLING_MARKERS:
            assert marker not in page
    # ... and the clinician-level explainer text is not there either
    assert "without injectate" not in state.explainer_html()
    assert "Survey figures" not in state.explainer_html()


def test_patient_mode_has_plain_words_self_care_and_red_flags(state):
    state.mode = "patient"
    state.select_trigger_point("tp1", "soleus")
    page = state.detail_html()
    assert "Deep calf muscle (soleus)" in page
    assert "Things you can try" in page and "calf stretch" in page
    assert "See a doctor promptly if" in page and "calf swelling and warmth" in page
    assert "Musculus soleus" not in page  # no Latin for patients
    assert "This atlas is for learning" in state.disclaimer_html()


def test_clinician_mode_shows_needling_risk_badge_contested_note_and_citations(state):
    state.mode = "clinician"
    state.select_trigger_point("tp2", "upper_trapezius")
    page = state.detail_html()
    assert "SECRET-NEEDLING-TEXT-2" in page
    assert "Pneumothorax risk" in page and "risk-badge" in page
    assert "Contested:" in page and "described differently" in page
    assert "Simons DG, Travell JG, Simons LS (1999)" in page
    explainer = state.explainer_html()
    assert "<strong>without injectate</strong>" in explainer
    assert "7,629" in explainer and "bruising 7.55%" in explainer
    assert "Usually absolute" in explainer


def test_student_mode_has_latin_actions_and_referral_map_but_no_needling(state):
    state.mode = "student"
    state.select_trigger_point("tp1", "upper_trapezius")
    page = state.detail_html()
    assert "Musculus trapezius, pars descendens" in page and "raises the shoulder" in page
    assert "Essential zone" in page and "temple" in page and "angle of jaw" in page
    assert "SECRET-NEEDLING" not in page


def test_content_text_is_escaped(state, atlas):
    muscle = atlas.content.muscles[0]
    object.__setattr__(muscle, "latin", "<script>alert(1)</script>")  # frozen model: force it
    state.mode = "student"
    state.select_muscle(muscle.id)
    page = state.detail_html()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_document_is_rendered_as_sanitised_markdown(tmp_path):
    doc = tmp_path / "clinic.md"
    doc.write_text(
        "# Our clinic\n\nWe *explain* first.\n\n<script>alert(1)</script>\n\n"
        "[ok](https://example.org) [bad](javascript:alert(1)) ![img](http://x.invalid/a.png)\n",
        encoding="utf-8",
    )
    title, html = load_document(doc)
    assert title == "Our clinic"
    assert "<em>explain</em>" in html
    assert "<script" not in html and "&lt;script&gt;" in html  # shown as text, never run
    assert 'href="javascript' not in html and "<img" not in html
    assert 'href="https://example.org"' in html


@pytest.mark.parametrize(
    ("data", "match"),
    [(b"\xff\xfe bad", "not UTF-8"), (b"x" * 1_000_001, "limit is 1,000,000")],
)
def test_bad_documents_are_refused_with_the_file_named(tmp_path, data, match):
    doc = tmp_path / "bad.md"
    doc.write_bytes(data)
    with pytest.raises(AtlasError, match=match) as info:
        load_document(doc)
    assert "bad.md" in str(info.value)
    with pytest.raises(AtlasError, match="cannot read"):
        load_document(tmp_path / "missing.md")


def test_shipped_content_patient_mode_never_shows_clinical_text(shipped_atlas):
    from anatomy.session.state import AtlasState
    from anatomy.text.selection import esc

    state = AtlasState(shipped_atlas, mode="patient")
    explainer = state.explainer_html()
    for _key, section in state.content.general.sections():
        assert esc(section.clinician[:60]) not in explainer
        assert section.clinician[:60] not in explainer
    for muscle, tp in state.content.trigger_points():
        state.select_trigger_point(tp.id, muscle.id)
        page = state.detail_html()
        assert esc(tp.patient_text[:60]) in page
        assert esc(tp.clinician_text.needling[:60]) not in page
        assert esc(tp.clinician_text.palpation[:60]) not in page
        assert "Structures at risk" not in page and "risk-badge" not in page
        assert "Needling approach" not in page


def test_shipped_content_clinician_mode_shows_a_risk_badge_for_every_trigger_point(shipped_atlas):
    from anatomy.session.state import AtlasState
    from anatomy.text.selection import RISK_LABELS

    state = AtlasState(shipped_atlas, mode="clinician")
    for muscle, tp in state.content.trigger_points():
        state.select_trigger_point(tp.id, muscle.id)
        page = state.detail_html()
        assert f"risk-{tp.risk_class}" in page and RISK_LABELS[tp.risk_class][0] in page
        assert "Needling approach" in page and "Sources" in page


def test_patient_mode_names_pain_places_in_everyday_words(state):
    state.mode = "patient"
    state.select_trigger_point("tp1", "upper_trapezius")
    patient = state.detail_html()
    state.mode = "student"
    student = state.detail_html()
    assert "angle of the jaw" in patient and "angle of jaw" not in patient
    assert "angle of jaw" in student


def test_student_and_clinician_see_the_figure_the_zones_were_compared_against(shipped_atlas):
    from anatomy.session.state import AtlasState

    for mode in ("student", "clinician", "patient"):
        state = AtlasState(shipped_atlas, mode=mode)
        state.select_trigger_point("central", "infraspinatus")
        page = state.detail_html()
        if mode == "patient":
            assert "zones-checked" not in page  # no book references in the patient's words
        else:
            assert "Zones compared with Simons et al. 1999, pain-pattern drawing, p. 553" in page
    state = AtlasState(shipped_atlas, mode="student")
    state.select_trigger_point("tp1", "soleus")
    assert "not read off a print copy" in state.detail_html()  # the doubt is shown too
