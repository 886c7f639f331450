'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatConversation, ChatEvent, ChatMessage } from '@matrix-os/protocol';
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

  // Shows a stored conversation: its messages, then its running turn's events so far.
  const openConversation = useCallback(
    async (id: string) => {
      waiting.current ??= [];
      applied.current.clear();
      try {
        const c = await api<{ messages: ChatMessage[]; running: { turnId: string; events: ChatEvent[] } | null }>(`/api/chat/conversations/${encodeURIComponent(id)}`);
        conversation.current = id;
        localStorage.setItem(CONVERSATION_KEY, id);
        setEntries(entriesFromMessages(c.messages));
        setBusy(Boolean(c.running));
        for (const e of c.running?.events ?? []) apply(e);
      } catch {
        // Deleted meanwhile (or never there): start afresh.
        localStorage.removeItem(CONVERSATION_KEY);
      } finally {
        flushWaiting();
      }
    },
    [apply, flushWaiting],
  );

  // Picks up this browser's conversation.
  useEffect(() => {
    const id = localStorage.getItem(CONVERSATION_KEY);
    if (id) void openConversation(id);
    else flushWaiting();
  }, [openConversation, flushWaiting]);

  const [history, setHistory] = useState<ChatConversation[]>([]);
  const loadHistory = useCallback(() => api<{ conversations: ChatConversation[] }>('/api/chat/conversations?limit=50').then((r) => setHistory(r.conversations), () => {}), []);
  // A turn that starts or ends may be a new conversation, or give one a newer place in the list.
  useEffect(() => {
    void loadHistory();
  }, [loadHistory, busy]);

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

  const note = (kind: 'note' | 'error', text: string) => setEntries((l) => [...l, { kind, text }]);
  const stop = () => {
    const id = conversation.current;
    if (id) api(`/api/chat/conversations/${id}/abort`, { method: 'POST' }).catch((e: Error) => note('error', e.message));
  };
  const undo = () =>
    api<{ reverted: { message: string } }>('/api/chat/undo', { method: 'POST' }).then(
      (r) => note('note', `Undid “${r.reverted.message.replace(/^kernel: /, '')}”.`),
      (e: Error) => note('error', e.message),
    );

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
      <div className="chat-bar" role="toolbar" aria-label="Conversation">
        <select
          aria-label="Conversation"
          value={conversation.current ?? ''}
          onFocus={() => void loadHistory()}
          onChange={(e) => (e.target.value ? void openConversation(e.target.value) : startOver())}
        >
          <option value="">New conversation</option>
          {conversation.current && !history.some((c) => c.id === conversation.current) && <option value={conversation.current}>This conversation</option>}
          {history.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
        <button className="btn ghost" type="button" onClick={() => void undo()} title="Put back the files the kernel changed last">
          Undo last change
        </button>
      </div>
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
          ) : e.kind === 'note' ? (
            <div key={i} className="muted" role="status">
              {e.text}
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
          {busy ? (
            <button className="btn" type="button" onClick={stop} title="Stop this turn; nothing half-written is kept">
              Stop
            </button>
          ) : (
            <button className="btn primary" type="submit">
              Send
            </button>
          )}
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
