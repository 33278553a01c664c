"""Hostile content in the handout and the static site: no element or script it could run.

Each page is built twice, from clean and from hostile content; the hostile one may hold no
more scripts, images, frames, styles or links than the clean one, no payload attribute or
``javascript:`` URL, and every inline script must be one the page's Content-Security-Policy
allows by hash (so even a script that slipped in would not run).
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import re

import pytest
from support.hostile import MARK, dangerous_markup, scan, visible_text

from anatomy.export.handout import build_handout
from anatomy.export.site import export_site

CSP = re.compile(r'http-equiv="Content-Security-Policy" content="([^"]+)"')


def _csp_allows_only_its_inline_scripts(html: str) -> list[str]:
    policy = CSP.search(html)
    if policy is None:
        return ["no Content-Security-Policy"]
    directives = html_lib.unescape(policy.group(1)).split(";")
    script_src = next(d for d in directives if d.strip().startswith("script-src"))
    if "'unsafe-inline'" in script_src:
        return ["the policy allows any inline script"]
    problems = []
    for body in scan(html).inline_scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        if f"'sha256-{digest}'" not in script_src:
            problems.append(f"an inline script the policy does not list: {body[:60]!r}")
    return problems


@pytest.mark.parametrize(("mode", "one_tp"), [("patient", True), ("clinician", False)])
def test_handouts_show_hostile_text_as_text(tiny_atlas, hostile_atlas, mode, one_tp):
    muscle = tiny_atlas.content.muscles[0]
    tp = muscle.trigger_points[0].id if one_tp else None
    kwargs = {"side": "right", "mode": mode}
    clean = build_handout(tiny_atlas, muscle.id, tp, **kwargs)
    hostile = build_handout(hostile_atlas, muscle.id, tp, **kwargs)
    assert dangerous_markup(hostile, baseline=clean) == []
    assert _csp_allows_only_its_inline_scripts(hostile) == []
    assert "<script>window.__pwned='script'</script>" in visible_text(hostile)


def test_the_static_site_shows_hostile_text_as_text(tiny_atlas, hostile_atlas, tmp_path):
    clean_dir, hostile_dir = tmp_path / "clean", tmp_path / "hostile"
    export_site(tiny_atlas, clean_dir, mode="clinician")
    export_site(hostile_atlas, hostile_dir, mode="clinician")
    pages = sorted(p.relative_to(hostile_dir) for p in hostile_dir.rglob("*.html"))
    assert len(pages) >= 3  # the index and one page per muscle
    shown = 0
    for rel in pages:
        hostile = (hostile_dir / rel).read_text(encoding="utf-8")
        clean = (clean_dir / rel).read_text(encoding="utf-8")
        assert dangerous_markup(hostile, baseline=clean) == [], rel
        assert _csp_allows_only_its_inline_scripts(hostile) == [], rel
        shown += MARK in visible_text(hostile)
    assert shown == len(pages)  # the hostile text is on every page, as text
    for script in hostile_dir.rglob("*.js"):  # shared scripts carry no content text
        body = script.read_text(encoding="utf-8", errors="replace")
        assert "<script" not in body.lower() or MARK not in body, script
