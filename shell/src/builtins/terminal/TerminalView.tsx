'use client';

import { useEffect, useRef, useState } from 'react';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { firstSession, TerminalClient, type TerminalStatus } from './terminal-client.ts';

/**
 * `__terminal__`: an xterm.js screen on one of the machine's terminal sessions (the first one, or
 * `sessionId`). Fits its box, opens clicked URLs, copies the selection with Ctrl/Cmd+Shift+C, pastes with the browser's
 * paste, and reconnects with replay after a dropped connection.
 */
export function TerminalView({ sessionId, baseUrl }: { sessionId?: string; baseUrl?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<{ status: TerminalStatus; detail?: string }>({ status: 'connecting' });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const origin = baseUrl ?? window.location.origin;
    const term = new Terminal({ scrollback: 5000, cursorBlink: true, fontFamily: 'ui-monospace, Menlo, monospace', fontSize: 13, allowProposedApi: false });
    const fit = new FitAddon();
    term.loadAddon(fit);
    // A click on a URL in the output opens it in a new tab, with no way back to this one (opener cleared).
    term.loadAddon(new WebLinksAddon());
    term.open(el);
    let client: TerminalClient | null = null;
    let disposed = false;
    const refit = () => {
      fit.fit();
      client?.resize(term.cols, term.rows);
    };
    term.attachCustomKeyEventHandler((e) => {
      // Ctrl+Shift+C copies the selection; plain Ctrl+C stays an interrupt for the shell.
      if (e.type === 'keydown' && e.shiftKey && (e.ctrlKey || e.metaKey) && e.code === 'KeyC' && term.hasSelection()) {
        void navigator.clipboard?.writeText(term.getSelection());
        return false;
      }
      return true;
    });
    term.onData((data) => client?.input(data));
    const resizeObserver = new ResizeObserver(() => refit());
    resizeObserver.observe(el);
    void (async () => {
      try {
        const id = sessionId ?? (await firstSession(origin)).id;
        if (disposed) return;
        client = new TerminalClient({ baseUrl: origin, sessionId: id, screen: term, onStatus: (s, detail) => setStatus({ status: s, detail }) });
        client.connect();
        refit();
        term.focus();
      } catch (err) {
        setStatus({ status: 'ended', detail: (err as Error).message });
      }
    })();
    return () => {
      disposed = true;
      resizeObserver.disconnect();
      client?.dispose();
      term.dispose();
    };
  }, [sessionId, baseUrl]);

  return (
    <div style={{ position: 'relative', width: '100%', height: '100%', background: '#000' }}>
      <div ref={box} data-testid="terminal" style={{ position: 'absolute', inset: 4 }} />
      {status.status !== 'attached' && (
        <div role="status" style={{ position: 'absolute', right: 8, top: 4, color: '#ccc', font: '12px sans-serif' }}>
          {status.status === 'ended' ? (status.detail ?? 'The session ended.') : status.status === 'reconnecting' ? 'Reconnecting…' : 'Connecting…'}
        </div>
      )}
    </div>
  );
}
