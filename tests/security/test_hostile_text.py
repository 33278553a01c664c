"""Hostile content in the app's text: shown as text or stripped, never run.

Every free-text field of the synthetic atlas carries :data:`support.hostile.PAYLOAD` (a script tag,
``onerror``/``onclick``/``onload`` attributes, ``javascript:`` links in HTML and Markdown, an
iframe, a style tag). The browser half of this is ``tests/browser/test_isolation.py``.
"""

from __future__ import annotations

import pytest
from support.hostile import MARK, PAYLOAD, dangerous_markup, visible_text

from anatomy.session.deeplink import MODES
from anatomy.session.state import AtlasState
from anatomy.text import explainer
from anatomy.text import selection as text
from anatomy.ui.controls import literal_markdown


def test_the_payload_reached_every_kind_of_text_field(hostile_atlas):
    content = hostile_atlas.content
    muscle = content.muscles[0]
    tp = muscle.trigger_points[0]
    fields = [
        muscle.latin, muscle.common_name, muscle.patient_name, *muscle.actions, tp.name,
        tp.location, tp.patient_text, tp.clinician_text.palpation, tp.clinician_text.needling,
        *tp.symptoms, *tp.aggravating, *tp.self_care, *tp.red_flags,
        *(s.structure for s in tp.structures_at_risk),
        *(src.citation() for src in content.sources.values()),
        *(getattr(section, part) for _, section in content.general.sections()
          for part in ("title", "patient", "clinician")),
    ]  # fmt: skip
    assert all(PAYLOAD in field for field in fields)
    assert all("javascript:" in src.url for src in content.sources.values())


@pytest.mark.parametrize("mode", MODES)
def test_muscle_and_trigger_point_text_is_escaped_in_every_mode(hostile_atlas, mode):
    content = hostile_atlas.content
    for muscle in content.muscles:
        ids = ["", *(tp.id for tp in muscle.trigger_points)]
        pages = [text.selection_html(content, mode, muscle.id, tp_id) for tp_id in ids]
        for html in pages:
            assert dangerous_markup(html) == [], html[:300]
            # Escaped, not silently dropped: the reader sees the characters.
            assert "<script>window.__pwned='script'</script>" in visible_text(html)


@pytest.mark.parametrize("mode", MODES)
def test_the_explainer_and_disclaimer_strip_html_and_javascript_links(hostile_atlas, mode):
    content = hostile_atlas.content
    for html in (explainer.explainer_html(content, mode), explainer.disclaimer_html(content, mode)):
        assert dangerous_markup(html) == []
        assert 'href="javascript' not in html.lower()
    clinician = explainer.explainer_html(content, "clinician")
    assert MARK in visible_text(clinician)  # the citations are shown, as text


def test_lookup_results_and_sources_are_escaped(hostile_atlas):
    content = hostile_atlas.content
    hits = [{"label": PAYLOAD, "why": PAYLOAD}]
    assert dangerous_markup(text.lookup_html(hits)) == []
    html = text.sources_html(content, list(content.sources))
    assert dangerous_markup(html) == [] and "javascript:window.__pwned='url'" in visible_text(html)


def test_state_labels_carry_the_text_unchanged_for_plain_text_widgets(hostile_atlas):
    """Button labels and list entries are plain text in Bokeh; the state passes them as is."""
    state = AtlasState(hostile_atlas)
    muscle = hostile_atlas.content.muscles[0]
    state.select_muscle(muscle.id, "right")
    state.select_trigger_point(muscle.trigger_points[0].id)
    assert all(PAYLOAD in marker["label"] for marker in state.markers)
    assert dangerous_markup(state.detail_html()) == []


@pytest.mark.parametrize(
    "message",
    [
        "Unknown muscle '<img src=x onerror=\"window.__pwned=1\">' in the link; nothing selected.",
        PAYLOAD,
        "No muscle matches '[x](javascript:window.__pwned=1) <b onclick=\"window.__pwned=2\">'.",
        "back\\slash *stars* _under_ `code` # hash > quote",
    ],
)  # fmt: skip
def test_notices_render_as_literal_text_in_panels_markdown(message):
    """A notice quotes what a link held; Panel's Alert (Markdown) must not make it HTML."""
    import html as html_lib

    import panel as pn

    rendered = html_lib.unescape(
        pn.pane.Alert(literal_markdown(message))._transform_object(literal_markdown(message))[
            "object"
        ]
    )
    assert dangerous_markup(rendered) == [], rendered
    assert visible_text(rendered).strip() == message


def test_a_link_with_markup_in_it_gives_a_harmless_notice(hostile_atlas):
    state = AtlasState(hostile_atlas)
    problems = state.from_query(
        {"muscle": '<img src=x onerror="window.__pwned=1">', "mode": "<script>x</script>"}
    )
    assert len(problems) == 2 and state.mode == "patient" and state.muscle == ""
    import html as html_lib

    from anatomy.ui import controls

    alert = controls.notice(state)  # the pane the page shows the notice in
    rendered = html_lib.unescape(alert._transform_object(alert.object)["object"])
    assert dangerous_markup(rendered) == []
    assert "<img src=x" in visible_text(rendered)  # the reader sees what was wrong


def test_a_clinic_document_is_sanitised(tmp_path):
    doc = tmp_path / "clinic.md"
    doc.write_text(
        f"# Our clinic {PAYLOAD}\n\nParagraph {PAYLOAD}\n\n"
        "[a javascript link](javascript:window.__pwned=9) and [a real one](https://example.org)\n\n"
        "<div onclick=\"window.__pwned=10\">raw block html</div>\n\n"
        "| a | b |\n|---|---|\n| <img src=x onerror=\"window.__pwned=11\"> | x |\n",
        encoding="utf-8",
    )
    title, html = explainer.load_document(doc)
    assert dangerous_markup(html) == [], html
    assert 'href="https://example.org"' in html  # ordinary links survive
    assert title.startswith("Our clinic")  # a tab title is plain text in Bokeh
