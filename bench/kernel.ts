// `npm run bench -- kernel`: the kernel's own overhead per turn, beside the raw Claude Agent SDK,
// both against a scripted Messages API that answers at once (so only local work is measured).
// Each turn: the model calls one tool, then answers. Matrix side: spawnKernel with the system prompt
// from the home, the Matrix tools (read_file through the gateway's KernelHost) and hooks. Raw side:
// query() with one bare in-process tool doing the same read, no system prompt work, no hooks.
// The sides alternate turn by turn so machine noise falls on both. KERNEL_BENCH_TURNS sets the count.
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSdkMcpServer, query, tool, type SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { z } from 'zod/v4';
import { createGatewayKernelHost, createLogger, loadConfig, startGateway } from '@matrix-os/gateway';
import { kernelProcessEnv, spawnKernel, type KernelSettings } from '@matrix-os/kernel';
import { startScriptedAnthropic } from '../packages/kernel/test/support/scripted-anthropic.ts';
import { percentiles, printTable } from './_support.ts';

const TURNS = Number(process.env.KERNEL_BENCH_TURNS ?? 200);
const MODEL = 'claude-sonnet-4-5';
const REPO_HOME = fileURLToPath(new URL('../home/', import.meta.url));

interface TurnTimes {
  firstEvent: number;
  tool: number;
  total: number;
}

export default async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'matrix-bench-kernel-'));
  const srv = await startScriptedAnthropic((r) =>
    r.step === 0 ? { toolUses: [{ name: r.body.tools.some((t: { name: string }) => t.name === 'mcp__raw__read') ? 'mcp__raw__read' : 'mcp__matrix__read_file', input: { path: 'system/soul.md' } }] } : { text: 'Done.' },
  );
  const homeDir = join(dir, 'home');
  await mkdir(join(homeDir, 'system'), { recursive: true });
  await cp(join(REPO_HOME, 'system/soul.md'), join(homeDir, 'system/soul.md'));
  await cp(join(REPO_HOME, 'skills'), join(homeDir, 'skills'), { recursive: true });
  const config = loadConfig({ PORT: '0', MATRIX_DATA_DIR: join(dir, 'data'), MATRIX_HOME: homeDir, MATRIX_HOME_TEMPLATE: 'off', MATRIX_OWNER_PASSWORD: 'bench-password-1', LOG_LEVEL: 'silent' });
  const gateway = await startGateway(config, { logger: createLogger('silent') });
  const { deps } = gateway;
  const host = createGatewayKernelHost({ homeDir, db: deps.db, registry: deps.registry, runtime: deps.runtime, events: deps.events, canvas: deps.canvas });
  const settings: KernelSettings = { baseUrl: srv.url, apiKey: 'bench', model: MODEL, maxTurns: 5, maxRetries: 0 };
  const stateDir = join(dir, 'kernel');
  await mkdir(stateDir, { recursive: true });
  const env = kernelProcessEnv(settings, stateDir);

  const rawServer = () =>
    createSdkMcpServer({
      name: 'raw',
      tools: [tool('read', 'Read a file.', { path: z.string() }, async ({ path }) => ({ content: [{ type: 'text', text: await readFile(join(homeDir, path), 'utf8') }] }))],
    });

  async function rawTurn(): Promise<TurnTimes> {
    const t0 = performance.now();
    let first = 0;
    let toolStart = 0;
    let tool = 0;
    const q = query({
      prompt: 'read my soul',
      options: { model: MODEL, cwd: homeDir, env, tools: [], mcpServers: { raw: rawServer() }, allowedTools: ['mcp__raw__read'], permissionMode: 'dontAsk', settingSources: [], includePartialMessages: true, maxTurns: 5 },
    });
    for await (const m of q as AsyncIterable<SDKMessage>) {
      const now = performance.now();
      first ||= now - t0;
      const msg = m as any;
      if (msg.type === 'assistant' && msg.message.content.some((b: any) => b.type === 'tool_use')) toolStart = now;
      if (msg.type === 'user' && Array.isArray(msg.message.content) && msg.message.content.some((b: any) => b.type === 'tool_result')) tool = now - toolStart;
      if (msg.type === 'result') break;
    }
    q.close();
    return { firstEvent: first, tool, total: performance.now() - t0 };
  }

  async function matrixTurn(): Promise<TurnTimes> {
    const t0 = performance.now();
    let first = 0;
    let toolStart = 0;
    let toolTime = 0;
    const turn = spawnKernel({ host, prompt: 'read my soul', model: MODEL, env, maxTurns: 5 });
    for await (const e of turn.events) {
      const now = performance.now();
      first ||= now - t0;
      if (e.kind === 'tool_start') toolStart = now;
      if (e.kind === 'tool_end') toolTime = now - toolStart;
      if (e.kind === 'error') throw new Error(e.message);
    }
    return { firstEvent: first, tool: toolTime, total: performance.now() - t0 };
  }

  try {
    // One warm-up turn each: module loading and the first CLI start are not per-turn costs.
    await rawTurn();
    await matrixTurn();
    const raw: TurnTimes[] = [];
    const matrix: TurnTimes[] = [];
    for (let i = 0; i < TURNS; i++) {
      raw.push(await rawTurn());
      matrix.push(await matrixTurn());
    }
    const rows = (['firstEvent', 'tool', 'total'] as const).map((k) => {
      const r = percentiles(raw.map((x) => x[k]));
      const m = percentiles(matrix.map((x) => x[k]));
      const label = { firstEvent: 'message in → first event', tool: 'one tool call', total: 'whole turn (tool + reply)' }[k];
      return [label, r.p50, m.p50, `${(m.p50 / r.p50).toFixed(2)}×`, r.p99, m.p99, `${(m.p99 / r.p99).toFixed(2)}×`];
    });
    console.log(`${TURNS} turns per side, ms (target: Matrix ≤ 1.25× raw SDK)`);
    printTable(['measure', 'raw p50', 'matrix p50', 'ratio', 'raw p99', 'matrix p99', 'ratio'], rows);
  } finally {
    host.close();
    await gateway.close();
    await srv.close();
    await rm(dir, { recursive: true, force: true });
  }
}
