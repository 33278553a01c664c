"""``--lock-mode``: a locked session keeps its mode whatever a link or a caller asks.

The browser half (no mode switch on the page, ``?mode=clinician`` ignored) is in
``tests/browser/test_isolation.py``; the command-line half (options reach ``panel.serve``)
is at the end of this file.
"""

from __future__ import annotations

import argparse

import pytest

from anatomy.commands import serve
from anatomy.errors import AtlasError
from anatomy.session.state import AtlasState


@pytest.fixture
def locked(atlas):  # type: ignore[no-untyped-def]
    return AtlasState(atlas, mode="patient", mode_locked=True)


def test_a_link_cannot_switch_a_locked_session_to_clinician(locked):
    problems = locked.from_query({"mode": "clinician", "muscle": "upper_trapezius", "tp": "tp1"})
    assert locked.mode == "patient"
    assert any("locked to patient mode" in p for p in problems)
    assert "locked to patient mode" in locked.notice
    # The rest of the link still applies, in patient words.
    assert locked.muscle == "upper_trapezius" and locked.trigger_point == "tp1"
    tp = locked.content.trigger_point("upper_trapezius", "tp1")
    html = locked.detail_html()
    assert "Needling approach" not in html and tp.clinician_text.needling[:30] not in html


def test_a_link_as_tornado_gives_it_is_ignored_too(locked):
    locked.from_query({"mode": [b"clinician"], "cam": [b"posterior"]})
    assert locked.mode == "patient" and locked.camera == {"preset": "posterior"}


def test_a_link_in_the_locked_mode_gives_no_message(locked):
    assert locked.from_query({"mode": "patient"}) == []
    assert locked.from_query({"muscle": "upper_trapezius"}) == []
    assert locked.notice == ""


@pytest.mark.parametrize("how", ["attribute", "update"])
def test_code_cannot_change_a_locked_mode(locked, how):
    with pytest.raises(TypeError):
        if how == "attribute":
            locked.mode = "clinician"
        else:
            locked.param.update(mode="clinician")
    assert locked.mode == "patient"


def test_locking_one_session_leaves_the_others_free(atlas, locked):
    free = AtlasState(atlas, mode="patient")
    free.mode = "clinician"
    assert free.mode == "clinician" and locked.mode == "patient"
    assert free.from_query({"mode": "student"}) == [] and free.mode == "student"
    assert not AtlasState.param.mode.constant


def test_a_locked_student_session_keeps_student_mode(atlas):
    state = AtlasState(atlas, mode="student", mode_locked=True)
    assert state.from_query({"muscle": "upper_trapezius"}) == []
    assert state.mode == "student"
    state.start_practice()  # student features still work
    assert state.practice_active


# --- the command line --------------------------------------------------------------------
def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_serve_binds_to_loopback_and_does_not_lock_by_default(monkeypatch):
    for _opt, env, _help in serve._AUTH_OPTIONS:
        monkeypatch.delenv(env, raising=False)
    args = _args()
    assert args.address == "127.0.0.1" and not args.lock_mode
    assert serve.server_options(_args()) == {}


def test_login_and_proxy_options_reach_panel_serve(monkeypatch):
    monkeypatch.delenv("PANEL_COOKIE_SECRET", raising=False)
    args = _args(
        "--mode", "patient", "--lock-mode", "--basic-auth", "s3cret",
        "--cookie-secret", "c" * 32, "--use-xheaders",
        "--allow-websocket-origin", "clinic.example:8080",
    )  # fmt: skip
    assert args.lock_mode
    assert serve.server_options(args) == {
        "basic_auth": "s3cret", "cookie_secret": "c" * 32, "use_xheaders": True,
    }  # fmt: skip
    origins = serve.websocket_origins(args)
    assert "clinic.example:8080" in origins and "127.0.0.1:5006" in origins


def test_secrets_can_come_from_panels_environment_variables(monkeypatch):
    monkeypatch.setenv("PANEL_OAUTH_PROVIDER", "generic")
    monkeypatch.setenv("PANEL_OAUTH_KEY", "client-id")
    monkeypatch.setenv("PANEL_OAUTH_SECRET", "client-secret")
    monkeypatch.setenv("PANEL_COOKIE_SECRET", "k" * 32)
    opts = serve.server_options(_args())
    assert opts["oauth_provider"] == "generic" and opts["oauth_secret"] == "client-secret"
    assert opts["cookie_secret"] == "k" * 32


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--basic-auth", "pw"), "needs --cookie-secret"),
        (("--oauth-provider", "generic", "--cookie-secret", "x"), "needs --oauth-key"),
        (
            ("--basic-auth", "pw", "--oauth-provider", "generic", "--oauth-key", "k",
             "--oauth-secret", "s", "--cookie-secret", "x"),
            "not both",
        ),
    ],
)  # fmt: skip
def test_incomplete_login_options_are_refused_in_words(monkeypatch, argv, message):
    for _opt, env, _help in serve._AUTH_OPTIONS:
        monkeypatch.delenv(env, raising=False)
    with pytest.raises(AtlasError, match=message):
        serve.server_options(_args(*argv))


def test_session_lifetimes_reach_bokeh_in_milliseconds(monkeypatch):
    for _opt, env, _help in serve._AUTH_OPTIONS:
        monkeypatch.delenv(env, raising=False)
    opts = serve.server_options(
        _args("--unused-session-lifetime", "2000", "--check-unused-sessions", "500")
    )
    assert opts == {
        "unused_session_lifetime_milliseconds": 2000,
        "check_unused_sessions_milliseconds": 500,
    }
    with pytest.raises(AtlasError, match="milliseconds"):
        serve.server_options(_args("--unused-session-lifetime", "2"))


def test_serve_keeps_the_loaded_atlas_out_of_full_garbage_collections(tiny_files, monkeypatch):
    """A full collection walks ~200k startup objects (~0.1 s) unless they are frozen."""
    import gc

    from anatomy.cli import main

    annotations, meshes = tiny_files
    frozen = []
    monkeypatch.setattr("panel.serve", lambda *a, **k: frozen.append(gc.get_freeze_count()))
    try:
        assert main(["serve", "--annotations", str(annotations), "--meshes", str(meshes)]) == 0
    finally:
        gc.unfreeze()
    assert frozen and frozen[0] > 10_000
