// `next build` with output: 'standalone' leaves static chunks and public files out of the server
// folder; copy them in so `node .next/standalone/shell/server.js` serves every chunk. Text assets
// get a `.gz` beside them, which the machine's edge (Node or nginx) sends instead of compressing
// each chunk again on every load.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';

const shell = dirname(dirname(fileURLToPath(import.meta.url)));
const server = join(shell, '.next/standalone/shell');
for (const entry of readdirSync(join(shell, '.next/static'), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(js|css|json|map|svg|txt)$/.test(entry.name)) continue;
  const file = join(entry.parentPath, entry.name);
  writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: constants.Z_BEST_COMPRESSION }));
}
cpSync(join(shell, '.next/static'), join(server, '.next/static'), { recursive: true });
if (existsSync(join(shell, 'public'))) cpSync(join(shell, 'public'), join(server, 'public'), { recursive: true });
console.log(`shell: standalone server ready at ${join(server, 'server.js')}`);
