// The atlas's 3D view: the app's small vtk.js build (window.myoatlasVtk, static/vtk-lite.js)
// driven directly. Geometry arrives once as one binary buffer; every later change is a small
// param message. See anatomy/ui/viewer.py for the Python side and the param contract, and
// static/myoatlas_core.js (shared with exported pages) for geometry, actors, zones, markers.

const CLICK_SLOP_PX = 3;            // a press-release that moves more than this is a rotate
const TOUCH_SLOP_PX = 10;           // the same for a finger (or pen) tap, which wanders more
const CAMERA_SETTLE_MS = 250;       // camera is sent back this long after the last movement

const {meshArrays, mergeMeshes, buildPolyData, meshActor, muscleColour, markerActor, skinZones,
       partOf, rayMesh, rayBox, raySphere, needleOverlay} = window.myoatlasCore;

function stats() {
  if (!window.__myoatlas) window.__myoatlas = {viewers: []};
  return window.__myoatlas;
}

function waitForVtk(timeoutMs) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const poll = () => {
      if (window.myoatlasVtk) return resolve(window.myoatlasVtk);
      if (performance.now() - start > timeoutMs) {
        return reject(new Error('vtk.js (static/vtk-lite.js of anatomy.ui) did not load'));
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

// Software WebGL (SwiftShader, llvmpipe: a browser with no GPU acceleration) shades every
// sample of a multisampled frame on the CPU; with WebGL's default 4x multisampling the body's
// first frame took ~0.5 s to draw on two cores. There the view is drawn without it (edges a
// little jagged); with a GPU it keeps its anti-aliasing.
function softwareRenderer() {
  try {
    const probe = document.createElement('canvas');
    const gl = probe.getContext('webgl2') || probe.getContext('webgl');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    const lose = gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();
    return /swiftshader|llvmpipe|softpipe|software/i.test(name) ? name : null;
  } catch (e) {
    return null;
  }
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
  // Screen readers: the canvas is one image whose name says what it shows (anatomy.ui.a11y).
  container.setAttribute('role', 'img');
  const describe = () => container.setAttribute('aria-label', model.description || '3D view of the body');
  describe();
  model.on('change:description', describe);
  container.style.touchAction = 'none';  // a drag or pinch on the view turns the body, not the page

  record.software = softwareRenderer();
  record.multisample = !record.software;
  // vtk.js creates its WebGL context while the render window is made: for that moment only,
  // canvases ask for a context without multisampling on software WebGL (see above).
  const getContext = HTMLCanvasElement.prototype.getContext;
  if (record.software) {
    HTMLCanvasElement.prototype.getContext = function (type, options) {
      return getContext.call(this, type, {...(options || {}), antialias: false});
    };
  }
  let grw;
  try {
    grw = vtk.Rendering.Misc.vtkGenericRenderWindow.newInstance({
      background: model.colours.background || [1, 1, 1], listenWindowResize: false,
    });
    grw.setContainer(container);
  } finally {
    HTMLCanvasElement.prototype.getContext = getContext;
  }
  grw.resize();
  const renderer = grw.getRenderer();
  const renderWindow = grw.getRenderWindow();
  const interactor = grw.getInteractor();
  const gl = () => grw.getApiSpecificRenderWindow().getContext && grw.getApiSpecificRenderWindow().getContext();
  // vtk.js draws translucent actors with order-independent transparency when the context can
  // render to float textures; that pass re-draws every opaque actor into its own depth buffer
  // and blends at half-float precision: on software WebGL it made each frame ~4x slower. The
  // translucent surfaces here are closed, nested and drawn with their back faces culled (the
  // lungs inside the pleura inside the skin), and their actors are made innermost first, so
  // plain alpha blending in that order (vtk.js's own fallback when float targets are missing)
  // looks the same.
  if (model.fast_translucency) {
    const ctx = gl();
    if (ctx) {
      const getExtension = ctx.getExtension.bind(ctx);
      ctx.getExtension = (name) => (/^EXT_color_buffer_(half_)?float$/.test(name) ? null : getExtension(name));
    }
  }

  // Render now; note when the render was submitted (`applied`) and, through a WebGL2 fence
  // polled without blocking, when the GPU (software WebGL: the CPU) finished it (`drawn`).
  function whenDrawn(done) {
    const ctx = gl();
    if (!ctx || !ctx.fenceSync) { requestAnimationFrame(() => done(performance.now())); return; }
    const fence = ctx.fenceSync(ctx.SYNC_GPU_COMMANDS_COMPLETE, 0);
    ctx.flush();
    const poll = () => {
      if (ctx.getSyncParameter(fence, ctx.SYNC_STATUS) === ctx.SIGNALED) {
        ctx.deleteSync(fence);
        done(performance.now());
      } else setTimeout(poll, 1);
    };
    poll();
  }
  function draw(what, t_received) {
    renderWindow.render();
    const t_applied = performance.now();
    record.renders += 1;
    el.dataset.renders = String(record.renders);
    if (!what) return;
    const ev = {what, applied: t_applied - t_received, at: t_applied};
    if (record.lastClick !== null && t_applied - record.lastClick < 5000) ev.sinceClick = t_applied - record.lastClick;
    record.events.push(ev);
    if (record.events.length > 500) record.events.shift();
    whenDrawn((t) => {
      ev.drawn = t - t_received;
      if (ev.sinceClick !== undefined) ev.drawnSinceClick = t - record.lastClick;
    });
  }

  // ---- actors from the shared buffer -------------------------------------------------------
  const actors = {};      // id -> {actor, mapper, rec, polydata}
  let skin = null;        // the skin's entry (it is picked for "where does it hurt")
  const t_build = performance.now();
  const buffer = asArrayBuffer(model.geometry);
  const recs = buffer ? model.actors : [];
  // The bones are one actor, and so are the muscles: every actor costs each render WebGL
  // calls and its first frame vtk.js setup (~1-2 ms each; 100 muscles took ~0.2 s of the
  // first frame). A highlighted muscle is drawn again on top by an actor of its own.
  const bones = recs.filter((r) => r.kind === 'bone');
  const muscles = recs.filter((r) => r.kind === 'muscle');
  const merged = (r) => (r.kind === 'bone' && bones.length >= 2) || (r.kind === 'muscle' && muscles.length >= 2);
  const meshes = recs.filter((r) => !merged(r))
    .map((rec) => ({rec, arrays: meshArrays(buffer, rec), parts: null}));
  if (bones.length >= 2) meshes.push(mergeMeshes(buffer, bones, 'skeleton'));
  if (muscles.length >= 2) meshes.push(mergeMeshes(buffer, muscles, 'muscles'));
  // Translucent actors blend in the order they were made: innermost first (the manifest's
  // `draw`: the lungs, the pleura, ..., the skin last).
  meshes.sort((a, b) => (a.rec.draw ?? 0) - (b.rec.draw ?? 0));
  for (const {rec, arrays, parts} of meshes) {
    const pd = buildPolyData(vtk, arrays, rec);
    const {actor, mapper} = meshActor(vtk, renderer, pd, rec);
    const entry = {actor, mapper, rec, parts, polydata: pd, ...arrays};
    actors[rec.id] = entry;
    if (rec.kind === 'skin' && !skin) skin = entry;
  }

  // ---- referral zones: an overlay of the skin triangles they touch -------------------------
  const zone = skin ? skinZones(vtk, renderer, skin, {overlay: true}) : null;
  // Paints the given vertex ids (a marker click, before Python answers), else the model's
  // zones: a shown marker's marker_zones when zone_marker names one, else the zone bytes.
  function paintZone(essential = null, spillover = null) {
    if (!zone) return;
    const named = model.zone_marker && (model.marker_zones || {})[model.zone_marker];
    if (essential) zone.paint(essential, spillover || [], model.colours);
    else if (named) zone.paint(named.essential || [], named.spillover || [], model.colours);
    else zone.paint(vertexIds(model.zone_essential), vertexIds(model.zone_spillover), model.colours);
  }
  record.zoneColour = zone && zone.zoneColour;  // for tests

  // ---- a depth profile's needle line, drawn over the body ----------------------------------
  let needle = null;  // made at the first needle
  function applyNeedle() {
    if (!needle && !model.needle) return;
    if (!needle) needle = needleOverlay(vtk, renderWindow, renderer);
    record.needleShown = needle.update(model.needle);
  }
  record.needleShown = false;

  // ---- highlighted muscles of the merged muscles: drawn again, just in front, in their colour --
  const partEntry = {};   // mesh id -> the merged entry holding it (muscles, skeleton)
  for (const entry of Object.values(actors)) for (const part of entry.parts || []) partEntry[part.rec.id] = entry;
  const highlightActors = {};  // muscle mesh id -> {actor}, made at its first highlight, kept
  function highlightActor(rec) {
    if (highlightActors[rec.id]) return highlightActors[rec.id];
    const {actor, mapper} = meshActor(vtk, renderer, buildPolyData(vtk, meshArrays(buffer, rec), rec), rec);
    mapper.setResolveCoincidentTopology(true);  // wins the depth test over its merged copy
    mapper.setRelativeCoincidentTopologyPolygonOffsetParameters(-1, -1);
    actor.setPickable(false);  // picks go to the merged mesh, which names the same muscle
    highlightActors[rec.id] = {actor, rec};
    return highlightActors[rec.id];
  }

  // ---- colours, visibility, pickability -------------------------------------------------
  const LAYER_PARAMS = {skin: ['show_skin', 'skin_opacity'], skeleton: ['show_skeleton', 'skeleton_opacity'],
                        muscles: ['show_muscles', 'muscle_opacity'], pleura: ['show_pleura', 'pleura_opacity']};
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
      // the layer's opacity, times the actor's own relative opacity (the lung over its pleura)
      let opacity = Math.min(1, (opacityKey ? model[opacityKey] : 1) * (rec.opacity ?? 1));
      const prop = actor.getProperty();
      if (rec.kind === 'muscle') {
        const mine = isHighlighted(rec);
        prop.setColor(...muscleColour(rec, mine, anyHighlight, pal));
        if (anyHighlight && mine) opacity = 1;
      }
      prop.setOpacity(opacity);
      const visible = shown && opacity > 0.02;
      actor.setVisibility(visible);
      // The lungs and pleura are never picked: a click goes through them, as through the skin.
      const pickable = rec.kind === 'skin' ? model.pick_mode === 'skin'
        : rec.kind !== 'organ' && model.pick_mode === 'select';
      actor.setPickable(visible && pickable);
    }
    for (const m of Object.values(markerActors)) m.actor.setPickable(model.pick_mode === 'select');
    const muscleParts = (actors.muscles && actors.muscles.parts) || [];
    for (const part of muscleParts) {
      const on = anyHighlight && Boolean(model.show_muscles) && isHighlighted(part.rec);
      const h = on ? highlightActor(part.rec) : highlightActors[part.rec.id];
      if (!h) continue;
      h.actor.setVisibility(on);
      if (on) { h.actor.getProperty().setColor(...pal.highlight); h.actor.getProperty().setOpacity(1); }
    }
  }

  // ---- trigger-point markers ----------------------------------------------------------------
  // Marker actors are kept (hidden) when a selection changes and shown again when the same
  // marker comes back, so that going back and forth between muscles builds no new geometry.
  const MARKER_POOL = 48;   // hidden marker actors kept at most
  const markerActors = {};  // marker id -> {actor, spec, radius} of the markers shown now
  const markerPool = new Map();  // key (id, position, selected) -> {actor, spec, radius}
  function markerKey(spec) { return JSON.stringify([spec.id, spec.position, Boolean(spec.selected)]); }
  function newMarker(spec) {
    return {...markerActor(vtk, renderer, spec.position, Boolean(spec.selected), model.colours), spec};
  }
  function applyMarkers(recolour = false) {
    if (recolour) {  // the palette changed: rebuild every marker in its new colours
      for (const m of markerPool.values()) renderer.removeActor(m.actor);
      markerPool.clear();
    }
    for (const k of Object.keys(markerActors)) delete markerActors[k];
    const shown = new Set();
    for (const spec of (model.markers || [])) {
      const key = markerKey(spec);
      let m = markerPool.get(key);
      if (!m) { m = newMarker(spec); markerPool.set(key, m); }
      m.spec = spec;
      m.actor.setVisibility(true);
      m.actor.setPickable(model.pick_mode === 'select');
      markerActors[spec.id] = m;
      shown.add(key);
    }
    let hidden = 0;
    for (const [key, m] of [...markerPool.entries()].reverse()) {  // newest first
      if (shown.has(key)) continue;
      m.actor.setVisibility(false);
      m.actor.setPickable(false);
      if (++hidden > MARKER_POOL) { renderer.removeActor(m.actor); markerPool.delete(key); }
    }
  }

  // ---- camera both ways -----------------------------------------------------------------------
  let applyingCamera = false, cameraTimer = null, lastCameraKey = null;
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
    // A section: what lies nearer than `section` metres to the camera is cut away, until the
    // view is turned (the trackball then fits the clipping range to the whole body again).
    if (cam.section) c.setClippingRange(cam.section, Math.max(cam.section + 0.01, c.getClippingRange()[1]));
    setSection(Boolean(cam.section));
    applyingCamera = false;
    const r = (v) => Array.from(v, (x) => Math.round(x * 1e5) / 1e5);
    lastCameraKey = JSON.stringify([r(c.getPosition()), r(c.getFocalPoint()), r(c.getViewUp())]);
    return true;
  }
  // In a section the cut meshes show their inner faces (the ribs, the lung as shells, cut
  // open), which the body otherwise never shows and skips drawing.
  let sectioned = false, sectionNear = 0;
  function setSection(on) {
    if (on) sectionNear = renderer.getActiveCamera().getClippingRange()[0];
    if (on === sectioned) return;
    sectioned = on;
    for (const {actor} of Object.values(actors)) actor.getProperty().setBackfaceCulling(!on);
    for (const h of Object.values(highlightActors)) h.actor.getProperty().setBackfaceCulling(!on);
  }
  record.sectioned = () => sectioned;
  renderer.getActiveCamera().onModified(() => {
    if (applyingCamera) return;
    // Turning or zooming fits the clipping range to the whole body again: the section ends.
    if (sectioned && Math.abs(renderer.getActiveCamera().getClippingRange()[0] - sectionNear) > 1e-4) {
      setSection(false);
    }
    clearTimeout(cameraTimer);
    cameraTimer = setTimeout(() => {
      // Renders touch the camera (clipping range); send only a real change of view.
      const c = renderer.getActiveCamera();
      const r = (v) => Array.from(v, (x) => Math.round(x * 1e5) / 1e5);
      const cam = {position: r(c.getPosition()), focal_point: r(c.getFocalPoint()),
                   view_up: r(c.getViewUp()), view_angle: c.getViewAngle()};
      const key = JSON.stringify([cam.position, cam.focal_point, cam.view_up]);
      if (key === lastCameraKey) return;
      lastCameraKey = key;
      model.camera = cam;
    }, CAMERA_SETTLE_MS);
  });

  // select_groups arrives as UTF-8 JSON bytes (one object shared by every session's document).
  let groupsSource = null, groupsParsed = {};
  function selectGroups() {
    const buf = asArrayBuffer(model.select_groups);
    if (buf !== groupsSource) {
      groupsSource = buf;
      try {
        groupsParsed = buf && buf.byteLength ? JSON.parse(new TextDecoder().decode(buf)) : {};
      } catch (err) {
        groupsParsed = {};  // no early answer then; the server's answer still comes
      }
    }
    return groupsParsed;
  }

  // ---- picking: a click (not a drag) picks the nearest visible, pickable actor ----------------
  // A ray cast in JS over the shared typed arrays (a few ms for the whole body) rather than
  // vtkCellPicker, which allocates per cell and took ~100 ms when the ray met the skin.
  const slop = (e) => ((e && (e.deviceType === 'touch' || e.deviceType === 'pen')) ? TOUCH_SLOP_PX : CLICK_SLOP_PX)
    * (window.devicePixelRatio || 1);
  function rayPick(x, y) {
    const api = grw.getApiSpecificRenderWindow();
    const o = api.displayToWorld(x, y, 0, renderer), far = api.displayToWorld(x, y, 1, renderer);
    const d = [far[0] - o[0], far[1] - o[1], far[2] - o[2]];
    let best = null, tMax = 1;
    for (const m of Object.values(markerActors)) {
      if (!m.actor.getPickable() || !m.actor.getVisibility()) continue;
      const t = raySphere(o, d, m.spec.position, m.radius, tMax);
      if (t !== null) { tMax = t; best = {marker: m, t}; }
    }
    for (const a of Object.values(actors)) {
      if (!a.actor.getPickable() || !a.actor.getVisibility() || !rayBox(o, d, a.rec.bounds, tMax)) continue;
      if (a.parts) {  // a merged mesh: only the parts whose boxes the ray crosses
        a.parts.forEach((part, k) => {
          if (!rayBox(o, d, part.rec.bounds, tMax)) return;
          const end = k + 1 < a.parts.length ? a.parts[k + 1].firstCell : a.tris.length / 3;
          const hit = rayMesh(o, d, a.points, a.tris.subarray(part.firstCell * 3, end * 3), tMax);
          if (hit) { tMax = hit.t; best = {mesh: a, t: hit.t, cell: hit.cell + part.firstCell}; }
        });
        continue;
      }
      const hit = rayMesh(o, d, a.points, a.tris, tMax);
      if (hit) { tMax = hit.t; best = {mesh: a, t: hit.t, cell: hit.cell}; }
    }
    if (best) best.position = [o[0] + best.t * d[0], o[1] + best.t * d[1], o[2] + best.t * d[2]];
    return best;
  }
  // The camera style starts rotating (and rendering every frame) on button press. These
  // handlers run before the style's (higher priority) and hold the press back until the
  // pointer has moved beyond the click slop, so that a click draws no frame of its own and
  // its pick and highlight are not queued behind rotation frames.
  const ABORT = (vtk.macro && vtk.macro.EVENT_ABORT) || 1;
  const style = interactor.getInteractorStyle();
  let press = null;        // the held press of a possible click
  let dragging = false;
  interactor.onLeftButtonPress((e) => {
    press = {x: e.position.x, y: e.position.y, callData: e};
    dragging = false;
    return ABORT;
  }, 10);
  interactor.onMouseMove((e) => {
    if (press && !dragging && Math.hypot(e.position.x - press.x, e.position.y - press.y) > slop(e)) {
      dragging = true;
      style.handleLeftButtonPress(press.callData);
    }
  }, 10);
  interactor.onLeftButtonRelease((e) => {
    if (!press) return undefined;
    const wasDrag = dragging || Math.hypot(e.position.x - press.x, e.position.y - press.y) > slop(e);
    press = null;
    dragging = false;
    if (wasDrag) return undefined;  // the style ends its rotation
    const t0 = performance.now();
    record.lastClick = t0;
    const hit = rayPick(e.position.x, e.position.y);
    const t1 = performance.now();
    let result = {kind: 'none', id: null, position: null, vertex: null};
    if (hit && hit.marker) {
      result = {kind: 'marker', id: hit.marker.spec.id, position: hit.position, vertex: null};
    } else if (hit) {
      const rec = partOf(hit.mesh, hit.cell);
      result = {kind: rec.kind, id: rec.id, muscle: rec.muscle, side: rec.side,
                position: hit.position, vertex: null};
      if (rec.kind === 'skin') result.vertex = nearestVertex(hit.mesh, hit.cell, hit.position);
    }
    result.n = record.picks.length + 1;
    result.pick_ms = Math.round((t1 - t0) * 100) / 100;
    result.client_time = performance.timeOrigin + t1;
    record.picks.push(result);
    el.dataset.lastPick = `${result.kind}:${result.id}`;
    // Selecting a muscle: show its highlight and markers now (one render), not after a round
    // trip to the server, which answers with the same values (select_groups' contract).
    const group = result.kind === 'muscle' && model.pick_mode === 'select'
      ? selectGroups()[result.id] : null;
    if (group) {
      model.highlight = group.highlight;
      model.markers = group.markers;
    }
    // A marker: paint its zones now from marker_zones; Python's answer paints the same ones
    // (and moves the camera to face them).
    const zones = result.kind === 'marker' && model.pick_mode === 'select'
      ? (model.marker_zones || {})[result.id] : null;
    if (zones && record.ready) {
      paintZone(zones.essential || [], zones.spillover || []);
      draw('zone_essential+zone_spillover', t0);
    }
    model.pick = result;
    return ABORT;
  }, 10);
  function nearestVertex(mesh, cell, p) {
    const pts = mesh.points;
    let best = null, bestD = Infinity;
    for (let k = 0; k < 3; k++) {
      const v = mesh.tris[cell * 3 + k];
      const d = (pts[3 * v] - p[0]) ** 2 + (pts[3 * v + 1] - p[1]) ** 2 + (pts[3 * v + 2] - p[2]) ** 2;
      if (d < bestD) { bestD = d; best = v; }
    }
    return best;
  }

  record.markerIds = () => Object.keys(markerActors);
  record.getCamera = () => {
    const c = renderer.getActiveCamera();
    return {position: Array.from(c.getPosition()), focal_point: Array.from(c.getFocalPoint()),
            view_up: Array.from(c.getViewUp())};
  };
  // ---- test and bench hook: a client (CSS) point where an actor is visible and pickable ------
  // What to look for: an actor, a marker, or a mesh inside a merged actor (muscle, bone).
  function targetOf(id) {
    const actor = (actors[id] && actors[id].actor) || (markerActors[id] && markerActors[id].actor);
    if (actor) {
      return {actor, bounds: actor.getBounds(),
              is: (hit) => (hit.mesh && hit.mesh.actor === actor) || (hit.marker && hit.marker.actor === actor)};
    }
    const entry = partEntry[id];
    if (!entry) return null;
    const part = entry.parts.find((q) => q.rec.id === id);
    return {actor: entry.actor, bounds: part.rec.bounds,
            is: (hit) => hit.mesh === entry && partOf(entry, hit.cell).id === id};
  }
  record.findScreenPoint = (id, grid = 15) => {
    const target = targetOf(id);
    if (!target || !target.actor.getVisibility()) return null;
    const api = grw.getApiSpecificRenderWindow();
    const b = target.bounds;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const x of [b[0], b[1]]) for (const y of [b[2], b[3]]) for (const z of [b[4], b[5]]) {
      const d = api.worldToDisplay(x, y, z, renderer);
      x0 = Math.min(x0, d[0]); x1 = Math.max(x1, d[0]); y0 = Math.min(y0, d[1]); y1 = Math.max(y1, d[1]);
    }
    const canvas = container.querySelector('canvas');
    const rect = canvas.getBoundingClientRect();
    const scale = canvas.width / rect.width;
    // Centre-out order, so the point found is well inside the actor where possible.
    const cells = [];
    for (let i = 0; i <= grid; i++) for (let j = 0; j <= grid; j++) cells.push([i / grid, j / grid]);
    cells.sort((a, c) => Math.hypot(a[0] - 0.5, a[1] - 0.5) - Math.hypot(c[0] - 0.5, c[1] - 0.5));
    for (const [u, v] of cells) {
      const dx = Math.round(x0 + u * (x1 - x0)), dy = Math.round(y0 + v * (y1 - y0));
      if (dx < 1 || dy < 1 || dx >= canvas.width - 1 || dy >= canvas.height - 1) continue;
      const hit = rayPick(dx, dy);
      if (hit && target.is(hit)) {
        return {x: rect.left + dx / scale, y: rect.top + rect.height - dy / scale, position: hit.position};
      }
    }
    return null;
  };

  // ---- param changes -----------------------------------------------------------------------
  // Changes arriving in one message (e.g. both zone arrays) are applied together, one render.
  const pending = new Set(), changed = new Set();
  let pendingSince = null;
  function flush() {
    const names = [...changed].sort().join('+');
    changed.clear();
    if (pending.has('zone')) paintZone();
    if (pending.has('markers')) applyMarkers(pending.has('recolour'));
    if (pending.has('appearance') || pending.has('markers')) applyAppearance();
    if (pending.has('camera')) applyCamera();
    if (pending.has('needle')) applyNeedle();
    pending.clear();
    draw(names, pendingSince);
    pendingSince = null;
  }
  const WORK = {show_skin: 'appearance', show_skeleton: 'appearance', show_muscles: 'appearance',
                show_pleura: 'appearance', pleura_opacity: 'appearance',
                skeleton_opacity: 'appearance', muscle_opacity: 'appearance', highlight: 'appearance',
                pick_mode: 'appearance', skin_opacity: 'appearance', zone_essential: 'zone',
                zone_spillover: 'zone', zone_marker: 'zone', colours: 'zone+markers+recolour+appearance',
                markers: 'markers', needle: 'needle',
                camera: 'camera'};
  function schedule(name, work) {
    if (!pending.size) { pendingSince = performance.now(); Promise.resolve().then(flush); }
    for (const w of work.split('+')) pending.add(w);
    changed.add(name);
  }
  for (const [name, work] of Object.entries(WORK)) {
    model.on(`change:${name}`, () => { if (record.ready) schedule(name, work); });
  }
  // New marker zones change the picture only when they are the painted ones (zone_marker).
  model.on('change:marker_zones', () => {
    if (record.ready && model.zone_marker) schedule('marker_zones', 'zone');
  });
  // A trigger point chosen in the side list (its button's host carries `tp-<id>`): paint its
  // zones now, as a click on its marker does (marker_zones); Python's answer paints the same
  // ones and turns the camera.
  const onListClick = (event) => {
    if (!record.ready || model.pick_mode !== 'select') return;
    const host = event.composedPath().find((n) => n.classList && n.classList.contains('tp-button'));
    const cls = host && Array.from(host.classList).find((c) => c.startsWith('tp-') && c !== 'tp-button');
    if (!cls) return;
    const zones = model.marker_zones || {};
    const key = Object.keys(zones).find((k) => k.endsWith(':' + cls.slice(3)));
    if (!key) return;
    const t0 = performance.now();
    record.lastClick = t0;
    paintZone(zones[key].essential || [], zones[key].spillover || []);
    draw('zone_essential+zone_spillover', t0);
  };
  document.addEventListener('click', onListClick, true);
  // A ResizeObserver reports every element once when it starts observing: that report (and
  // any other of an unchanged size) must not cost a second full render of the first frame.
  let drawnSize = null;
  const sizeKey = () => `${el.clientWidth}x${el.clientHeight}x${window.devicePixelRatio || 1}`;
  const resize = () => {
    if (!record.ready || sizeKey() === drawnSize) return;
    drawnSize = sizeKey();
    grw.resize();
    draw(null, 0);
  };
  const observer = new ResizeObserver(() => resize());
  observer.observe(el);
  model.on('resize', resize);
  model.on('remove', () => {
    document.removeEventListener('click', onListClick, true);
    observer.disconnect();
    clearTimeout(cameraTimer);
    // Free the WebGL context now: browsers allow only a few per page.
    const ctx = gl();
    const lose = ctx && ctx.getExtension('WEBGL_lose_context');
    grw.delete();
    if (lose) lose.loseContext();
    const list = stats().viewers;
    const i = list.indexOf(record);
    if (i >= 0) list.splice(i, 1);
  });

  record.buildMs = performance.now() - t_build;
  function firstFrame() {
    const t_first = performance.now();
    grw.resize();
    drawnSize = sizeKey();
    paintZone();
    applyAppearance();
    applyMarkers();
    applyNeedle();
    if (!applyCamera()) renderer.resetCamera();
    record.ready = true;
    draw(null, 0);
    record.firstRenderCallMs = performance.now() - t_first;
    record.firstFrameMs = performance.now() - t_start;
    record.firstFrameAt = performance.now();
    el.dataset.ready = '1';
    whenDrawn((t) => { record.firstFrameDrawnAt = t; el.dataset.drawn = '1'; });
  }
  // The container needs its size before the first render; wait for layout, then draw once.
  const waitForSize = () => {
    if (record.ready) return;
    if (el.clientWidth > 0 && el.clientHeight > 0) firstFrame();
    else requestAnimationFrame(waitForSize);
  };
  requestAnimationFrame(waitForSize);
}
