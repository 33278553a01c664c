// Print the licence of every npm package that went into the bundle (from esbuild's metafile).
import {readFileSync, readdirSync, existsSync} from 'node:fs';
import {join} from 'node:path';

const meta = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const packages = new Set();
for (const input of Object.keys(meta.inputs)) {
  const rest = input.split('node_modules/').pop();
  if (rest === input) continue;  // our own entry.js
  const parts = rest.split('/');
  packages.add(parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
}
const out = ['Licences of the npm packages bundled into vtk-lite.js (tools/vtkjs/build.sh).', ''];
for (const name of [...packages].sort()) {
  const dir = join('node_modules', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  out.push('='.repeat(78), `${name} ${pkg.version} (${pkg.license || 'see below'})`, '='.repeat(78));
  out.push(file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : `licence: ${pkg.license}`, '');
}
process.stdout.write(out.join('\n') + '\n');
