'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatEvent, ChatMessage } from '@matrix-os/protocol';
import { api } from '../../lib/api.ts';
import { eventSocket } from '../../lib/event-socket.ts';
import { Markdown } from '../files/markdown.tsx';
import { applyChatEvent, endsTurn, entriesFromMessages, type Entry } from './chat-entries.ts';

interface Status {
  enabled: boolean;
  model?: string;
  message?: string;
}

/** This browser's current conversation: a reloaded or remounted panel picks it up again. */
const CONVERSATION_KEY = 'matrix.chat.conversation';

/** `__chat__`: talk to the kernel (docs/kernel.md); says how to enable it when the gateway reports it off. */
export function ChatPanel() {
  const [status, setStatus] = useState<Status | null>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const conversation = useRef<string | null>(null);
  // Events arrive before the panel knows where they belong (while restoring, or while the first
  // message of a new conversation is on its way): they wait here, then go through `apply`.
  const waiting = useRef<ChatEvent[] | null>([]);
  // The last event index applied per turn, so a replayed event is never applied twice.
  const applied = useRef(new Map<string, number>());
  const log = useRef<HTMLDivElement>(null);

  const apply = useCallback((e: ChatEvent) => {
    if (e.conversationId !== conversation.current || e.index <= (applied.current.get(e.turnId) ?? -1)) return;
    applied.current.set(e.turnId, e.index);
    setEntries((list) => applyChatEvent(list, e));
    if (endsTurn(e)) setBusy(false);
  }, []);

  const flushWaiting = useCallback(() => {
    const queued = waiting.current ?? [];
    waiting.current = null;
    for (const e of queued) apply(e);
  }, [apply]);

  useEffect(() => {
    api<Status>('/api/chat/status').then(setStatus, () => setStatus({ enabled: false, message: 'The AI kernel is not configured on this machine.' }));
  }, []);

  useEffect(
    () =>
      eventSocket().on((e) => {
        if (e.type !== 'chat') return;
        if (waiting.current) waiting.current.push(e);
        else apply(e);
      }),
    [apply],
  );

  // Picks up this browser's conversation: its stored messages, then the running turn's events so far.
  useEffect(() => {
    const id = localStorage.getItem(CONVERSATION_KEY);
    if (!id) return flushWaiting();
    let cancelled = false;
    api<{ messages: ChatMessage[]; running: { turnId: string; events: ChatEvent[] } | null }>(`/api/chat/conversations/${encodeURIComponent(id)}`)
      .then(
        (c) => {
          if (cancelled) return;
          conversation.current = id;
          setEntries(entriesFromMessages(c.messages));
          if (c.running) {
            setBusy(true);
            for (const e of c.running.events) apply(e);
          }
        },
        // Deleted meanwhile (or never there): start afresh.
        () => localStorage.removeItem(CONVERSATION_KEY),
      )
      .finally(() => !cancelled && flushWaiting());
    return () => {
      cancelled = true;
    };
  }, [apply, flushWaiting]);

  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [entries]);

  const send = async () => {
    const text = draft.trim();
    if (!text || busy) return;
    setDraft('');
    setBusy(true);
    setEntries((l) => [...l, { kind: 'user', text }]);
    waiting.current ??= [];
    try {
      const r = await api<{ conversationId: string }>('/api/chat/send', { method: 'POST', json: { message: text, ...(conversation.current ? { conversationId: conversation.current } : {}) } });
      conversation.current = r.conversationId;
      localStorage.setItem(CONVERSATION_KEY, r.conversationId);
    } catch (e) {
      setEntries((l) => [...l, { kind: 'error', text: (e as Error).message }]);
      setBusy(false);
    }
    flushWaiting();
  };

  const startOver = () => {
    conversation.current = null;
    localStorage.removeItem(CONVERSATION_KEY);
    setEntries([]);
    setBusy(false);
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
        <div className="chat-actions">
          <button className="btn primary" type="submit" disabled={busy}>
            Send
          </button>
          {entries.length > 0 && (
            <button className="btn ghost" type="button" onClick={startOver} title="Start a new conversation">
              New
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
