// Myoatlas exported pages (handout, static site): a small vtk.js viewer with no server.
// Geometry comes from window.MYOATLAS_GEOMETRY[name] = {manifest, data: base64 of deflate},
// made by anatomy/export/packing.py; the page's view (highlight, markers, zones, where to
// look) comes from anatomy/export/scenes.py. Nothing is fetched: everything is in the page or
// in <script> files next to it, so it works from file:// as well as from any web server.
// Meshes, zone paint and markers are drawn by the app's drawing core (window.myoatlasCore,
// anatomy/ui/static/myoatlas_core.js), which runs just before this script.
(function () {
  'use strict';
  var CLICK_SLOP_PX = 3;
  var core = window.myoatlasCore;
  var status = window.__myoatlasPage = {ready: false, error: null, renders: 0, stills: 0,
                                        firstFrameMs: null, state: {}};

  function b64bytes(text) {
    var bin = atob(text), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function inflate(bytes) {
    if (typeof DecompressionStream === 'undefined') {
      return Promise.reject(new Error('this browser cannot decompress the 3D data'));
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Response(stream).arrayBuffer();
  }
  function decode(name) {
    var entry = (window.MYOATLAS_GEOMETRY || {})[name];
    if (!entry) return Promise.reject(new Error('missing 3D data: ' + name));
    return inflate(b64bytes(entry.data)).then(function (buf) {
      return {manifest: entry.manifest, buffer: buf};
    });
  }
  function arrayOf(blobs, key) {
    for (var i = 0; i < blobs.length; i++) {
      var spec = blobs[i].manifest.arrays[key];
      if (spec) {
        var T = spec.type === 'uint16' ? Uint16Array : Uint32Array;
        return new T(blobs[i].buffer, spec.offset, spec.count);
      }
    }
    return new Uint32Array(0);
  }
  function each(sel, fn) { Array.prototype.forEach.call(document.querySelectorAll(sel), fn); }
  function readHash() {
    var out = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var p = kv.split('=');
      if (p[0]) out[decodeURIComponent(p[0])] = decodeURIComponent(p[1] || '');
    });
    return out;
  }

  // ---- camera: where a page looks -------------------------------------------------------------
  // The cameras come with the page's view (anatomy/export/scenes.py, from the same scene
  // description as the app): view.presets for the named views of the whole page, and per side
  // sv.cameras: the trigger point's (looking at its zones) and the muscle's. 'initial' and
  // 'focus' both look at the selected trigger point, else the muscle.
  function pointCamera(renderer, size, preset, view, sv, tp) {
    var presets = view.presets || {}, cameras = (sv && sv.cameras) || {};
    var c = presets[preset] || (tp && cameras[tp]) || cameras.muscle || presets.anterior;
    if (!c) return;
    var cam = renderer.getActiveCamera();
    cam.setPosition.apply(cam, c.position);
    cam.setFocalPoint.apply(cam, c.focal_point);
    cam.setViewUp.apply(cam, c.view_up);
    cam.setViewAngle(c.view_angle);
    // The camera fits the height; a portrait canvas (a phone) needs the width fitted too.
    var aspect = size[1] > 0 ? size[0] / size[1] : 1;
    if (aspect < 1) cam.zoom(aspect);
    renderer.resetCameraClippingRange();
  }

  function start(opts) {
    var t0 = performance.now();
    var view = opts.view, el = document.querySelector(opts.element);
    var state = status.state;
    var hash = opts.useHash ? readHash() : {};
    state.side = view.sides && view.sides[hash.side] ? hash.side : view.side;
    state.mode = hash.mode || opts.mode || null;
    state.tp = hash.tp || view.trigger_point || null;
    // A link naming an unknown trigger point or mode opens the page's default view instead.
    var sv0 = view.sides && view.sides[state.side];
    if (sv0 && !Object.prototype.hasOwnProperty.call(sv0.zones, state.tp)) state.tp = view.trigger_point;
    if (state.mode && !document.querySelector('[data-text-mode="' + CSS.escape(state.mode) + '"]')) {
      state.mode = opts.mode || null;
    }
    state.layers = {skin: true, skeleton: true, others: view.show_others === true};
    each('input[data-layer]', function (box_) { box_.checked = state.layers[box_.getAttribute('data-layer')]; });
    applyText();
    var names = [opts.geometry].concat(opts.arrays ? [opts.arrays] : []);
    return Promise.all(names.map(decode)).then(function (blobs) {
      status.timings = {decodedMs: performance.now() - t0};
      build(blobs);
    }).catch(function (err) {
      status.error = String(err && err.message || err);
      el.setAttribute('data-error', status.error);
      var msg = document.createElement('p');
      msg.className = 'view-error';
      msg.textContent = 'The 3D view could not be shown (' + status.error + '). The text below still applies.';
      el.appendChild(msg);
    });

    function sideView() { return view.sides ? view.sides[state.side] : null; }

    function applyText() {
      each('[data-text-tp],[data-text-mode]', function (node) {
        var tp = node.getAttribute('data-text-tp'), mode = node.getAttribute('data-text-mode');
        node.hidden = (tp !== null && tp !== state.tp) || (mode !== null && mode !== state.mode);
      });
      each('[data-action="tp"]', function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-tp') === state.tp)); });
      each('[data-action="side"]', function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-side') === state.side)); });
      each('select[data-action="mode"]', function (s) { if (state.mode) s.value = state.mode; });
      each('[data-show-side]', function (n) { n.textContent = state.side || ''; });
      if (opts.useHash) {
        var parts = [];
        if (state.mode) parts.push('mode=' + encodeURIComponent(state.mode));
        if (state.side) parts.push('side=' + encodeURIComponent(state.side));
        if (state.tp) parts.push('tp=' + encodeURIComponent(state.tp));
        history.replaceState(null, '', '#' + parts.join('&'));
      }
    }

    function build(blobs) {
      var geo = blobs[0], colours = view.colours, tb = performance.now();
      el.style.position = 'relative';
      var box = el.querySelector('.canvas-box');
      var still = el.querySelector('img.still');
      var grw = vtk.Rendering.Misc.vtkGenericRenderWindow.newInstance(
        {background: colours.background, listenWindowResize: false});
      grw.setContainer(box);
      grw.resize();
      var renderer = grw.getRenderer(), rw = grw.getRenderWindow(), interactor = grw.getInteractor();
      var actors = [], skin = null, markers = [];
      geo.manifest.actors.forEach(function (rec) {
        var arrays = core.meshArrays(geo.buffer, rec, geo.manifest.quant);
        var pd = core.buildPolyData(vtk, arrays, rec);
        var made = core.meshActor(vtk, renderer, pd, rec);
        var entry = {actor: made.actor, rec: rec, pd: pd};
        actors.push(entry);
        if (rec.kind === 'skin' && !skin) {
          // the skin's own vertex colours carry the zones (and its translucency)
          skin = {entry: entry, zones: core.skinZones(vtk, renderer,
            {polydata: pd, mapper: made.mapper, points: arrays.points, tris: arrays.tris})};
        }
      });

      status.timings.buildMs = performance.now() - tb;
      function paint() {
        if (!skin) return;
        var sv = sideView();
        var zones = sv && state.tp && sv.zones[state.tp];
        var essential = zones ? arrayOf(blobs, zones.essential) : new Uint32Array(0);
        var spillover = zones ? arrayOf(blobs, zones.spillover) : new Uint32Array(0);
        skin.zones.paint(essential, spillover, colours,
                         {colour: skin.entry.rec.colour, opacity: view.skin_opacity});
        status.zoneCounts = {essential: essential.length, spillover: spillover.length};
      }
      status.zoneColour = skin && skin.zones.zoneColour;  // for tests
      function appearance() {
        var sv = sideView(), hl = sv ? sv.highlight : [];
        actors.forEach(function (e) {
          var rec = e.rec, prop = e.actor.getProperty(), visible = true, mine = hl.indexOf(rec.id) >= 0;
          if (rec.kind === 'muscle') {
            prop.setColor.apply(prop, core.muscleColour(rec, mine, hl.length > 0, colours));
            prop.setOpacity(hl.length && !mine ? (view.other_opacity || 1) : 1);
            visible = !hl.length || mine || state.layers.others;  // the index shows every muscle
          } else if (rec.kind === 'bone') visible = state.layers.skeleton;
          else if (rec.kind === 'skin') visible = state.layers.skin;
          e.actor.setVisibility(visible);
          e.actor.setPickable(visible && rec.kind === 'muscle' && !!opts.onMuscleClick);
        });
      }
      function applyMarkers() {
        markers.forEach(function (m) { renderer.removeActor(m.actor); });
        markers = [];
        var sv = sideView();
        (sv ? sv.markers : []).forEach(function (spec) {
          var made = core.markerActor(vtk, renderer, spec.position, spec.tp === state.tp, colours);
          markers.push({actor: made.actor, spec: spec});
        });
      }
      function look(preset) {
        pointCamera(renderer, grw.getApiSpecificRenderWindow().getSize(), preset, view,
                    sideView(), state.tp);
      }
      function draw() {
        rw.render();
        status.renders += 1;
        el.setAttribute('data-renders', String(status.renders));
      }
      // A still image of the view for printing: rendered and read back in one task, so the
      // WebGL drawing buffer is still intact (no preserveDrawingBuffer needed). Usually
      // encoded off the main thread (toBlob); at 'beforeprint' synchronously (toDataURL), as
      // the print layout is taken as soon as that event's handlers return.
      var stillUrl = null;
      function stillDone() {
        status.stills += 1;
        still.setAttribute('data-ready', '1');
      }
      function capture(sync) {
        var canvas = box.querySelector('canvas');
        if (!canvas || !still || !canvas.width) return;
        draw();
        try {
          if (sync === true || !canvas.toBlob) {
            still.src = canvas.toDataURL('image/png');
            stillDone();
            return;
          }
          canvas.toBlob(function (blob) {
            if (!blob) return;
            if (stillUrl) URL.revokeObjectURL(stillUrl);
            stillUrl = URL.createObjectURL(blob);
            still.onload = stillDone;
            still.src = stillUrl;
          }, 'image/png');
        } catch (err) { status.error = 'still image: ' + err; }
      }
      var captureTimer = null;
      function captureSoon() { clearTimeout(captureTimer); captureTimer = setTimeout(capture, 400); }
      window.addEventListener('beforeprint', function () { capture(true); });

      function refresh(reframe) {
        paint(); appearance(); applyMarkers();
        if (reframe) look(reframe);  // 'initial': from where this trigger point is best seen
        applyText();
        draw();
        captureSoon();
      }
      // ---- controls ----------------------------------------------------------------------
      each('[data-action="tp"]', function (b) {
        b.addEventListener('click', function () { state.tp = b.getAttribute('data-tp'); refresh('initial'); });
      });
      each('[data-action="side"]', function (b) {
        b.addEventListener('click', function () { state.side = b.getAttribute('data-side'); refresh('initial'); });
      });
      each('[data-action="view"]', function (b) {
        b.addEventListener('click', function () { look(b.getAttribute('data-view')); draw(); captureSoon(); });
      });
      each('input[data-layer]', function (box_) {
        box_.addEventListener('change', function () { state.layers[box_.getAttribute('data-layer')] = box_.checked; refresh(false); });
      });
      each('select[data-action="mode"]', function (s) {
        s.addEventListener('change', function () { state.mode = s.value; applyText(); });
      });
      // ---- clicks: a marker selects its trigger point; a muscle calls opts.onMuscleClick ----
      var picker = vtk.Rendering.Core.vtkCellPicker.newInstance();
      picker.setTolerance(0);
      var press = null;
      interactor.onLeftButtonPress(function (e) { press = e.position; });
      interactor.onLeftButtonRelease(function (e) {
        if (!press) return;
        var moved = Math.hypot(e.position.x - press.x, e.position.y - press.y);
        press = null;
        if (moved > CLICK_SLOP_PX * (window.devicePixelRatio || 1)) { captureSoon(); return; }
        picker.pick([e.position.x, e.position.y, 0], renderer);
        var hit = picker.getActors()[0];
        if (!hit) return;
        var marker = markers.filter(function (m) { return m.actor === hit; })[0];
        var mesh = actors.filter(function (a) { return a.actor === hit; })[0];
        if (marker && opts.selectable !== false) { state.tp = marker.spec.tp; refresh(false); }
        else if (mesh && opts.onMuscleClick) opts.onMuscleClick(mesh.rec);
      });
      interactor.onEndMouseWheel && interactor.onEndMouseWheel(captureSoon);
      new ResizeObserver(function () { grw.resize(); draw(); }).observe(el);

      function first() {
        if (!(box.clientWidth > 0 && box.clientHeight > 0)) { requestAnimationFrame(first); return; }
        grw.resize();
        paint(); appearance(); applyMarkers();
        look(sideView() ? 'initial' : 'anterior');
        var t1 = performance.now();
        draw();
        var gl = box.querySelector('canvas').getContext('webgl2') || box.querySelector('canvas').getContext('webgl');
        if (gl) gl.finish();  // so that the timing below covers the drawing itself
        status.timings.firstRenderMs = performance.now() - t1;
        status.firstFrameMs = performance.now() - t0;
        status.ready = true;
        el.setAttribute('data-ready', '1');
        setTimeout(capture, 0);  // after the frame is on screen
      }
      // For tests: the client point where an actor's bounding-box centre is drawn.
      status.screenPointOf = function (id) {
        var e = actors.filter(function (a) { return a.rec.id === id; })[0];
        if (!e) return null;
        var b = e.actor.getBounds(), canvas = box.querySelector('canvas');
        var d = grw.getApiSpecificRenderWindow().worldToDisplay(
          (b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2, renderer);
        var r = canvas.getBoundingClientRect(), s = canvas.width / r.width;
        return {x: r.left + d[0] / s, y: r.top + r.height - d[1] / s};
      };
      requestAnimationFrame(first);
    }
  }
  window.MyoatlasPage = {start: start};
})();
