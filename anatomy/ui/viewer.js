// The atlas's 3D view: Panel's bundled vtk.js (global `vtk`, loaded by pn.extension('vtk'))
// driven directly. Geometry arrives once as one binary buffer; every later change is a small
// param message. See anatomy/ui/viewer.py for the Python side and the param contract.

const CLICK_SLOP_PX = 3;            // a press-release that moves more than this is a rotate
const CAMERA_SETTLE_MS = 250;       // camera is sent back this long after the last movement
const MARKER_RADIUS = 0.011;        // metres
const MARKER_RADIUS_SELECTED = 0.016;

function stats() {
  if (!window.__myoatlas) window.__myoatlas = {viewers: []};
  return window.__myoatlas;
}

function waitForVtk(timeoutMs) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const poll = () => {
      if (window.vtk && window.vtk.Rendering) return resolve(window.vtk);
      if (performance.now() - start > timeoutMs) {
        return reject(new Error("vtk.js is not loaded: call pn.extension('vtk') in the app"));
      }
      setTimeout(poll, 20);
    };
    poll();
  });
}

function asArrayBuffer(value) {
  if (!value) return null;
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value)) {
    return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  }
  if (value.buffer instanceof ArrayBuffer) return value.buffer;  // bokeh Buffer wrappers
  return null;
}

function vertexIds(value) {
  const buf = asArrayBuffer(value);
  return buf && buf.byteLength >= 4 ? new Uint32Array(buf, 0, buf.byteLength >> 2) : new Uint32Array(0);
}

function to255(rgb) { return rgb.map((c) => Math.max(0, Math.min(255, Math.round(c * 255)))); }

function buildPolyData(vtk, buffer, rec) {
  const n = rec.counts.points, m = rec.counts.triangles;
  const points = new Float32Array(buffer, rec.offsets.points, n * 3);
  const normals8 = new Int8Array(buffer, rec.offsets.normals, n * 3);
  const IndexArray = rec.index_type === 'uint16' ? Uint16Array : Uint32Array;
  const tris = new IndexArray(buffer, rec.offsets.indices, m * 3);
  const cells = new Uint32Array(m * 4);
  for (let i = 0, j = 0, k = 0; i < m; i++) {
    cells[j++] = 3; cells[j++] = tris[k++]; cells[j++] = tris[k++]; cells[j++] = tris[k++];
  }
  const normals = new Float32Array(n * 3);
  for (let i = 0; i < normals.length; i++) normals[i] = normals8[i] / 127;
  const pd = vtk.Common.DataModel.vtkPolyData.newInstance();
  pd.getPoints().setData(points, 3);
  pd.getPolys().setData(cells);
  pd.getPointData().setNormals(vtk.Common.Core.vtkDataArray.newInstance({
    name: 'Normals', numberOfComponents: 3, values: normals,
  }));
  return pd;
}

