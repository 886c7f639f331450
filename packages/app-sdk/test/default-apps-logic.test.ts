import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { INITIAL, press, type CalcKey } from '../../../home/apps/calculator/src/calculator.ts';
import { Markdown, titleOf } from '../../../home/apps/notes/src/markdown.ts';
import { newGame, step, turn } from '../../../home/apps/snake/src/snake.ts';

const md = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));

describe('Notes renders Markdown without ever injecting HTML', () => {
  it('renders headings, emphasis, code, lists, task lists, quotes and links', () => {
    const html = md('# Title\n\nSome **bold**, *it*, `x<y`.\n\n- [x] done\n- [ ] todo\n\n1. one\n2. two\n\n> quoted\n\n[site](https://example.com)');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>it</em>');
    expect(html).toContain('<code>x&lt;y</code>');
    expect(html).toMatch(/<ul><li class="task"><input type="checkbox" disabled="" aria-label="done" checked=""\/>done<\/li>/);
    expect(html).toContain('<ol><li>one</li><li>two</li></ol>');
    expect(html).toContain('<blockquote>quoted</blockquote>');
    expect(html).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer">site</a>');
  });

  it('shows markup, script and dangerous links as text', () => {
    const html = md('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) [d](data:text/html,x)\n\n```\n<b>x</b>\n```');
    expect(html).not.toMatch(/<script|<img|<b>|href="javascript|href="data/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('[click](javascript:alert(1))');
  });

  it('names a note after its first line', () => {
    expect(titleOf('\n## Groceries *today*\nmilk')).toBe('Groceries today');
    expect(titleOf('   ')).toBe('Untitled');
  });
});

describe('Calculator', () => {
  const run = (keys: string) =>
    [...keys].reduce((s, ch) => {
      const key: CalcKey = /\d/.test(ch)
        ? { kind: 'digit', digit: ch }
        : ch === '.' ? { kind: 'point' } : ch === '=' ? { kind: 'equals' } : ch === '%' ? { kind: 'percent' }
        : { kind: 'op', op: ({ '+': '+', '-': '−', '*': '×', '/': '÷' } as const)[ch as '+']! };
      return press(s, key);
    }, INITIAL).display;

  it('chains operations left to right, repeats = and avoids float noise', () => {
    expect(run('12+3*2=')).toBe('30');
    expect(run('0.1+0.2=')).toBe('0.3');
    expect(run('2*3==')).toBe('18');
    expect(run('50+10%=')).toBe('55');
  });

  it('shows Error on division by zero and recovers on the next number', () => {
    expect(run('7/0=')).toBe('Error');
    expect(run('7/0=4+1=')).toBe('5');
  });
});

describe('Snake', () => {
  const fixed = () => 0;
  it('moves, refuses to reverse onto itself, and ends at a wall', () => {
    let g = newGame(6, fixed);
    const head = g.snake[0]!;
    g = step(turn(g, 'left'), fixed);
    expect(g.snake[0]).toEqual({ x: head.x + 1, y: head.y });
    for (let i = 0; i < 6 && !g.over; i++) g = step(g, fixed);
    expect(g.over).toBe(true);
  });

  it('grows and scores when it eats', () => {
    let g = newGame(8, fixed);
    g = { ...g, food: { x: g.snake[0]!.x + 1, y: g.snake[0]!.y } };
    const length = g.snake.length;
    g = step(g, fixed);
    expect(g.score).toBe(10);
    expect(g.snake).toHaveLength(length + 1);
  });
});
