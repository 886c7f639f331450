// `npm run bench -- <name> [<name>…]`: runs bench/<name>.ts (its default export) for each name.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !available.includes(n))) {
  console.error(`usage: npm run bench -- <name>…   (available: ${available.join(', ') || 'none'})`);
  process.exit(2);
}
for (const name of names) {
  const mod = (await import(`./${name}.ts`)) as { default: () => Promise<void> };
  console.log(`\n== bench: ${name} ==`);
  await mod.default();
}
process.exit(0);
