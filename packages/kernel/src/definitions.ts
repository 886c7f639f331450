import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod/v4';

/** A skill: `skills/<name>/SKILL.md`, frontmatter `name`, `description` (when to use it). */
export interface SkillFile {
  name: string;
  description: string;
  path: string;
}

/** An agent: `agents/<name>.md`, frontmatter `name`, `description`, optional `tools` and `model`; the body is its prompt. */
export interface AgentFile {
  name: string;
  description: string;
  prompt: string;
  tools?: string[];
  model?: string;
  path: string;
}

/** A file whose frontmatter could not be used; shown to the model so it can fix what it wrote. */
export interface DefinitionProblem {
  path: string;
  message: string;
}

const frontmatterSchema = z.object({
  name: z.string().trim().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and -'),
  description: z.string().trim().min(1).max(1024),
  tools: z.array(z.string()).optional(),
  model: z.string().optional(),
});

/** Splits `---\nyaml\n---\nbody` and validates the YAML; pure. */
export function parseFrontmatter(text: string): { ok: true; data: z.infer<typeof frontmatterSchema>; body: string } | { ok: false; message: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) return { ok: false, message: 'missing YAML frontmatter (a first line "---", the fields, then "---")' };
  let raw: unknown;
  try {
    raw = parseYaml(m[1]!);
  } catch (err) {
    return { ok: false, message: `frontmatter is not valid YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  const parsed = frontmatterSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, message: `frontmatter ${issue.path.join('.') || 'fields'}: ${issue.message}` };
  }
  return { ok: true, data: parsed.data, body: m[2]!.trim() };
}

async function entries(dir: string) {
  return readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
}

/** Reads every `skills/<name>/SKILL.md` and `agents/*.md` of a home, fresh on each call. */
export async function loadDefinitions(homeDir: string): Promise<{ skills: SkillFile[]; agents: AgentFile[]; problems: DefinitionProblem[] }> {
  const skills: SkillFile[] = [];
  const agents: AgentFile[] = [];
  const problems: DefinitionProblem[] = [];
  for (const e of await entries(join(homeDir, 'skills'))) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const path = `skills/${e.name}/SKILL.md`;
    const text = await readFile(join(homeDir, path), 'utf8').catch(() => null);
    if (text === null) continue;
    const r = parseFrontmatter(text);
    if (r.ok) skills.push({ name: r.data.name, description: r.data.description, path });
    else problems.push({ path, message: r.message });
  }
  for (const e of await entries(join(homeDir, 'agents'))) {
    if (!e.isFile() || !e.name.endsWith('.md')) continue;
    const path = `agents/${e.name}`;
    const r = parseFrontmatter(await readFile(join(homeDir, path), 'utf8'));
    if (r.ok) agents.push({ name: r.data.name, description: r.data.description, prompt: r.body, tools: r.data.tools, model: r.data.model, path });
    else problems.push({ path, message: r.message });
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return { skills: skills.sort(byName), agents: agents.sort(byName), problems };
}
