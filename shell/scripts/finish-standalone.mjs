// `next build` with output: 'standalone' leaves static chunks and public files out of the server
// folder; copy them in so `node .next/standalone/shell/server.js` serves every chunk.
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const shell = dirname(dirname(fileURLToPath(import.meta.url)));
const server = join(shell, '.next/standalone/shell');
cpSync(join(shell, '.next/static'), join(server, '.next/static'), { recursive: true });
if (existsSync(join(shell, 'public'))) cpSync(join(shell, 'public'), join(server, 'public'), { recursive: true });
console.log(`shell: standalone server ready at ${join(server, 'server.js')}`);
