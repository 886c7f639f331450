import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { renderNginxConfig, type NginxOptions } from '../../src/index.ts';

/** Whether Debian's nginx is installed (`apt-get install nginx-light`); suites that need it skip without it. */
export const haveNginx = spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0;

/** A port nothing listens on right now. */
export async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

/** The machine's rendered nginx.conf, made runnable as a test's child: pid, logs and temp files in `dir`. */
export function testNginxConfig(dir: string, options: Omit<NginxOptions, 'preamble'>): string {
  return renderNginxConfig({ ...options, preamble: ['daemon off;', 'worker_processes 1;', `pid ${dir}/nginx.pid;`, `error_log ${dir}/error.log;`] }).replace(
    'http {',
    `http {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;`,
  );
}

/** Starts nginx on `conf` and waits until `answers()` resolves; `stop()` ends it and waits for it. */
export async function startNginx(dir: string, conf: string, answers: () => Promise<unknown>): Promise<{ stop(): Promise<void> }> {
  await mkdir(dir, { recursive: true });
  const check = spawnSync('nginx', ['-t', '-p', dir, '-c', conf], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t failed: ${check.stderr}`);
  const nginx: ChildProcess = spawn('nginx', ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (nginx.exitCode !== null) return resolve();
      nginx.once('exit', () => resolve());
      nginx.kill('SIGTERM');
    });
  for (let i = 0; i < 100; i++) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited with code ${nginx.exitCode}`);
    if (await answers().then(() => true, () => false)) return { stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error('nginx did not answer');
}
