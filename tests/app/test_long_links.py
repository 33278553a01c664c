"""Any query value, of any length or content, opens the default view with a notice (no 500).

Panel parses a page's query itself before the app sees it (digit strings become ``int``,
which Python refuses past 4,300 digits); the app drops overlong values before that.
"""

from __future__ import annotations

import urllib.request
from urllib.parse import quote

import pytest
from support.bench import AtlasSession, ServerThread, run_in_thread

from anatomy.session.deeplink import MAX_VALUE_CHARS, uri_without_long_values

TEN_KB = 10_000
LONG_QUERIES = {
    "digits": "cam=" + "7" * TEN_KB,  # Panel's int() of this raised: HTTP 500
    "digits in mode": "mode=" + "1" * TEN_KB + "&muscle=soleus",
    "long name": "x" * TEN_KB + "=5",
    "nested brackets": "muscle=" + quote("[" * TEN_KB),
    "json object": "opacity=" + quote("{" + '"a":' * (TEN_KB // 4) + "1" + "}"),
    "float": "cam=" + "1" * (TEN_KB - 2) + ".5",
    "unicode": "tp=" + quote("é" * (TEN_KB // 2)),
}


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("/", "/"),
        ("/?cam=anterior&mode=student", "/?cam=anterior&mode=student"),
        ("/?cam=" + "1" * 5000 + "&mode=student", "/?mode=student"),
        ("/app?" + "k" * 300 + "=1#top", "/app#top"),
        ("/?muscle=" + "a" * MAX_VALUE_CHARS, "/?muscle=" + "a" * MAX_VALUE_CHARS),
    ],
)
def test_uri_without_long_values(uri, expected):
    assert uri_without_long_values(uri) == expected


@pytest.fixture(scope="module")
def url(tiny_files):  # type: ignore[no-untyped-def]
    from anatomy.ui.server import prepare, session_app

    atlas, scene, _ = prepare(*tiny_files)
    server = ServerThread(lambda: session_app(atlas, scene), timeout=30)
    yield server.url
    server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("query", LONG_QUERIES.values(), ids=LONG_QUERIES.keys())
def test_a_10_kb_query_value_opens_the_default_view_with_a_notice(url, query):
    with urllib.request.urlopen(f"{url}?{query}", timeout=30) as page:
        assert page.status == 200

    async def session() -> None:
        s = AtlasSession(f"{url}?{query}", timeout=30)
        await s.open()
        try:
            s.find(text="too long")  # the notice says the parameter was ignored
            assert s.viewer
        finally:
            await s.close()

    run_in_thread(session)
