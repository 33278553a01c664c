// window.myoatlasCore: what the app's viewer (anatomy/ui/viewer.js) and the exported pages'
// (anatomy/export/static/page_viewer.js) both draw with: geometry, actors, zone paint,
// markers, ray casts. Functions take the vtk.js namespace (window.myoatlasVtk).
(function () {

// A mesh's arrays: float32 points (anatomy/scene/web.py) or, given the manifest's ``quant``,
// int16 points (anatomy/export/packing.py); int8 normals; uint16/uint32 triangles.
function meshArrays(buffer, rec, quant) {
  const n = rec.counts.points, m = rec.counts.triangles;
  const IndexArray = rec.index_type === 'uint16' ? Uint16Array : Uint32Array;
  let points;
  if (quant) {
    const q = new Int16Array(buffer, rec.offsets.points, n * 3);
    points = new Float32Array(n * 3);
    for (let i = 0; i < n * 3; i++) points[i] = quant.origin[i % 3] + (q[i] + 32768) * quant.step[i % 3];
  } else points = new Float32Array(buffer, rec.offsets.points, n * 3);
  return {points, normals8: new Int8Array(buffer, rec.offsets.normals, n * 3),
          tris: new IndexArray(buffer, rec.offsets.indices, m * 3)};
}

// Several meshes as one (fewer actors draw faster); ``parts`` maps a triangle back to its
// mesh: part k owns triangles from firstCell on.
function mergeMeshes(buffer, recs, id) {
  const arrays = recs.map((rec) => meshArrays(buffer, rec));
  const n = recs.reduce((s, r) => s + r.counts.points, 0);
  const m = recs.reduce((s, r) => s + r.counts.triangles, 0);
  const points = new Float32Array(n * 3), normals8 = new Int8Array(n * 3), tris = new Uint32Array(m * 3);
  const parts = [];
  let p = 0, t = 0;
  const bounds = [Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity];
  recs.forEach((rec, k) => {
    const a = arrays[k];
    points.set(a.points, p * 3);
    normals8.set(a.normals8, p * 3);
    for (let i = 0; i < a.tris.length; i++) tris[t * 3 + i] = a.tris[i] + p;
    parts.push({rec, firstCell: t});
    for (let i = 0; i < 6; i++) bounds[i] = (i % 2 ? Math.max : Math.min)(bounds[i], rec.bounds[i]);
    p += rec.counts.points;
    t += rec.counts.triangles;
  });
  const first = recs[0];
  const rec = {id, kind: first.kind, layer: first.layer, muscle: null, side: null, bone: null,
               colour: first.colour, opacity: first.opacity, draw: first.draw, bounds,
               counts: {points: n, triangles: m}};
  return {rec, arrays: {points, normals8, tris}, parts};
}

function buildPolyData(vtk, arrays, rec) {
  const n = rec.counts.points, m = rec.counts.triangles;
  // (arrays.tris may be Uint16 or Uint32; cells are Uint32 either way)
  const {points, normals8, tris} = arrays;
  const cells = new Uint32Array(m * 4);
  for (let i = 0, j = 0, k = 0; i < m; i++) {
    cells[j++] = 3; cells[j++] = tris[k++]; cells[j++] = tris[k++]; cells[j++] = tris[k++];
  }
  const normals = new Float32Array(n * 3);
  for (let i = 0; i < normals.length; i++) normals[i] = normals8[i] / 127;
  const pd = triangles(vtk, points, cells);
  pd.getPointData().setNormals(vtk.Common.Core.vtkDataArray.newInstance({
    name: 'Normals', numberOfComponents: 3, values: normals,
  }));
  return pd;
}

// A vtkPolyData of points (xyz) and triangle cells (vtk's [3, a, b, c, ...] layout).
function triangles(vtk, points, cells) {
  const pd = vtk.Common.DataModel.vtkPolyData.newInstance();
  pd.getPoints().setData(points, 3);
  pd.getPolys().setData(cells);
  return pd;
}

// One mesh's actor, added to the renderer in the mesh's own colour.
function meshActor(vtk, renderer, polydata, rec) {
  const mapper = vtk.Rendering.Core.vtkMapper.newInstance();
  mapper.setInputData(polydata);
  const actor = vtk.Rendering.Core.vtkActor.newInstance();
  actor.setMapper(mapper);
  const prop = actor.getProperty();
  prop.setColor(...rec.colour);
  prop.setSpecular(rec.kind === 'skin' ? 0.1 : 0.25);
  prop.setSpecularPower(20);
  // Meshes are closed and wound outward (anatomy/scene/web.py): back faces are never seen,
  // and skipping them halves the fragments software WebGL shades for the translucent skin.
  prop.setBackfaceCulling(true);
  renderer.addActor(actor);
  return {actor, mapper};
}

function muscleColour(rec, highlighted, anyHighlight, palette) {
  if (!anyHighlight) return rec.colour;
  return highlighted ? palette.highlight : palette.dimmed;
}

function markerActor(vtk, renderer, position, selected, palette) {
  // Sizes in metres from the palette (anatomy/scene/palette.py MARKER_RADIUS_M).
  const radius = selected ? palette.marker_radius_selected : palette.marker_radius;
  const source = vtk.Filters.Sources.vtkSphereSource.newInstance({
    center: position, radius, thetaResolution: 20, phiResolution: 14,
  });
  const mapper = vtk.Rendering.Core.vtkMapper.newInstance();
  mapper.setInputConnection(source.getOutputPort());
  const actor = vtk.Rendering.Core.vtkActor.newInstance();
  actor.setMapper(mapper);
  const prop = actor.getProperty();
  prop.setColor(...(selected ? palette.marker_selected : palette.marker));
  prop.setSpecular(0.4);
  prop.setBackfaceCulling(true);
  renderer.addActor(actor);
  return {actor, radius};
}

// A depth profile's needle line (anatomy/scene/needle.py needle_view): one tube per tissue
// segment, in the segment's colour, as one polydata with per-vertex colours.
const NEEDLE_SIDES = 10;
function needlePolyData(vtk, needle) {
  const segments = needle.segments || [];
  const ring = NEEDLE_SIDES, r = needle.radius;
  const points = new Float32Array(segments.length * ring * 2 * 3);
  const rgb = new Uint8Array(segments.length * ring * 2 * 3);
  const cells = new Uint32Array(segments.length * ring * 2 * 4);
  let p = 0, c = 0;
  segments.forEach((seg, k) => {
    const a = seg.start, b = seg.end;
    const d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    const len = Math.hypot(...d) || 1;
    for (let i = 0; i < 3; i++) d[i] /= len;
    // two unit vectors across the line
    const t = Math.abs(d[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
    const u = [d[1] * t[2] - d[2] * t[1], d[2] * t[0] - d[0] * t[2], d[0] * t[1] - d[1] * t[0]];
    const ul = Math.hypot(...u);
    for (let i = 0; i < 3; i++) u[i] /= ul;
    const v = [d[1] * u[2] - d[2] * u[1], d[2] * u[0] - d[0] * u[2], d[0] * u[1] - d[1] * u[0]];
    const colour = to255(seg.colour);
    const base = k * ring * 2;
    for (const end of [a, b]) {
      for (let j = 0; j < ring; j++) {
        const w = (2 * Math.PI * j) / ring, cs = Math.cos(w) * r, sn = Math.sin(w) * r;
        for (let i = 0; i < 3; i++) points[p + i] = end[i] + u[i] * cs + v[i] * sn;
        rgb.set(colour, p);
        p += 3;
      }
    }
    for (let j = 0; j < ring; j++) {
      const j1 = (j + 1) % ring;
      cells.set([3, base + j, base + j1, base + ring + j1], c); c += 4;
      cells.set([3, base + j, base + ring + j1, base + ring + j], c); c += 4;
    }
  });
  const pd = triangles(vtk, points, cells);
  pd.getPointData().setScalars(vtk.Common.Core.vtkDataArray.newInstance({
    name: 'tissue', numberOfComponents: 3, values: rgb,
  }));
  return pd;
}

// The needle's actor, in its own renderer drawn after the body's (same camera, depth buffer
// cleared): the line shows through the skin and muscles it passes. ``update(needle)`` shows
// a needle_view, or hides the line for null.
function needleOverlay(vtk, renderWindow, renderer) {
  const overlay = vtk.Rendering.Core.vtkRenderer.newInstance();
  overlay.setLayer(1);
  overlay.setInteractive(false);
  overlay.setPreserveColorBuffer(true);
  overlay.setActiveCamera(renderer.getActiveCamera());
  renderWindow.setNumberOfLayers(Math.max(2, renderWindow.getNumberOfLayers()));
  renderWindow.addRenderer(overlay);
  const mapper = vtk.Rendering.Core.vtkMapper.newInstance();
  mapper.setColorModeToDirectScalars();
  const actor = vtk.Rendering.Core.vtkActor.newInstance();
  actor.setMapper(mapper);
  actor.setPickable(false);
  actor.setVisibility(false);
  actor.getProperty().setSpecular(0.3);
  overlay.addActor(actor);
  function update(needle) {
    const on = Boolean(needle && (needle.segments || []).length);
    if (on) mapper.setInputData(needlePolyData(vtk, needle));
    actor.setVisibility(on);
    return on;
  }
  return {overlay, actor, update};
}

function to255(rgb) { return rgb.map((c) => Math.max(0, Math.min(255, Math.round(c * 255)))); }

// Zone paint, per skin vertex: essential (level 2) over spillover (1), in the palette's
// colours at its zone opacity. ``skin``: {polydata, mapper, points, tris}. With ``overlay``
// (the app) only the triangles a zone touches are drawn, just in front of the skin, so a
// repaint sends little to the GPU; else (exported pages) the skin's own vertex colours carry
// the zones, and ``base`` ({colour, opacity}) elsewhere.
function skinZones(vtk, renderer, skin, {overlay = false} = {}) {
  const n = skin.points.length / 3, levels = new Uint8Array(n), rgba = new Uint8Array(n * 4);
  const array = vtk.Common.Core.vtkDataArray.newInstance({name: 'zone', numberOfComponents: 4, values: rgba});
  let polydata = skin.polydata, mapper = skin.mapper, actor = null;
  if (overlay) {
    polydata = vtk.Common.DataModel.vtkPolyData.newInstance();
    polydata.getPoints().setData(skin.points, 3);
    polydata.getPointData().setNormals(skin.polydata.getPointData().getNormals());
    mapper = vtk.Rendering.Core.vtkMapper.newInstance();
    mapper.setInputData(polydata);
    mapper.setResolveCoincidentTopology(true);
    mapper.setRelativeCoincidentTopologyPolygonOffsetParameters(-2, -2);
    actor = vtk.Rendering.Core.vtkActor.newInstance();
    actor.setMapper(mapper);
    actor.getProperty().setBackfaceCulling(true);
    actor.getProperty().setSpecular(0.1);
    actor.setPickable(false);
    actor.setVisibility(false);
    renderer.addActor(actor);
  }
  polydata.getPointData().setScalars(array);
  mapper.setColorModeToDirectScalars();
  mapper.setScalarModeToUsePointData();
  mapper.setScalarVisibility(true);

  function paint(essential, spillover, palette, base) {
    levels.fill(0);
    for (const [ids, level] of [[spillover, 1], [essential, 2]]) {
      for (let k = 0; k < ids.length; k++) if (ids[k] < n) levels[ids[k]] = level;
    }
    const alpha = Math.round(255 * (palette.zone_opacity ?? 0.85));
    // unpainted vertices: the base, or (overlay corners) fading out in the outer zone colour
    const rgb = [base ? to255(base.colour) : to255(palette.spillover), to255(palette.spillover),
                 to255(palette.essential)];
    const alphas = [base ? Math.round(255 * base.opacity) : 0, alpha, alpha];
    const colour = (v) => {
      const f = levels[v], c = rgb[f], o = 4 * v;
      rgba[o] = c[0]; rgba[o + 1] = c[1]; rgba[o + 2] = c[2]; rgba[o + 3] = alphas[f];
    };
    if (overlay) {
      const tris = skin.tris, cells = [];
      for (let t = 0; t < tris.length; t += 3) {
        const a = tris[t], b = tris[t + 1], d = tris[t + 2];
        if (!(levels[a] || levels[b] || levels[d])) continue;
        cells.push(3, a, b, d);
        colour(a); colour(b); colour(d);
      }
      polydata.getPolys().setData(Uint32Array.from(cells));
      actor.setVisibility(cells.length > 0);
    } else {
      for (let v = 0; v < n; v++) colour(v);
    }
    array.modified();
    polydata.modified();
  }
  // The painted RGBA of skin vertex ``v``, or null where no zone is (tests).
  const zoneColour = (v) => (levels[v] ? Array.from(rgba.subarray(4 * v, 4 * v + 4)) : null);
  return {paint, zoneColour, actor};
}

// ---- ray casts (the app's picking)
// The mesh record a picked triangle belongs to (a merged mesh's part, or the mesh itself).
function partOf(entry, cell) {
  if (!entry.parts) return entry.rec;
  let lo = 0, hi = entry.parts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (entry.parts[mid].firstCell <= cell) lo = mid; else hi = mid - 1;
  }
  return entry.parts[lo].rec;
}

// Nearest hit of the ray o + t d (t > 0) with a triangle mesh (Moller-Trumbore), or null.
function rayMesh(o, d, points, tris, tMax) {
  let best = tMax, cell = -1;
  const P = points;
  for (let c = 0, k = 0; k < tris.length; c++, k += 3) {
    const a = 3 * tris[k], b = 3 * tris[k + 1], e = 3 * tris[k + 2];
    const e1x = P[b] - P[a], e1y = P[b + 1] - P[a + 1], e1z = P[b + 2] - P[a + 2];
    const e2x = P[e] - P[a], e2y = P[e + 1] - P[a + 1], e2z = P[e + 2] - P[a + 2];
    const px = d[1] * e2z - d[2] * e2y, py = d[2] * e2x - d[0] * e2z, pz = d[0] * e2y - d[1] * e2x;
    const det = e1x * px + e1y * py + e1z * pz;
    if (det > -1e-14 && det < 1e-14) continue;
    const inv = 1 / det;
    const tx = o[0] - P[a], ty = o[1] - P[a + 1], tz = o[2] - P[a + 2];
    const u = (tx * px + ty * py + tz * pz) * inv;
    if (u < 0 || u > 1) continue;
    const qx = ty * e1z - tz * e1y, qy = tz * e1x - tx * e1z, qz = tx * e1y - ty * e1x;
    const v = (d[0] * qx + d[1] * qy + d[2] * qz) * inv;
    if (v < 0 || u + v > 1) continue;
    const t = (e2x * qx + e2y * qy + e2z * qz) * inv;
    if (t > 0 && t < best) { best = t; cell = c; }
  }
  return cell < 0 ? null : {t: best, cell};
}

// Whether the ray o + t d, 0 < t < tMax, passes through an axis-aligned box.
function rayBox(o, d, b, tMax) {
  let t0 = 0, t1 = tMax;
  for (let i = 0; i < 3; i++) {
    const lo = b[2 * i], hi = b[2 * i + 1];
    if (Math.abs(d[i]) < 1e-15) { if (o[i] < lo || o[i] > hi) return false; continue; }
    let a = (lo - o[i]) / d[i], c = (hi - o[i]) / d[i];
    if (a > c) [a, c] = [c, a];
    t0 = Math.max(t0, a); t1 = Math.min(t1, c);
    if (t0 > t1) return false;
  }
  return true;
}

function raySphere(o, d, centre, r, tMax) {
  const ox = o[0] - centre[0], oy = o[1] - centre[1], oz = o[2] - centre[2];
  const A = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
  const B = 2 * (ox * d[0] + oy * d[1] + oz * d[2]);
  const C = ox * ox + oy * oy + oz * oz - r * r;
  const disc = B * B - 4 * A * C;
  if (disc < 0) return null;
  const t = (-B - Math.sqrt(disc)) / (2 * A);
  return t > 0 && t < tMax ? t : null;
}

window.myoatlasCore = {
  meshArrays, mergeMeshes, buildPolyData, meshActor, muscleColour, markerActor, skinZones,
  partOf, rayMesh, rayBox, raySphere, needlePolyData, needleOverlay,
};
})();
