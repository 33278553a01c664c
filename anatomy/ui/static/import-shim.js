// Panel's ES-module components load their module with importShim() from es-module-shims, a
// polyfill for import maps. The atlas's modules import nothing, so the browser's own dynamic
// import() does the same job without es-module-shims' start-up (~0.25 s of script time
// before Bokeh loads). anatomy.ui.pagescripts drops es-module-shims from the page; this stands in.
if (!window.importShim) {
  window.importShim = (url) => import(new URL(url, document.baseURI).href);
  window.importShim.addImportMap = () => {};
}
