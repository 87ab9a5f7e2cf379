// The baseline of `saban-bench cluster`: supercluster (npm) on Node, fed the
// same points and viewports as SabanClusterIndex in the same invocation.
//
//   node supercluster-baseline.mjs MODULE POINTS VIEWPORTS RUNS WARMUP MAXZOOM RADIUS EXTENT
//
// POINTS: little-endian float64 lon, lat pairs. VIEWPORTS: float64 zoom,
// west, south, east, north per viewport. Prints one JSON line: the median
// build time, per-query p50/p95 (ms), and how many clusters each zoom has.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const [module, pointsFile, viewportsFile, runs, warmup, maxZoom, radius, extent] = process.argv.slice(2);
const { default: Supercluster } = await import(pathToFileURL(module).href);

function float64s(file) {
  const b = readFileSync(file);
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
}

function median(sorted) {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

const coords = float64s(pointsFile);
const features = [];
for (let i = 0; i < coords.length; i += 2) {
  features.push({ type: 'Feature', properties: { id: i / 2 },
                  geometry: { type: 'Point', coordinates: [coords[i], coords[i + 1]] } });
}
const options = { minZoom: 0, maxZoom: Number(maxZoom), radius: Number(radius), extent: Number(extent) };

let index;
const builds = [];
for (let r = 0; r < Number(warmup) + Number(runs); r++) {
  const t = performance.now();
  index = new Supercluster(options).load(features);
  if (r >= Number(warmup)) builds.push(performance.now() - t);
}
builds.sort((a, b) => a - b);

const v = float64s(viewportsFile);
const queries = [];
for (let i = 0; i < v.length; i += 5) {
  const t = performance.now();
  index.getClusters([v[i + 1], v[i + 2], v[i + 3], v[i + 4]], v[i]);
  queries.push(performance.now() - t);
}
queries.sort((a, b) => a - b);

const clusters = [];
for (let z = 0; z <= Number(maxZoom) + 1; z++) {
  clusters.push(index.getClusters([-180, -85, 180, 85], z).length);
}

console.log(JSON.stringify({
  build_ms: median(builds),
  query_ms_p50: percentile(queries, 0.5),
  query_ms_p95: percentile(queries, 0.95),
  clusters_per_zoom: clusters,
}));
