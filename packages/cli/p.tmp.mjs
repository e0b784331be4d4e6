import { readFileSync, readdirSync } from 'node:fs';
import { readYamlDocuments } from '@sealkit/core/manifest';
const files = [];
for (const d of readdirSync('/tmp/speed/fx/orig')) for (const f of readdirSync(`/tmp/speed/fx/orig/${d}`)) files.push(readFileSync(`/tmp/speed/fx/orig/${d}/${f}`, 'utf8'));
for (let r = 0; r < 3; r++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (const text of files) readYamlDocuments(text, { what: 'x' });
  const c = process.cpuUsage(c0); console.log('parse 1000: cpu ms', (c.user + c.system)/1000, 'wall', (performance.now()-t0).toFixed(0));
}
