"""Helpers for the accessibility browser tests: focus across shadow roots, targets, axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"

FOCUSED = """() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (!a) return null;
  const chain = [];
  for (let n = a; n; ) {
    chain.push(String(n.className || ''));
    const root = n.getRootNode();
    n = n.parentElement || (root && root.host) || null;
  }
  const cs = getComputedStyle(a);
  return {tag: a.tagName, text: (a.textContent || a.value || '').trim().slice(0, 80),
          chain: chain.join(' '), outline: cs.outlineStyle,
          outlineWidth: parseFloat(cs.outlineWidth)};
}"""

# Visible interactive elements smaller than 44 x 44 CSS px (the slider's target is its touch
# area, a checkbox's target is its whole row; a label of a text field is not a target).
SMALL_TARGETS = """() => {
  const out = [];
  const sel = 'button, select, input:not([type=checkbox]), textarea, a[href], [role=tab],'
    + ' .noUi-touch-area';
  const walk = (root) => {
    for (const el of root.querySelectorAll(sel)) {
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height || !el.checkVisibility({checkVisibilityCSS: true})) continue;
      const name = (el.textContent || '').trim().slice(0, 30);
      const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
      if (r.width < 44 || r.height < 44) out.push(`${el.tagName} "${name}" ${size}`);
    }
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      const cls = String(el.className || '');
      const row = /(^| )layer-/.test(cls) && el.getBoundingClientRect().height < 44;
      if (row) out.push(`checkbox row ${cls}`);
    }
  };
  walk(document);
  return out;
}"""

TEXT_OF = """(selector) => {
  const out = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll(selector)) {
      out.push(el.getAttribute('aria-label') || el.textContent);
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
  return out;
}"""

FONT_SIZE = """(selector) => {
  const out = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll(selector)) out.push(getComputedStyle(el).fontSize);
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
  return out;
}"""


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUSED) or {}


def tab_to(page: Any, want: Any, key: str = "Tab", limit: int = 120) -> dict[str, Any]:
    """Press ``key`` until ``want(focused)`` holds; return the focused element's description."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        info = focused(page)
        seen.append(info.get("text", "")[:20])
        if info and want(info):
            return info
    raise AssertionError(f"never reached the wanted control with {key}; saw {seen}")


def texts(page: Any, selector: str) -> list[str]:
    """aria-label or text of every element matching ``selector`` in any shadow root."""
    return list(page.evaluate(TEXT_OF, selector))


def axe_violations(page: Any, disabled: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Run the vendored axe-core on the page (open shadow roots included)."""
    page.add_script_tag(path=str(AXE))
    rules = {rule: {"enabled": False} for rule in (disabled or {})}
    return list(page.evaluate(
        """async (rules) => {
          const r = await axe.run(document, {resultTypes: ['violations'], rules});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => JSON.stringify(n.target))}));
        }""",
        rules,
    ))  # fmt: skip
