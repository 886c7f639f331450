import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../src/index.ts';

describe('agents and skills are files', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('loads skills and agents from their frontmatter, fresh on each call, and reports broken ones', async () => {
    const home = await mkdtemp(join(tmpdir(), 'kernel-defs-'));
    dirs.push(home);
    await mkdir(join(home, 'skills/cooking'), { recursive: true });
    await mkdir(join(home, 'skills/broken'), { recursive: true });
    await mkdir(join(home, 'agents'), { recursive: true });
    await writeFile(join(home, 'skills/cooking/SKILL.md'), '---\nname: cooking\ndescription: "Recipes: plan meals"\n---\nBody.\n');
    await writeFile(join(home, 'skills/broken/SKILL.md'), '---\nname: [unclosed\n---\n');
    await writeFile(join(home, 'agents/critic.md'), '---\nname: critic\ndescription: Reviews.\ntools: [mcp__matrix__read_file]\n---\nYou review things.\n');
    await writeFile(join(home, 'agents/nameless.md'), 'no frontmatter here');

    const first = await loadDefinitions(home);
    expect(first.skills).toEqual([{ name: 'cooking', description: 'Recipes: plan meals', path: 'skills/cooking/SKILL.md' }]);
    expect(first.agents).toEqual([{ name: 'critic', description: 'Reviews.', prompt: 'You review things.', tools: ['mcp__matrix__read_file'], model: undefined, path: 'agents/critic.md' }]);
    expect(first.problems.map((p) => p.path).sort()).toEqual(['agents/nameless.md', 'skills/broken/SKILL.md']);
    expect(first.problems.find((p) => p.path === 'skills/broken/SKILL.md')!.message).toMatch(/not valid YAML/);

    // The kernel extends itself by writing a file; the next turn sees it.
    await mkdir(join(home, 'skills/gardening'));
    await writeFile(join(home, 'skills/gardening/SKILL.md'), '---\nname: gardening\ndescription: Plants.\n---\n');
    expect((await loadDefinitions(home)).skills.map((s) => s.name)).toEqual(['cooking', 'gardening']);
  });

  it('a home without agents or skills has none', async () => {
    expect(await loadDefinitions(join(tmpdir(), 'kernel-no-such-home'))).toEqual({ skills: [], agents: [], problems: [] });
  });
});
