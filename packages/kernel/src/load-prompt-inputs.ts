import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDefinitions } from './definitions.ts';
import type { KernelHost } from './host.ts';
import type { PromptInputs } from './system-prompt.ts';

/** Reads the system prompt's inputs from the home and the host; called before every turn. */
export async function loadPromptInputs(host: KernelHost): Promise<PromptInputs> {
  const [soul, defs, apps, windows, activity] = await Promise.all([
    readFile(join(host.homeDir, 'system', 'soul.md'), 'utf8').catch(() => ''),
    loadDefinitions(host.homeDir),
    host.apps.list(),
    host.canvas.openWindows(),
    host.recentActivity(),
  ]);
  return { soul, ...defs, apps, windows, activity, now: new Date() };
}
