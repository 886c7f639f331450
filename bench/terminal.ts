// `npm run bench -- terminal`: 64 MiB of random bytes as base64 (`head -c 64M /dev/urandom | base64`)
// (a) through a gateway terminal session (tmux + PTY + WebSocket) to a Node client, beside
// (b) the same command in a PTY read in-process with node-pty; then the p50/p99 echo latency of
// 1,000 single keystrokes through the gateway. Throughput is the command's output size over the
// time until it finished, as the user sees it: tmux coalesces a flood of output into screen
// updates, so the client receives fewer bytes than the program wrote (printed too).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node-pty';
import WebSocket from 'ws';
import { createLogger, loadConfig, startGateway } from '@matrix-os/gateway';
import { percentiles, printTable } from './_support.ts';

const MIB = 1024 * 1024;
const SOURCE_MIB = Number(process.env.BENCH_TERMINAL_MIB ?? 64);
// base64 turns 3 bytes into 4 and adds a newline every 76 characters.
const OUTPUT_BYTES = Math.ceil((SOURCE_MIB * MIB) / 3) * 4 * (77 / 76);
const COMMAND = `head -c ${SOURCE_MIB}M /dev/urandom | base64`;
const KEYSTROKES = 1000;
const PASSWORD = 'bench-password-1';

/** (b): the command in a PTY, read in-process until it exits. */
function inProcess(): Promise<{ seconds: number; bytes: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    let bytes = 0;
    const pty = spawn('bash', ['-c', COMMAND], { name: 'xterm-256color', cols: 120, rows: 32, encoding: null });
    pty.onData((d: string | Buffer) => (bytes += d.length));
    pty.onExit(() => resolve({ seconds: (performance.now() - started) / 1000, bytes }));
  });
}

/** A WebSocket on the session that counts bytes and can wait for a marker in the output. */
async function attach(url: string, cookie: string, id: string) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/terminal/${id}`, { headers: { cookie } });
  let bytes = 0;
  let tail = '';
  let waiter: { text: string; resolve: () => void } | null = null;
  ws.on('message', (data: Buffer, binary: boolean) => {
    if (!binary) return;
    bytes += data.length;
    tail = (tail + data.toString('latin1')).slice(-4096);
    if (waiter && tail.includes(waiter.text)) {
      const w = waiter;
      waiter = null;
      tail = '';
      w.resolve();
    }
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    send: (data: string) => ws.send(JSON.stringify({ type: 'input', data })),
    until: (text: string) => new Promise<void>((resolve) => (waiter = { text, resolve })),
    bytes: () => bytes,
    reset: () => (tail = ''),
    close: () => ws.close(),
  };
}

export default async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'matrix-bench-terminal-'));
  const config = loadConfig({ PORT: '0', MATRIX_DATA_DIR: dataDir, MATRIX_OWNER_PASSWORD: PASSWORD, MATRIX_HOME_TEMPLATE: 'off', LOG_LEVEL: 'silent' });
  const gateway = await startGateway(config, { logger: createLogger('silent') });
  try {
    const login = await fetch(`${gateway.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const created = await fetch(`${gateway.url}/api/terminal/sessions`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ cols: 120, rows: 32 }) });
    const { id } = (await created.json()) as { id: string };
    const term = await attach(gateway.url, cookie, id);
    term.send('stty -echoctl; PS1="$ "\r');
    await term.until('$ ');

    // (a) through the gateway: from Enter until the marker after the command appears.
    const before = term.bytes();
    const t0 = performance.now();
    term.send(`${COMMAND}; echo FLOOD_$((40+2))\r`);
    await term.until('FLOOD_42');
    const viaGateway = { seconds: (performance.now() - t0) / 1000, bytes: term.bytes() - before };
    const direct = await inProcess();

    // Echo latency: one keystroke at a time, waiting for its echo; clear the line every 50.
    const latencies: number[] = [];
    for (let i = 0; i < KEYSTROKES; i++) {
      if (i % 50 === 0) {
        term.send('\x15');
        await new Promise((r) => setTimeout(r, 20));
        term.reset();
      }
      const ch = String.fromCharCode(97 + (i % 26));
      const s = performance.now();
      const echoed = term.until(ch);
      term.send(ch);
      await echoed;
      latencies.push(performance.now() - s);
    }
    term.close();

    const gwRate = OUTPUT_BYTES / MIB / viaGateway.seconds;
    const directRate = direct.bytes / MIB / direct.seconds;
    const { p50, p99 } = percentiles(latencies);
    printTable(
      ['path', 'output MiB', 'seconds', 'MiB/s', 'MiB received'],
      [
        ['(a) gateway: tmux + PTY + WebSocket', OUTPUT_BYTES / MIB, viaGateway.seconds, gwRate, viaGateway.bytes / MIB],
        ['(b) PTY read in-process', direct.bytes / MIB, direct.seconds, directRate, direct.bytes / MIB],
      ],
    );
    console.log(`ratio (a)/(b): ${(gwRate / directRate).toFixed(2)}   (target ≥ 0.5)`);
    console.log(`echo latency of ${KEYSTROKES} keystrokes through the gateway: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms   (target p99 < 20 ms)`);
    await fetch(`${gateway.url}/api/terminal/sessions/${id}`, { method: 'DELETE', headers: { cookie } });
  } finally {
    await gateway.deps.terminals?.tmux.killServer();
    await gateway.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
