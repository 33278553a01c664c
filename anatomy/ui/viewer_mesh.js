// Geometry helpers of the atlas's 3D view (anatomy/ui/viewer.js): typed-array views on the
// shared geometry buffer, vtk.js polydata built from them, and the ray casts used for picking.
// A classic script loaded with the page (AtlasViewer.__javascript__), so that the component's
// ES module can be served as it is written, untranspiled; it reads them from window.myoatlasMesh.
(function () {

function meshArrays(buffer, rec) {
  const n = rec.counts.points, m = rec.counts.triangles;
  const IndexArray = rec.index_type === 'uint16' ? Uint16Array : Uint32Array;
  return {points: new Float32Array(buffer, rec.offsets.points, n * 3),
          normals8: new Int8Array(buffer, rec.offsets.normals, n * 3),
          tris: new IndexArray(buffer, rec.offsets.indices, m * 3)};
}

// Several meshes as one (the skeleton; the muscles, whose highlighted ones are drawn again on
// top: every actor costs a render ~0.2 ms of WebGL calls and its first frame ~2 ms of vtk.js
// setup). ``parts`` maps a triangle back to its mesh: part k owns triangles from firstCell on.
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
               colour: first.colour, bounds, counts: {points: n, triangles: m}};
  return {rec, arrays: {points, normals8, tris}, parts};
}

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
  const pd = vtk.Common.DataModel.vtkPolyData.newInstance();
  pd.getPoints().setData(points, 3);
  pd.getPolys().setData(cells);
  pd.getPointData().setNormals(vtk.Common.Core.vtkDataArray.newInstance({
    name: 'Normals', numberOfComponents: 3, values: normals,
  }));
  return pd;
}

window.myoatlasMesh = {meshArrays, mergeMeshes, partOf, rayMesh, rayBox, raySphere, buildPolyData};
})();
