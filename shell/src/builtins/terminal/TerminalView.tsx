'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { TerminalSession } from '@matrix-os/protocol';
import { firstSession, sessionsApi, TerminalClient, type TerminalStatus } from './terminal-client.ts';

/**
 * `__terminal__`: an xterm.js screen on one of the machine's terminal sessions, with a bar to pick,
 * start, rename and end sessions. The window remembers its session (`sessionId`, kept on the canvas
 * node through `onSession`); a new window takes the first session, or starts one. Fits its box,
 * opens clicked URLs, copies the selection with Ctrl/Cmd+Shift+C, pastes with the browser's paste,
 * and reconnects with replay after a dropped connection.
 */
export function TerminalView({ sessionId, onSession }: { sessionId?: string; onSession?: (id: string) => void }) {
  const [active, setActive] = useState<string | null>(sessionId ?? null);
  const [sessions, setSessions] = useState<TerminalSession[]>([]);
  const [error, setError] = useState<string | null>(null);
  const pin = useRef(onSession);
  pin.current = onSession;

  const choose = useCallback((id: string) => {
    setActive(id);
    pin.current?.(id);
  }, []);
  const refresh = useCallback(() => sessionsApi.list().then(setSessions, (e: Error) => setError(e.message)), []);

  useEffect(() => {
    if (sessionId) return setActive(sessionId);
    firstSession().then((s) => choose(s.id), (e: Error) => setError(e.message));
  }, [sessionId, choose]);
  useEffect(() => {
    void refresh();
  }, [refresh, active]);

  const act = (fn: () => Promise<unknown>) => () => {
    setError(null);
    fn().catch((e: Error) => setError(e.message)).finally(() => void refresh());
  };
  const current = sessions.find((s) => s.id === active);
  const rename = act(async () => {
    const name = current && window.prompt('Name this session', current.name)?.trim();
    if (current && name && name !== current.name) await sessionsApi.rename(current.id, name);
  });
  const end = act(async () => {
    if (!current || !window.confirm(`End “${current.name}”? Its programs are stopped and its history is gone.`)) return;
    await sessionsApi.kill(current.id);
    const rest = (await sessionsApi.list()).filter((s) => s.id !== current.id);
    choose(rest[0]?.id ?? (await sessionsApi.create()).id);
  });

  return (
    <div className="terminal-window">
      <div className="terminal-bar" role="toolbar" aria-label="Terminal sessions">
        <select aria-label="Terminal session" value={active ?? ''} onFocus={() => void refresh()} onChange={(e) => choose(e.target.value)}>
          {active && !current && <option value={active}>…</option>}
          {sessions.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <button type="button" className="btn ghost" onClick={act(async () => choose((await sessionsApi.create()).id))}>
          New
        </button>
        <button type="button" className="btn ghost" disabled={!current} onClick={rename}>
          Rename
        </button>
        <button type="button" className="btn ghost" disabled={!current} onClick={end}>
          End
        </button>
        {error && (
          <span className="error-text" role="alert">
            {error}
          </span>
        )}
      </div>
      {active && <TerminalScreen key={active} sessionId={active} />}
    </div>
  );
}

/** The xterm.js screen attached to one session; remounted (by key) when the window switches session. */
function TerminalScreen({ sessionId }: { sessionId: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<{ status: TerminalStatus; detail?: string }>({ status: 'connecting' });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const term = new Terminal({ scrollback: 5000, cursorBlink: true, fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 13, allowProposedApi: false });
    const fit = new FitAddon();
    term.loadAddon(fit);
    // A click on a URL in the output opens it in a new tab, with no way back to this one (opener cleared).
    term.loadAddon(new WebLinksAddon());
    term.open(el);
    const client = new TerminalClient({ baseUrl: window.location.origin, sessionId, screen: term, onStatus: (s, detail) => setStatus({ status: s, detail }) });
    const refit = () => {
      fit.fit();
      client.resize(term.cols, term.rows);
    };
    term.attachCustomKeyEventHandler((e) => {
      // Ctrl+Shift+C copies the selection; plain Ctrl+C stays an interrupt for the shell.
      if (e.type === 'keydown' && e.shiftKey && (e.ctrlKey || e.metaKey) && e.code === 'KeyC' && term.hasSelection()) {
        void navigator.clipboard?.writeText(term.getSelection());
        return false;
      }
      return true;
    });
    term.onData((data) => client.input(data));
    const resizeObserver = new ResizeObserver(() => refit());
    resizeObserver.observe(el);
    client.connect();
    refit();
    term.focus();
    return () => {
      resizeObserver.disconnect();
      client.dispose();
      term.dispose();
    };
  }, [sessionId]);

  return (
    <div className="terminal-screen">
      <div ref={box} data-testid="terminal" style={{ position: 'absolute', inset: 4 }} />
      {status.status !== 'attached' && (
        <div role="status" style={{ position: 'absolute', right: 8, top: 4, color: '#ccc', font: '12px sans-serif' }}>
          {status.status === 'ended' ? (status.detail ?? 'The session ended.') : status.status === 'reconnecting' ? 'Reconnecting…' : 'Connecting…'}
        </div>
      )}
    </div>
  );
}
