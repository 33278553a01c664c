"""What tests use of the bench: its Bokeh session client and its in-process server thread."""

from __future__ import annotations

from .scripts import load_script

_client = load_script("bench/bokeh_session.py")
_server = load_script("bench/server_thread.py")

AtlasSession = _client.AtlasSession
SessionError = _client.SessionError
run_in_thread = _client.run_in_thread
ServerThread = _server.ServerThread

__all__ = ["AtlasSession", "ServerThread", "SessionError", "run_in_thread"]
