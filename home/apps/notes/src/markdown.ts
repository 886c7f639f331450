import { createElement as h, Fragment, type ReactNode } from 'react';

/*
 * A small Markdown renderer that builds React elements (with createElement, so it is plain
 * TypeScript), never HTML strings, so nothing a note
 * contains can run as markup. It covers what notes use: headings, paragraphs, emphasis, inline
 * code, fenced code, lists, task lists, quotes, rules and links (http, https and mailto only).
 */

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

// One pattern for every inline form; the first group that matched says which.
const INLINE = /(`[^`\n]+`)|(\*\*[^*\n]+\*\*|__[^_\n]+__)|(\*[^*\n]+\*|_[^_\n]+_)|(~~[^~\n]+~~)|\[([^\]\n]+)\]\(([^)\s]+)\)/g;

/** Renders inline Markdown (code, bold, italic, strike, links) in one line of text. */
export function renderInline(text: string, key = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let n = 0;
  for (const m of text.matchAll(INLINE)) {
    const at = m.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    const k = `${key}-${n++}`;
    if (m[1]) out.push(h('code', { key: k }, m[1].slice(1, -1)));
    else if (m[2]) out.push(h('strong', { key: k }, ...renderInline(m[2].slice(2, -2), k)));
    else if (m[3]) out.push(h('em', { key: k }, ...renderInline(m[3].slice(1, -1), k)));
    else if (m[4]) out.push(h('del', { key: k }, ...renderInline(m[4].slice(2, -2), k)));
    else if (m[5] && m[6]) {
      out.push(SAFE_LINK.test(m[6]) ? h('a', { key: k, href: m[6], target: '_blank', rel: 'noopener noreferrer' }, ...renderInline(m[5], k)) : m[0]);
    }
    last = at + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

type Block =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'list'; ordered: boolean; items: { text: string; checked: boolean | null }[] }
  | { kind: 'quote'; lines: string[] }
  | { kind: 'rule' }
  | { kind: 'paragraph'; lines: string[] };

const LIST_ITEM = /^\s*([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TASK = /^\[([ xX])\]\s+(.*)$/;

/** Splits Markdown source into blocks. */
export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (/^\s*```/.test(line)) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i]!)) body.push(lines[i++]!);
      i++;
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length as 1, text: heading[2]!.replace(/\s+#+\s*$/, '') });
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push({ kind: 'rule' });
      i++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quote: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i]!)) quote.push(lines[i++]!.replace(/^\s*>\s?/, ''));
      blocks.push({ kind: 'quote', lines: quote });
      continue;
    }
    const first = LIST_ITEM.exec(line);
    if (first) {
      const ordered = /\d/.test(first[1]!);
      const items: { text: string; checked: boolean | null }[] = [];
      let m: RegExpExecArray | null;
      while (i < lines.length && (m = LIST_ITEM.exec(lines[i]!)) && /\d/.test(m[1]!) === ordered) {
        const task = TASK.exec(m[2]!);
        items.push(task ? { text: task[2]!, checked: task[1] !== ' ' } : { text: m[2]!, checked: null });
        i++;
      }
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !/^(#{1,6}\s|\s*```|\s*>)/.test(lines[i]!) && !LIST_ITEM.test(lines[i]!)) {
      para.push(lines[i++]!);
    }
    blocks.push({ kind: 'paragraph', lines: para });
  }
  return blocks;
}

/** Renders Markdown source as React elements. */
export function Markdown({ source }: { source: string }): ReactNode {
  return h(Fragment, null, ...parseBlocks(source).map((b, i) => renderBlock(b, `b${i}`)));
}

function renderBlock(b: Block, k: string): ReactNode {
  switch (b.kind) {
    case 'heading':
      return h(`h${b.level}`, { key: k }, ...renderInline(b.text, k));
    case 'code':
      return h('pre', { key: k }, h('code', null, b.text));
    case 'rule':
      return h('hr', { key: k });
    case 'quote':
      return h('blockquote', { key: k }, ...withBreaks(b.lines, k));
    case 'list':
      return h(
        b.ordered ? 'ol' : 'ul',
        { key: k },
        ...b.items.map((item, j) =>
          h(
            'li',
            { key: j, className: item.checked === null ? undefined : 'task' },
            item.checked !== null && h('input', { type: 'checkbox', checked: item.checked, disabled: true, 'aria-label': item.checked ? 'done' : 'not done' }),
            ...renderInline(item.text, `${k}-${j}`),
          ),
        ),
      );
    case 'paragraph':
      return h('p', { key: k }, ...withBreaks(b.lines, k));
  }
}

function withBreaks(lines: string[], key: string): ReactNode[] {
  return lines.flatMap((line, i) => (i === 0 ? renderInline(line, `${key}-${i}`) : [h('br', { key: `${key}-br${i}` }), ...renderInline(line, `${key}-${i}`)]));
}

/** A note's title: its first non-empty line without Markdown marks. */
export function titleOf(body: string): string {
  const line = body.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/^\s*(#{1,6}\s+|[-*+]\s+|>\s*)/, '').replace(/[*_`~]/g, '').trim().slice(0, 120) || 'Untitled';
}
