// Run by `npm start` before the machine starts: builds the default apps and the shell when their
// sources are newer than their build output, so a fresh clone starts with no other step.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** Newest modification time under the given paths, skipping build output and dependencies. */
function newest(paths) {
  let max = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (!['node_modules', '.next', 'dist', 'test'].includes(e)) walk(join(p, e));
    } else max = Math.max(max, st.mtimeMs);
  };
  paths.forEach(walk);
  return max;
}

function run(label, args) {
  console.log(`matrix: ${label}…`);
  const r = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`matrix: ${label} failed (exit ${r.status}).`);
    process.exit(r.status ?? 1);
  }
}

run('building the default apps', ['run', '--silent', 'build:apps']);

const shellServer = join(root, 'shell/.next/standalone/shell/server.js');
const shellSources = ['shell/app', 'shell/src', 'shell/public', 'shell/next.config.ts', 'shell/package.json', 'packages/protocol/src', 'packages/app-sdk/src'].map((p) => join(root, p));
if (!existsSync(shellServer) || newest(shellSources) > statSync(shellServer).mtimeMs) {
  run('building the shell (about a minute the first time)', ['run', '--silent', 'build', '-w', 'shell']);
}
