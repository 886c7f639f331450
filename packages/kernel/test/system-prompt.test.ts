import { describe, expect, it } from 'vitest';
import { buildSystemPrompt, RULES, type PromptInputs } from '../src/index.ts';

const inputs = (over: Partial<PromptInputs> = {}): PromptInputs => ({
  soul: 'Be brief.',
  skills: [{ name: 'app-builder', description: 'How apps are made.', path: 'skills/app-builder/SKILL.md' }],
  agents: [],
  problems: [],
  apps: [{ slug: 'tasks', name: 'Tasks', status: 'ok', description: 'A todo list', build: 'ok' }],
  windows: ['tasks at 80,80 (720×520)'],
  activity: ['12:00 build of tasks succeeded'],
  now: new Date('2026-01-02T03:04:05Z'),
  ...over,
});

describe('the system prompt', () => {
  it('holds identity, soul, the skills table of contents, the context and the rules', () => {
    const p = buildSystemPrompt(inputs());
    expect(p).toMatch(/^You are the kernel of Matrix OS/);
    for (const part of ['Be brief.', 'app-builder: How apps are made. (skills/app-builder/SKILL.md)', 'tasks "Tasks" (ok, build ok): A todo list', 'tasks at 80,80', 'build of tasks succeeded', '2026-01-02T03:04:05.000Z']) {
      expect(p).toContain(part);
    }
    expect(p.endsWith(RULES)).toBe(true);
  });

  it('stays within its budget by cutting the least important parts first, never the rules', () => {
    const many = (n: number, what: string) => Array.from({ length: n }, (_, i) => `${what} ${i} ${'x'.repeat(60)}`);
    const p = buildSystemPrompt(
      inputs({ activity: many(100, 'event'), windows: many(10, 'window'), apps: many(20, 'app').map((a, i) => ({ slug: `app-${i}`, name: a, status: 'ok', description: null, build: null })) }),
      8000,
    );
    expect(p.length).toBeLessThanOrEqual(8000);
    expect(p).toContain(RULES);
    expect(p).toContain('Be brief.');
    expect(p).toContain('app-builder');
    // Only the activity, the least important part, was cut; its oldest lines went.
    expect(p).toContain('window 9 ');
    expect(p).toContain('app 19 ');
    expect(p).toContain('event 99 ');
    expect(p).not.toContain('event 0 ');
    expect(p).toMatch(/more lines left out to fit the prompt budget/);

    // Far over the budget, whole sections go, least important first; rules and soul stay.
    const tight = buildSystemPrompt(inputs({ activity: many(400, 'event'), windows: many(50, 'window') }), 4000);
    expect(tight.length).toBeLessThanOrEqual(4000);
    expect(tight).not.toContain('## Recent activity');
    expect(tight).toContain(RULES);
    expect(tight).toContain('Be brief.');
  });

  it('tells the model which of its own skill or agent files could not be loaded', () => {
    const p = buildSystemPrompt(inputs({ problems: [{ path: 'skills/x/SKILL.md', message: 'frontmatter is not valid YAML' }] }));
    expect(p).toContain('skills/x/SKILL.md: frontmatter is not valid YAML');
  });
});
