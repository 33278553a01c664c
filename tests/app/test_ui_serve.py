"""``myoatlas serve`` checks the atlas first and refuses to start when it is invalid."""

from __future__ import annotations

import pytest
from synthetic_atlas import write_atlas

from anatomy.cli import main


@pytest.fixture(autouse=True)
def _bokeh_diagnostics_back_on():
    """Serving turns Bokeh's development checks off for the process; not for the tests."""
    from bokeh.settings import settings

    yield
    settings.perform_error_diagnostics.unset_value()
    settings.perform_document_validation.unset_value()


def test_serve_refuses_an_invalid_atlas_with_the_located_message(tmp_path, capsys, monkeypatch):
    annotations, meshes = write_atlas(tmp_path)
    text = annotations.read_text().replace("region: leg", "region: tail", 1)
    annotations.write_text(text)
    served = []
    monkeypatch.setattr("panel.serve", lambda *a, **k: served.append(a))
    status = main(["serve", "--annotations", str(annotations), "--meshes", str(meshes)])
    err = capsys.readouterr().err
    assert status == 2 and served == []
    assert "not starting" in err
    assert f"{annotations}:" in err and "region" in err


def test_serve_refuses_a_bad_document_and_a_bad_port(tiny_files, tmp_path, capsys, monkeypatch):
    annotations, meshes = tiny_files
    bad = tmp_path / "notes.md"
    bad.write_bytes(b"\xff\xfe not text")
    monkeypatch.setattr("panel.serve", lambda *a, **k: pytest.fail("must not serve"))
    args = ["serve", "--annotations", str(annotations), "--meshes", str(meshes)]
    assert main([*args, "--document", str(bad)]) == 2
    assert "notes.md" in capsys.readouterr().err
    assert main([*args, "--port", "70000"]) == 2
    assert "between 1 and 65535" in capsys.readouterr().err


def test_serve_starts_on_loopback_with_the_checked_atlas(tiny_files, capsys, monkeypatch):
    annotations, meshes = tiny_files
    calls = []
    monkeypatch.setattr("panel.serve", lambda app, **kw: calls.append((app, kw)))
    args = ["serve", "--annotations", str(annotations), "--meshes", str(meshes), "--port", "5999"]
    assert main([*args, "--mode", "clinician"]) == 0
    ((_app, kw),) = calls
    assert kw["address"] == "127.0.0.1" and kw["port"] == 5999 and kw["show"] is False
    assert "http://127.0.0.1:5999/" in capsys.readouterr().out


def test_serve_turns_off_bokehs_development_checks_unless_asked_to_keep_them(caplog):
    from bokeh.document import Document
    from bokeh.embed.util import OutputDocumentFor
    from bokeh.models import Column, Div
    from bokeh.settings import settings

    from anatomy.ui.server import skip_bokeh_checks

    def wrong(attr):  # a property callback takes (attr, old, new)
        return None

    def validation_warnings() -> list[str]:
        caplog.clear()
        doc = Document()
        doc.add_root(Column(children=[Div(), Div()], sizing_mode="fixed"))  # a layout warning
        with OutputDocumentFor(doc.roots):
            pass
        return [r.getMessage() for r in caplog.records if "W-" in r.getMessage()]

    try:
        kept = {"BOKEH_PERFORM_ERROR_DIAGNOSTICS": "1", "BOKEH_VALIDATE_DOC": "1"}
        assert skip_bokeh_checks(kept) == []
        assert settings.perform_error_diagnostics() is True
        with pytest.raises(ValueError, match="signature"):
            Div().on_change("text", wrong)
        assert validation_warnings()
        assert skip_bokeh_checks({"BOKEH_VALIDATE_DOC": "1"}) == ["perform_error_diagnostics"]
        assert settings.perform_document_validation() is True
        assert skip_bokeh_checks({}) == ["perform_error_diagnostics", "perform_document_validation"]
        assert settings.perform_error_diagnostics() is False
        Div().on_change("text", wrong)  # no signature inspection any more
        assert validation_warnings() == []  # nor validation
    finally:
        settings.perform_error_diagnostics.unset_value()
        settings.perform_document_validation.unset_value()
    assert settings.perform_error_diagnostics() is True
    assert settings.perform_document_validation() is True