export async function render({model, el}) {
  const vtk = await waitForVtk(15000);
  const t_start = performance.now();
  const record = {id: model.viewer_id || `viewer${stats().viewers.length}`, ready: false,
                  renders: 0, firstFrameMs: null, events: [], picks: [], lastClick: null};
  stats().viewers.push(record);

  el.style.position = 'relative';
  el.style.width = '100%';
  el.style.height = '100%';
  const container = document.createElement('div');
  Object.assign(container.style, {position: 'absolute', inset: '0', overflow: 'hidden'});
  container.className = 'myoatlas-canvas';
  el.appendChild(container);

  const grw = vtk.Rendering.Misc.vtkGenericRenderWindow.newInstance({
    background: model.colours.background || [1, 1, 1], listenWindowResize: false,
  });
  grw.setContainer(container);
  grw.resize();
  const renderer = grw.getRenderer();
  const renderWindow = grw.getRenderWindow();
  const interactor = grw.getInteractor();
  const gl = () => grw.getApiSpecificRenderWindow().getContext && grw.getApiSpecificRenderWindow().getContext();

  // Render now and note when the frame is really drawn (a 1-pixel read flushes the pipeline).
  function draw(what, t_received) {
    renderWindow.render();
    const ctx = gl();
    if (ctx) ctx.readPixels(0, 0, 1, 1, ctx.RGBA, ctx.UNSIGNED_BYTE, new Uint8Array(4));
    const t = performance.now();
    record.renders += 1;
    el.dataset.renders = String(record.renders);
    if (what) {
      const ev = {what, ms: t - t_received, at: t};
      if (record.lastClick !== null) ev.sinceClick = t - record.lastClick;
      record.events.push(ev);
      if (record.events.length > 500) record.events.shift();
    }
  }

  // ---- actors from the shared buffer -------------------------------------------------------
  const actors = {};      // id -> {actor, mapper, rec, polydata}
  let skin = null;        // {actor, mapper, rec, polydata, colours: Uint8Array RGBA}
  const buffer = asArrayBuffer(model.geometry);
  for (const rec of (buffer ? model.actors : [])) {
    const pd = buildPolyData(vtk, buffer, rec);
    const mapper = vtk.Rendering.Core.vtkMapper.newInstance();
    mapper.setInputData(pd);
    const actor = vtk.Rendering.Core.vtkActor.newInstance();
    actor.setMapper(mapper);
    const prop = actor.getProperty();
    prop.setColor(...rec.colour);
    prop.setSpecular(rec.kind === 'skin' ? 0.1 : 0.25);
    prop.setSpecularPower(20);
    renderer.addActor(actor);
    const entry = {actor, mapper, rec, polydata: pd};
    actors[rec.id] = entry;
    if (rec.kind === 'skin' && !skin) {
      const colours = new Uint8Array(rec.counts.points * 4);
      const arr = vtk.Common.Core.vtkDataArray.newInstance({
        name: 'zone', numberOfComponents: 4, values: colours,
      });
      pd.getPointData().setScalars(arr);
      mapper.setColorModeToDirectScalars();
      mapper.setScalarModeToUsePointData();
      mapper.setScalarVisibility(true);
      skin = {...entry, colours, array: arr, painted: new Uint32Array(0)};
    }
  }

  // ---- skin colours (base + zone paint, alpha carries the skin opacity) -------------------
  function skinAlpha() { return Math.round(255 * Math.max(0, Math.min(1, model.skin_opacity))); }
  function paintSkin() {
    if (!skin) return;
    const base = to255(skin.rec.colour), a = skinAlpha(), c = skin.colours;
    for (let i = 0; i < c.length; i += 4) { c[i] = base[0]; c[i + 1] = base[1]; c[i + 2] = base[2]; c[i + 3] = a; }
    const pal = model.colours;
    const layers = [[vertexIds(model.zone_spillover), to255(pal.spillover)],
                    [vertexIds(model.zone_essential), to255(pal.essential)]];
    for (const [ids, rgb] of layers) {
      for (let k = 0; k < ids.length; k++) {
        const o = ids[k] * 4;
        if (o + 3 >= c.length) continue;
        c[o] = rgb[0]; c[o + 1] = rgb[1]; c[o + 2] = rgb[2]; c[o + 3] = 255;
      }
    }
    skin.array.modified();
    skin.polydata.modified();
  }

  // ---- colours, visibility, pickability -------------------------------------------------
  const LAYER_PARAMS = {skin: ['show_skin', 'skin_opacity'], skeleton: ['show_skeleton', 'skeleton_opacity'],
                        muscles: ['show_muscles', 'muscle_opacity']};
  function isHighlighted(rec) {
    const hl = model.highlight || [];
    return hl.includes(rec.id) || (rec.muscle !== null && hl.includes(rec.muscle));
  }
  function applyAppearance() {
    const pal = model.colours;
    const anyHighlight = (model.highlight || []).length > 0;
    for (const {actor, rec} of Object.values(actors)) {
      const [showKey, opacityKey] = LAYER_PARAMS[rec.layer] || [null, null];
      const shown = showKey ? Boolean(model[showKey]) : true;
      let opacity = opacityKey ? model[opacityKey] : 1;
      const prop = actor.getProperty();
      if (rec.kind === 'muscle') {
        if (!anyHighlight) prop.setColor(...rec.colour);
        else if (isHighlighted(rec)) { prop.setColor(...pal.highlight); opacity = 1; }
        else prop.setColor(...pal.dimmed);
      }
      if (rec.kind === 'skin') {
        prop.setOpacity(1);  // the skin's opacity lives in its per-vertex alpha
      } else {
        prop.setOpacity(opacity);
      }
      const visible = shown && opacity > 0.02;
      actor.setVisibility(visible);
      const pickable = rec.kind === 'skin' ? model.pick_mode === 'skin' : model.pick_mode === 'select';
      actor.setPickable(visible && pickable);
    }
    for (const m of Object.values(markerActors)) m.actor.setPickable(model.pick_mode === 'select');
  }

  // ---- trigger-point markers ----------------------------------------------------------------
  const markerActors = {};  // marker id -> {actor, spec}
  function applyMarkers() {
    for (const m of Object.values(markerActors)) renderer.removeActor(m.actor);
    for (const k of Object.keys(markerActors)) delete markerActors[k];
    const pal = model.colours;
    for (const spec of (model.markers || [])) {
      const source = vtk.Filters.Sources.vtkSphereSource.newInstance({
        center: spec.position, radius: spec.selected ? MARKER_RADIUS_SELECTED : MARKER_RADIUS,
        thetaResolution: 20, phiResolution: 14,
      });
      const mapper = vtk.Rendering.Core.vtkMapper.newInstance();
      mapper.setInputConnection(source.getOutputPort());
      const actor = vtk.Rendering.Core.vtkActor.newInstance();
      actor.setMapper(mapper);
      actor.getProperty().setColor(...(spec.selected ? pal.marker_selected : pal.marker));
      actor.getProperty().setSpecular(0.4);
      actor.setPickable(model.pick_mode === 'select');
      renderer.addActor(actor);
      markerActors[spec.id] = {actor, spec};
    }
  }

  // ---- camera both ways -----------------------------------------------------------------------
  let applyingCamera = false, cameraTimer = null;
  function applyCamera() {
    const cam = model.camera;
    if (!cam || !cam.position) return false;
    applyingCamera = true;
    const c = renderer.getActiveCamera();
    c.setPosition(...cam.position);
    c.setFocalPoint(...cam.focal_point);
    c.setViewUp(...cam.view_up);
    if (cam.view_angle) c.setViewAngle(cam.view_angle);
    renderer.resetCameraClippingRange();
    applyingCamera = false;
    return true;
  }
  renderer.getActiveCamera().onModified(() => {
    if (applyingCamera) return;
    clearTimeout(cameraTimer);
    cameraTimer = setTimeout(() => {
      const c = renderer.getActiveCamera();
      const r = (v) => Array.from(v, (x) => Math.round(x * 1e5) / 1e5);
      model.camera = {position: r(c.getPosition()), focal_point: r(c.getFocalPoint()),
                      view_up: r(c.getViewUp()), view_angle: c.getViewAngle()};
    }, CAMERA_SETTLE_MS);
  });

  // ---- picking: a click (not a drag) picks the nearest pickable actor ---------------------
  const picker = vtk.Rendering.Core.vtkCellPicker.newInstance();
  picker.setPickFromList(false);
  picker.setTolerance(0);
  let press = null;
  interactor.onLeftButtonPress((e) => { press = {x: e.position.x, y: e.position.y}; });
  interactor.onLeftButtonRelease((e) => {
    if (!press) return;
    const moved = Math.hypot(e.position.x - press.x, e.position.y - press.y);
    press = null;
    if (moved > CLICK_SLOP_PX * (window.devicePixelRatio || 1)) return;
    const t0 = performance.now();
    record.lastClick = t0;
    picker.pick([e.position.x, e.position.y, 0], renderer);
    const picked = picker.getActors();
    const t1 = performance.now();
    let result = {kind: 'none', id: null, position: null, vertex: null};
    if (picked.length) {
      const actor = picked[0];
      const position = Array.from(picker.getPickedPositions()[0] || picker.getPickPosition());
      const marker = Object.values(markerActors).find((m) => m.actor === actor);
      const mesh = Object.values(actors).find((a) => a.actor === actor);
      if (marker) result = {kind: 'marker', id: marker.spec.id, position, vertex: null};
      else if (mesh) {
        result = {kind: mesh.rec.kind, id: mesh.rec.id, muscle: mesh.rec.muscle, side: mesh.rec.side,
                  position, vertex: null};
        if (mesh.rec.kind === 'skin') result.vertex = nearestVertex(mesh, picker.getCellId(), position);
      }
    }
    result.n = record.picks.length + 1;
    result.pick_ms = Math.round((t1 - t0) * 100) / 100;
    result.client_time = performance.timeOrigin + t1;
    record.picks.push(result);
    el.dataset.lastPick = `${result.kind}:${result.id}`;
    model.pick = result;
  });
  function nearestVertex(mesh, cellId, p) {
    if (cellId < 0) return null;
    const cells = mesh.polydata.getPolys().getData();
    const pts = mesh.polydata.getPoints().getData();
    let best = null, bestD = Infinity;
    for (let k = 1; k <= 3; k++) {
      const v = cells[cellId * 4 + k];
      const d = (pts[3 * v] - p[0]) ** 2 + (pts[3 * v + 1] - p[1]) ** 2 + (pts[3 * v + 2] - p[2]) ** 2;
      if (d < bestD) { bestD = d; best = v; }
    }
    return best;
  }

  // ---- param changes -----------------------------------------------------------------------
  const on = (names, fn) => names.forEach((n) => model.on(`change:${n}`, () => {
    if (!record.ready) return;
    const t = performance.now(); fn(); draw(n, t);
  }));
  on(['show_skin', 'show_skeleton', 'show_muscles', 'skeleton_opacity', 'muscle_opacity',
      'highlight', 'pick_mode'], applyAppearance);
  on(['skin_opacity', 'zone_essential', 'zone_spillover', 'colours'], () => { paintSkin(); applyAppearance(); applyMarkers(); });
  on(['markers'], applyMarkers);
  on(['camera'], applyCamera);

  const resize = () => { if (record.ready) { grw.resize(); draw(null, 0); } };
  const observer = new ResizeObserver(() => resize());
  observer.observe(el);
  model.on('resize', resize);
  model.on('remove', () => {
    observer.disconnect();
    clearTimeout(cameraTimer);
    grw.delete();
    const list = stats().viewers;
    const i = list.indexOf(record);
    if (i >= 0) list.splice(i, 1);
  });

  function firstFrame() {
    grw.resize();
    paintSkin();
    applyAppearance();
    applyMarkers();
    if (!applyCamera()) renderer.resetCamera();
    record.ready = true;
    draw(null, 0);
    record.firstFrameMs = performance.now() - t_start;
    record.firstFrameAt = performance.now();
    el.dataset.ready = '1';
  }
  // The container needs its size before the first render; wait for layout, then draw once.
  const waitForSize = () => {
    if (record.ready) return;
    if (el.clientWidth > 0 && el.clientHeight > 0) firstFrame();
    else requestAnimationFrame(waitForSize);
  };
  requestAnimationFrame(waitForSize);
}
