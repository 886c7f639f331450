import type { AgentFile, DefinitionProblem, SkillFile } from './definitions.ts';
import type { HostApp } from './host.ts';

/** Everything the system prompt is made of, read fresh from the home before each turn. */
export interface PromptInputs {
  soul: string;
  skills: SkillFile[];
  agents: AgentFile[];
  problems: DefinitionProblem[];
  apps: HostApp[];
  windows: string[];
  activity: string[];
  now: Date;
}

/** The default size budget of the system prompt, in characters (about 6 000 tokens). */
export const SYSTEM_PROMPT_BUDGET = 24_000;

const IDENTITY = `You are the kernel of Matrix OS, the user's personal AI operating system. The user talks to you in plain words and you change their computer for them: you write and build apps, edit files in their home, arrange windows on their canvas and remember what matters. Everything you make is a file in the user's home, so they own it and can undo it.`;

/** The rules: never truncated. */
export const RULES = `Rules:
- Act only through the matrix tools. Paths are relative to the user's home; never reach outside it.
- Never write the OS's own files (system/*.json), environment files (.env*), .git/, or another app's credentials. If a tool refuses, tell the user why instead of working around it.
- To make an app, use create_app with every file at once, then build_app, then open_window. Read the app-builder skill first if you have not this turn.
- App data goes through the bridge (query_app_data), never through files the app did not declare.
- Keep replies short, in markdown. Say what you changed and where the user finds it.
- Every change you make is snapshotted; the user can undo your last change from the chat.`;

interface Section {
  title: string;
  body: string;
  /** Lower is more important; sections are cut from the highest number down. */
  rank: number;
}

function list(items: string[], empty: string): string {
  return items.length ? items.map((i) => `- ${i}`).join('\n') : empty;
}

/** Cuts `body` to about `max` characters on a line boundary, saying how much was left out. */
function cut(body: string, max: number): string {
  const lines = body.split('\n');
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length + 1 > max) break;
    kept.push(line);
    size += line.length + 1;
  }
  return `${kept.join('\n')}\n(… ${lines.length - kept.length} more lines left out to fit the prompt budget)`;
}

const render = (s: Section) => `## ${s.title}\n${s.body}`;

/**
 * Assembles the system prompt: identity, the user's SOUL, the skills' table of contents, agents,
 * context (apps, open windows, recent activity) and the rules, within `budget` characters. When it
 * is too long the least important parts are cut first (activity, windows, apps, agents, skills,
 * soul); identity and rules are never cut. Pure.
 */
export function buildSystemPrompt(inputs: PromptInputs, budget = SYSTEM_PROMPT_BUDGET): string {
  const fixed = [IDENTITY, RULES];
  const sections: Section[] = [
    { title: 'Soul (who the user wants you to be)', body: inputs.soul.trim() || '(system/soul.md is empty)', rank: 1 },
    {
      title: 'Skills (read skills/<name>/SKILL.md with read_file before doing what it covers)',
      body: list(inputs.skills.map((s) => `${s.name}: ${s.description} (${s.path})`), '(none)'),
      rank: 2,
    },
    { title: 'Agents', body: list(inputs.agents.map((a) => `${a.name}: ${a.description} (${a.path})`), '(none)'), rank: 3 },
    {
      title: "The user's apps",
      body: list(
        inputs.apps.map((a) => `${a.slug} "${a.name}" (${a.status}${a.build ? `, build ${a.build}` : ''})${a.description ? `: ${a.description}` : ''}`),
        '(no apps yet)',
      ),
      rank: 4,
    },
    { title: 'Open windows', body: list(inputs.windows, '(none)'), rank: 5 },
    { title: 'Recent activity (newest first)', body: list([...inputs.activity].reverse(), '(nothing lately)'), rank: 6 },
  ];
  if (inputs.problems.length) {
    sections.push({ title: 'Files you wrote that could not be loaded (fix them)', body: list(inputs.problems.map((p) => `${p.path}: ${p.message}`), ''), rank: 2 });
  }
  sections.push({ title: 'Now', body: inputs.now.toISOString(), rank: 0 });

  const size = () => fixed.reduce((n, f) => n + f.length + 2, 0) + sections.reduce((n, s) => n + render(s).length + 2, 0);
  const byLeastImportant = [...sections].filter((s) => s.rank > 0).sort((a, b) => b.rank - a.rank);
  for (const s of byLeastImportant) {
    const over = size() - budget;
    if (over <= 0) break;
    const room = s.body.length - over - 80;
    if (room > 200) s.body = cut(s.body, room);
    else sections.splice(sections.indexOf(s), 1);
  }
  const ordered = sections.sort((a, b) => a.rank - b.rank).map(render);
  return [IDENTITY, ...ordered, RULES].join('\n\n');
}
