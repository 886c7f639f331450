import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import type { TerminalClientMessage, TerminalServerMessage, TerminalSession } from '@matrix-os/protocol';
import type { TestGateway } from './test-gateway.ts';

/** Terminal bytes as text without colours and cursor moves, so assertions can look for words. */
export function plain(text: string): string {
  return text.replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '').replace(/\x1b[\]P^_][^\x07\x1b]*(\x07|\x1b\\)/g, '').replace(/\x1b[()][0-9A-Za-z]|\x1b[=>c78MDE]/g, '');
}

/** A Node client on `/ws/terminal/:id`: collects output and messages like a browser tab would. */
export interface TerminalSocket {
  ws: WebSocket;
  attached: Extract<TerminalServerMessage, { type: 'attached' }>;
  /** Everything received as output, replay included. */
  output(): string;
  /** Output received after the replay. */
  live(): string;
  replay(): string;
  messages: TerminalServerMessage[];
  /** The seq after the last live byte received. */
  seq(): number;
  send(msg: TerminalClientMessage | Record<string, unknown>): void;
  /** Types a line (Enter is `\r`). */
  type(line: string): void;
  /** Resolves when the plain output (after `from` characters) contains `text`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  waitForMessage(pred: (m: TerminalServerMessage) => boolean, timeoutMs?: number): Promise<TerminalServerMessage>;
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Creates a session through the route. */
export async function createSession(t: TestGateway, body: Record<string, unknown> = {}): Promise<TerminalSession> {
  const res = await t.owner('/api/terminal/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`create session: ${res.status} ${await res.text()}`);
  return (await res.json()) as TerminalSession;
}

function until<T>(check: () => T | undefined, what: () => string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const v = check();
      if (v !== undefined) return resolve(v);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what()}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

/** Opens the terminal socket as the owner; rejects with the HTTP status when the upgrade is refused. */
export function openTerminal(t: TestGateway, id: string, resume: { epoch?: string; seq?: number } = {}): Promise<TerminalSocket> {
  const q = new URLSearchParams();
  if (resume.epoch) q.set('epoch', resume.epoch);
  if (resume.seq !== undefined) q.set('seq', String(resume.seq));
  const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/ws/terminal/${id}?${q}`, { headers: { cookie: t.ownerCookie } });
  const chunks: Buffer[] = [];
  let replayLeft = -1;
  let replayText = '';
  let seq = 0;
  const messages: TerminalServerMessage[] = [];
  let attached: Extract<TerminalServerMessage, { type: 'attached' }> | undefined;
  const decoder = new TextDecoder();
  let text = '';
  let liveText = '';
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      const msg = JSON.parse(data.toString()) as TerminalServerMessage;
      messages.push(msg);
      if (msg.type === 'attached') {
        attached = msg;
        replayLeft = msg.replayBytes;
        seq = msg.seq;
      }
      return;
    }
    const buf = data as Buffer;
    chunks.push(buf);
    const s = decoder.decode(buf, { stream: true });
    text += s;
    if (replayLeft > 0) {
      replayLeft -= buf.length;
      replayText += s;
    } else {
      seq += buf.length;
      liveText += s;
    }
  });
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode} ${body}`), { status: res.statusCode, body })));
    });
    ws.once('error', reject);
    ws.once('open', () => {
      void until(() => attached, () => 'attached', 10_000).then((a) => {
        const sock: TerminalSocket = {
          ws,
          attached: a,
          output: () => text,
          live: () => liveText,
          replay: () => replayText,
          messages,
          seq: () => seq,
          send: (msg) => ws.send(JSON.stringify(msg)),
          type: (line) => ws.send(JSON.stringify({ type: 'input', data: `${line}\r` })),
          waitFor: (want, timeoutMs = 15_000) =>
            until(
              () => {
                const p = plain(text);
                return (typeof want === 'string' ? p.includes(want) : want.test(p)) ? true : undefined;
              },
              () => `${String(want)} in output; last seen: ${JSON.stringify(plain(text).slice(-400))}`,
              timeoutMs,
            ).then(() => {}),
          waitForMessage: (pred, timeoutMs = 10_000) => until(() => messages.find(pred), () => 'a message', timeoutMs),
          closed,
          async close() {
            if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
            await closed;
          },
        };
        resolve(sock);
      }, reject);
    });
  });
}

// Python can shrink the socket's receive buffer (Node cannot), so the kernel holds little and a
// client that does not read shows up at once as bytes the gateway itself would have to hold.
const NON_READING_CLIENT = `
import socket, sys, time
host, port, path, cookie, key = sys.argv[1:6]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect((host, int(port)))
s.sendall(("GET %s HTTP/1.1\\r\\nHost: %s:%s\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Key: %s\\r\\nSec-WebSocket-Version: 13\\r\\nCookie: %s\\r\\n\\r\\n" % (path, host, port, key, cookie)).encode())
head = s.recv(12)
print(head.decode("latin1"), flush=True)
time.sleep(600)
`;

/**
 * A real client (a separate process) that completes the WebSocket handshake on `/ws/terminal/:id`
 * and then never reads another byte. Resolves once the upgrade was accepted.
 */
export async function openNonReadingSocket(t: TestGateway, id: string): Promise<ChildProcess> {
  const { hostname, port } = new URL(t.url);
  const child = spawn('python3', ['-c', NON_READING_CLIENT, hostname, port, `/ws/terminal/${id}`, t.ownerCookie, randomBytes(16).toString('base64')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const head = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString())));
  if (!head.startsWith('HTTP/1.1 101')) {
    child.kill();
    throw new Error(`upgrade refused: ${head}`);
  }
  return child;
}
