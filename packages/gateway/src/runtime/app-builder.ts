import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppLogs } from './app-log.ts';
import type { BuildPlan } from './app-plan.ts';
import { inspectAppFolder, resolveBuildCommand } from './toolchain.ts';
import { runCommand, type CommandResult } from './run-command.ts';

/** Where the last good output waits while a new build runs; restored when the build fails. */
export const LAST_GOOD_DIR = '.matrix-last-good';

// A chatty build must not flood the event socket or the disk.
const MAX_EVENT_LINES = 300;
const MAX_LOG_LINES = 20_000;

export interface BuildContext {
  slug: string;
  appDir: string;
  plan: BuildPlan;
  env: Record<string, string>;
  memoryMb: number;
  /** Where the build's process groups are recorded. */
  recordDir: string;
  logs: AppLogs;
  /** Each output line, for the `app:build` events (already capped). */
  onLine: (line: string) => void;
  signal?: AbortSignal;
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/** Puts back what an interrupted build (gateway killed mid-build) left aside. */
export async function recoverLastGood(appDir: string, output: string): Promise<void> {
  const aside = join(appDir, LAST_GOOD_DIR);
  if (!(await exists(aside))) return;
  if (await exists(join(appDir, output))) await rm(aside, { recursive: true, force: true });
  else await rename(aside, join(appDir, output));
}

/** Whether `build.install` should run: the app brings package.json + lockfile and its node_modules is missing or older. */
async function needsInstall(appDir: string, lockfile: string): Promise<boolean> {
  const nm = await stat(join(appDir, 'node_modules')).catch(() => null);
  if (!nm) return true;
  const lock = await stat(join(appDir, lockfile));
  return lock.mtimeMs > nm.mtimeMs;
}

/**
 * Runs `build.install` (when it applies) and `build.command` in the app folder. The previous output
 * is moved aside first and put back if the build fails, so the last good build keeps serving.
 */
export async function buildApp(ctx: BuildContext): Promise<CommandResult> {
  const { slug, appDir, plan, logs } = ctx;
  let lines = 0;
  const onLine = (line: string) => {
    lines++;
    if (lines <= MAX_LOG_LINES) void logs.append(slug, `  ${line}`);
    else if (lines === MAX_LOG_LINES + 1) void logs.append(slug, '  (further output dropped)');
    if (lines <= MAX_EVENT_LINES) ctx.onLine(line);
  };
  const run = (command: string) => runCommand({ command, cwd: appDir, env: ctx.env, memoryMb: ctx.memoryMb, recordDir: ctx.recordDir, timeoutMs: plan.timeoutMs, onLine, signal: ctx.signal });

  const files = inspectAppFolder(appDir);
  if (plan.install && files.hasPackageJson && files.lockfile && (await needsInstall(appDir, files.lockfile))) {
    await logs.append(slug, `install: ${plan.install}`);
    const installed = await run(plan.install);
    if (!installed.ok) return { ok: false, reason: `install ${installed.reason}` };
  }

  const outDir = join(appDir, plan.output);
  const aside = join(appDir, LAST_GOOD_DIR);
  await recoverLastGood(appDir, plan.output);
  const hadOutput = await exists(outDir);
  if (hadOutput) await rename(outDir, aside);

  const command = resolveBuildCommand(plan.command, files);
  await logs.append(slug, `build: ${command}`);
  let result = await run(command);
  if (result.ok && !(await exists(outDir))) result = { ok: false, reason: `finished but wrote no "${plan.output}" folder` };
  if (result.ok) {
    await rm(aside, { recursive: true, force: true });
  } else if (hadOutput) {
    await rm(outDir, { recursive: true, force: true });
    await rename(aside, outDir);
  }
  return result.ok ? result : { ok: false, reason: `build ${result.reason}` };
}
