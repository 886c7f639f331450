// `npm run bench -- files`: a 4 KiB and a 1 MiB file served by the gateway through `/files/*`
// (owner session) and `/apps/<slug>/` (a static app), beside nginx serving the same folder, in one run.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, freePort, loadConfig, startGateway } from '@matrix-os/gateway';
import { autocannon, median, printTable, type LoadResult } from './_support.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const PASSWORD = 'bench-password-1';
const SIZES = [
  { label: '4 KiB', file: 'small.bin', bytes: 4 * 1024 },
  { label: '1 MiB', file: 'large.bin', bytes: 1024 * 1024 },
];

/** nginx with one worker (the gateway is one process too), serving `root` on `port`; stopped by the caller. */
async function startNginx(dir: string, root: string, port: number): Promise<ChildProcess> {
  await mkdir(join(dir, 'logs'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  await writeFile(
    conf,
    `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-c', conf, '-e', join(dir, 'logs', 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx did not start: ${stderr.trim()}`);
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error('nginx did not answer');
}

export default async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'matrix-bench-files-'));
  // nginx workers run as an unprivileged user when started by root: they must be able to read it.
  await chmod(dataDir, 0o755);
  const home = join(dataDir, 'home');
  const appDir = join(home, 'apps', 'bench');
  const closers: (() => Promise<unknown>)[] = [];
  try {
    await mkdir(appDir, { recursive: true });
    await writeFile(join(appDir, 'matrix.json'), JSON.stringify({ name: 'Bench', runtime: 'static' }));
    const inMemory = new Map(SIZES.map((s) => [s.file, randomBytes(s.bytes)]));
    for (const s of SIZES) await writeFile(join(appDir, s.file), inMemory.get(s.file)!);

    const config = loadConfig({ PORT: '0', MATRIX_DATA_DIR: dataDir, MATRIX_HOME: home, MATRIX_HOME_TEMPLATE: 'off', MATRIX_OWNER_PASSWORD: PASSWORD, LOG_LEVEL: 'silent' });
    const gateway = await startGateway(config, { logger: createLogger('silent') });
    closers.push(() => gateway.close());
    const login = await fetch(`${gateway.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

    const nginxPort = await freePort();
    const nginx = await startNginx(join(dataDir, 'nginx'), home, nginxPort);
    closers.push(async () => {
      nginx.kill('SIGQUIT');
      await new Promise((r) => nginx.once('exit', r));
    });

    // The ceiling for any Node server on this machine: node:http answering from memory, no routing, no disk.
    const bare = createHttpServer((req, res) => {
      const s = SIZES.find((x) => req.url?.endsWith(x.file))!;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(s.bytes) });
      res.end(inMemory.get(s.file));
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => bare.close(resolve)));
    const barePort = (bare.address() as { port: number }).port;

    const hasAppServing = (await fetch(`${gateway.url}/apps/bench/${SIZES[0]!.file}`)).status === 200;
    const targets: { name: string; url: (f: string) => string; headers: Record<string, string> }[] = [
      { name: 'nginx', url: (f: string) => `http://127.0.0.1:${nginxPort}/apps/bench/${f}`, headers: {} },
      { name: 'gateway /files/*', url: (f: string) => `${gateway.url}/files/apps/bench/${f}`, headers: { cookie } },
      { name: 'node:http from memory (ceiling)', url: (f: string) => `http://127.0.0.1:${barePort}/${f}`, headers: {} },
      ...(hasAppServing ? [{ name: 'gateway /apps/<slug>/', url: (f: string) => `${gateway.url}/apps/bench/${f}`, headers: {} }] : []),
    ];
    for (const t of targets) {
      const res = await fetch(t.url(SIZES[0]!.file), { headers: t.headers });
      if (res.status !== 200 || (await res.arrayBuffer()).byteLength !== SIZES[0]!.bytes) throw new Error(`${t.name} did not serve the file (${res.status})`);
    }

    const rows: (string | number)[][] = [];
    for (const s of SIZES) {
      let base = 0;
      for (const t of targets) {
        const url = t.url(s.file);
        await autocannon({ url, headers: t.headers, connections: CONNECTIONS, seconds: 1 });
        const rounds: LoadResult[] = [];
        for (let i = 0; i < ROUNDS; i++) rounds.push(await autocannon({ url, headers: t.headers, connections: CONNECTIONS, seconds: SECONDS }));
        const r = median(rounds);
        if (t.name === 'nginx') base = r.reqPerSec;
        rows.push([s.label, t.name, Math.round(r.reqPerSec), r.p50, r.p99, r.errors + r.non2xx, t.name === 'nginx' ? '1.00x' : `${(r.reqPerSec / base).toFixed(2)}x`]);
      }
    }
    console.log(`${CONNECTIONS} connections, median of ${ROUNDS} × ${SECONDS} s; nginx with one worker and sendfile; gateway on PGlite, /files/* with the owner's session cookie`);
    printTable(['size', 'server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs nginx'], rows);
    if (!hasAppServing) console.log('(/apps/<slug>/ not measured: the gateway does not serve apps in this build)');
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  }
}
