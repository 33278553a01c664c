// The page's live region (anatomy.ui.a11y.LiveRegion): announcements, the viewport meta tag,
// accessible names for Bokeh's checkboxes and sliders. Served as written (Panel _bundle).
export function render({model, el}) {
  if (!document.querySelector('meta[name="viewport"]')) {
    const meta = document.createElement('meta');
    meta.name = 'viewport';
    meta.content = 'width=device-width, initial-scale=1';
    document.head.appendChild(meta);
  }
  const region = document.createElement('div');
  region.className = 'sr-only';
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  region.setAttribute('aria-atomic', 'true');
  el.appendChild(region);
  const say = () => { region.textContent = model.message; };
  model.on('change:message', say);
  say();
  // Bokeh's checkboxes and sliders have no accessible name: name them after their visible
  // label, in every shadow root, whenever widgets are (re)drawn.
  const nameWidgets = (root) => {
    for (const box of root.querySelectorAll('input[type="checkbox"]:not([aria-label])')) {
      const label = box.parentNode.querySelector('.bk-label');
      const text = label ? label.textContent.trim() : '';
      if (text) box.setAttribute('aria-label', text);
    }
    for (const handle of root.querySelectorAll('[role="slider"]:not([aria-label])')) {
      const title = root.querySelector('.bk-slider-title');
      const text = title ? title.textContent.split(':')[0].trim() : '';
      if (text) handle.setAttribute('aria-label', text);
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) nameWidgets(el.shadowRoot);
  };
  // The whole atlas page is the document's main landmark.
  const page = document.querySelector('.myoatlas');
  if (page && !page.getAttribute('role')) page.setAttribute('role', 'main');
  const timer = setInterval(() => nameWidgets(document), 1500);
  setTimeout(() => nameWidgets(document), 300);
  model.on('remove', () => clearInterval(timer));
}
