'use client';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../lib/api.ts';
import { eventSocket } from '../../lib/event-socket.ts';
import { Markdown } from '../files/markdown.tsx';

interface Status {
  enabled: boolean;
  model?: string;
  message?: string;
}

type Entry =
  | { kind: 'user'; text: string }
  | { kind: 'assistant'; text: string; turnId: string }
  | { kind: 'tool'; id: string; name: string; ok?: boolean; output?: string }
  | { kind: 'error'; text: string };

interface ChatWsEvent {
  type: 'chat';
  conversationId: string;
  turnId: string;
  index: number;
  event: { kind: string; delta?: string; toolUseId?: string; name?: string; ok?: boolean; output?: unknown; message?: string; position?: number };
}

/** `__chat__`: talk to the kernel (docs/kernel.md); says how to enable it when the gateway reports it off. */
export function ChatPanel() {
  const [status, setStatus] = useState<Status | null>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const conversation = useRef<string | null>(null);
  const log = useRef<HTMLDivElement>(null);

  useEffect(() => {
    api<Status>('/api/chat/status').then(setStatus, () => setStatus({ enabled: false, message: 'The AI kernel is not configured on this machine.' }));
  }, []);

  useEffect(
    () =>
      eventSocket().on((raw) => {
        const e = raw as unknown as ChatWsEvent;
        if (e.type !== 'chat' || e.conversationId !== conversation.current) return;
        const ev = e.event;
        setEntries((list) => {
          const next = [...list];
          const last = next.at(-1);
          if (ev.kind === 'text' && ev.delta) {
            if (last?.kind === 'assistant' && last.turnId === e.turnId) next[next.length - 1] = { ...last, text: last.text + ev.delta };
            else next.push({ kind: 'assistant', text: ev.delta, turnId: e.turnId });
          } else if (ev.kind === 'tool_start') next.push({ kind: 'tool', id: ev.toolUseId ?? '', name: (ev.name ?? '').replace(/^mcp__matrix__/, '') });
          else if (ev.kind === 'tool_end') {
            const i = next.findIndex((x) => x.kind === 'tool' && x.id === ev.toolUseId);
            if (i >= 0) next[i] = { ...(next[i] as Extract<Entry, { kind: 'tool' }>), ok: ev.ok, output: typeof ev.output === 'string' ? ev.output.slice(0, 400) : undefined };
          } else if (ev.kind === 'error') next.push({ kind: 'error', text: ev.message ?? 'The turn failed.' });
          return next;
        });
        if (ev.kind === 'result' || ev.kind === 'error' || ev.kind === 'aborted') setBusy(false);
      }),
    [],
  );

  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [entries]);

  const send = async () => {
    const text = draft.trim();
    if (!text || busy) return;
    setDraft('');
    setBusy(true);
    setEntries((l) => [...l, { kind: 'user', text }]);
    try {
      const r = await api<{ conversationId: string }>('/api/chat/send', { method: 'POST', json: { message: text, ...(conversation.current ? { conversationId: conversation.current } : {}) } });
      conversation.current = r.conversationId;
    } catch (e) {
      setEntries((l) => [...l, { kind: 'error', text: (e as Error).message }]);
      setBusy(false);
    }
  };

  if (!status) return <div className="empty-state">Loading…</div>;
  if (!status.enabled)
    return (
      <div className="empty-state" role="status">
        <strong style={{ color: 'var(--matrix-fg)' }}>The AI kernel is not configured.</strong>
        <span style={{ whiteSpace: 'pre-wrap', maxWidth: 340 }}>{status.message}</span>
      </div>
    );
  return (
    <div className="chat">
      <div className="chat-log" ref={log} aria-live="polite">
        {entries.length === 0 && <p className="muted">Ask for an app, a change to a file, or a new layout. Model: {status.model}</p>}
        {entries.map((e, i) =>
          e.kind === 'user' ? (
            <div key={i} className="bubble user">
              {e.text}
            </div>
          ) : e.kind === 'assistant' ? (
            <div key={i} className="bubble assistant">
              <Markdown source={e.text} />
            </div>
          ) : e.kind === 'tool' ? (
            <div key={i} className={`tool-card ${e.ok === false ? 'failed' : ''}`}>
              {e.ok === undefined ? '⋯' : e.ok ? '✓' : '✕'} {e.name}
              {e.output && <div className="muted">{e.output}</div>}
            </div>
          ) : (
            <div key={i} className="error-text">
              {e.text}
            </div>
          ),
        )}
      </div>
      <form className="chat-input" onSubmit={(e) => (e.preventDefault(), void send())}>
        <textarea aria-label="Message" value={draft} placeholder="Message Matrix OS…" onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && !e.shiftKey && (e.preventDefault(), void send())} />
        <button className="btn primary" type="submit" disabled={busy}>
          Send
        </button>
      </form>
    </div>
  );
}
