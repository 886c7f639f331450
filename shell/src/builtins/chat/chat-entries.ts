import type { ChatEvent, ChatMessage } from '@matrix-os/protocol';

/** One line of the chat log. */
export type Entry =
  | { kind: 'user'; text: string }
  | { kind: 'assistant'; text: string; turnId: string }
  | { kind: 'tool'; id: string; name: string; ok?: boolean; output?: string }
  | { kind: 'error'; text: string }
  /** Something the panel says itself (a stopped turn, an undo). */
  | { kind: 'note'; text: string };

const toolName = (name: string) => name.replace(/^mcp__matrix__/, '');
const shortOutput = (output: unknown) => (typeof output === 'string' ? output.slice(0, 400) : undefined);

/** The log of a stored conversation (what a reload or a remounted panel shows). */
export function entriesFromMessages(messages: ChatMessage[]): Entry[] {
  return messages.flatMap((m): Entry[] => {
    if (m.role === 'user') return [{ kind: 'user', text: m.content }];
    if (m.role === 'error') return [{ kind: 'error', text: m.content }];
    const tools = m.tools.map((t, i): Entry => ({ kind: 'tool', id: `${m.id}-${i}`, name: toolName(t.name), ok: t.ok, output: shortOutput(t.output) }));
    return m.content ? [...tools, { kind: 'assistant', text: m.content, turnId: m.id }] : tools;
  });
}

/** The log after one live kernel event of a turn. */
export function applyChatEvent(list: Entry[], e: ChatEvent): Entry[] {
  const ev = e.event;
  const next = [...list];
  const last = next.at(-1);
  if (ev.kind === 'text') {
    if (last?.kind === 'assistant' && last.turnId === e.turnId) next[next.length - 1] = { ...last, text: last.text + ev.delta };
    else next.push({ kind: 'assistant', text: ev.delta, turnId: e.turnId });
  } else if (ev.kind === 'tool_start') next.push({ kind: 'tool', id: ev.toolUseId, name: toolName(ev.name) });
  else if (ev.kind === 'tool_end') {
    const i = next.findIndex((x) => x.kind === 'tool' && x.id === ev.toolUseId);
    if (i >= 0) next[i] = { ...(next[i] as Extract<Entry, { kind: 'tool' }>), ok: ev.ok, output: shortOutput(ev.output) };
  } else if (ev.kind === 'error') next.push({ kind: 'error', text: ev.message });
  else if (ev.kind === 'aborted') next.push({ kind: 'note', text: 'Stopped. Nothing half-written was kept.' });
  return next;
}

/** True for the event that ends a turn. */
export function endsTurn(e: ChatEvent): boolean {
  return e.event.kind === 'result' || e.event.kind === 'error' || e.event.kind === 'aborted';
}
