"""The app's Handout button: the file of the current selection, its name, its state."""

from __future__ import annotations

import pytest

from anatomy.errors import AtlasError
from anatomy.session.state import AtlasState
from anatomy.ui.handout_button import handout_button, handout_bytes


def test_button_follows_the_selection_and_builds_its_handout(tiny_atlas) -> None:  # type: ignore[no-untyped-def]
    state = AtlasState(tiny_atlas, mode="clinician")
    button = handout_button(state)
    assert button.disabled
    with pytest.raises(AtlasError, match="select a muscle"):
        handout_bytes(state)
    state.select_muscle("soleus", "left")
    state.select_trigger_point("tp1")
    assert not button.disabled
    assert button.filename == "handout-soleus-tp1-left-clinician.html"
    html = button.callback().getvalue().decode()
    assert "Soleus: Central point" in html and "Left side" in html
    assert "Teaching-level text" in html  # clinician text
    state.mode = "patient"
    assert button.filename.endswith("-patient.html")
    assert "Teaching-level text" not in handout_bytes(state).getvalue().decode()
    state.clear_selection()
    assert button.disabled
    assert button.callback() is None and "select a muscle" in state.notice
