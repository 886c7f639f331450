import { createSdkMcpServer, tool, type McpSdkServerConfigWithInstance } from '@anthropic-ai/claude-agent-sdk';
import { bridgeQuerySchema, COLUMN_TYPES, slugSchema } from '@matrix-os/protocol';
import { z } from 'zod/v4';
import { appTemplate } from './app-template.ts';
import type { KernelHost } from './host.ts';

/** The MCP server name; the model sees each tool as `mcp__matrix__<tool>`. */
export const MATRIX_SERVER = 'matrix';
const MAX_OUTPUT = 20_000;

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

const ok = (value: unknown): ToolResult => {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 1);
  return { content: [{ type: 'text', text: text.length > MAX_OUTPUT ? `${text.slice(0, MAX_OUTPUT)}\n(… cut at ${MAX_OUTPUT} characters)` : text }] };
};
const fail = (message: string): ToolResult => ({ content: [{ type: 'text', text: message }], isError: true });

/** Runs a tool body; an error becomes a tool error whose text tells the model what went wrong. */
function guarded<A>(run: (args: A) => Promise<ToolResult>) {
  return async (args: A): Promise<ToolResult> => {
    try {
      return await run(args);
    } catch (err) {
      return fail(`Error: ${(err as Error).message}`);
    }
  };
}

const path = z.string().max(4096).describe('Path relative to the home, e.g. "notes/todo.md"');
const bounds = z.object({ x: z.number(), y: z.number(), width: z.number().min(40), height: z.number().min(40) });
const tables = z
  .record(z.string(), z.record(z.string(), z.enum(COLUMN_TYPES)))
  .describe('Tables the app stores, e.g. {"habits": {"name": "text", "done": "boolean"}}; id and timestamps are added');

/** The Matrix tools, each validated with Zod; `signal` stops long work when the turn is aborted. */
export function createMatrixTools(host: KernelHost, signal: AbortSignal) {
  return [
    tool('read_file', 'Read a text file from the home.', { path }, guarded(async ({ path }) => ok(await host.files.read(path)))),
    tool(
      'write_file',
      'Create or replace a text file in the home (parent folders are created).',
      { path, content: z.string().max(2_000_000) },
      guarded(async ({ path, content }) => {
        await host.files.write(path, content);
        return ok(`Wrote ${path} (${Buffer.byteLength(content)} bytes).`);
      }),
    ),
    tool(
      'list_files',
      'List a folder of the home ("" is the home itself).',
      { path: path.default('') },
      guarded(async ({ path }) => ok((await host.files.list(path)).map((e) => `${e.kind === 'folder' ? `${e.name}/` : e.name}${e.kind === 'file' ? ` (${e.size} B)` : ''}`).join('\n') || '(empty)')),
    ),
    tool(
      'create_app',
      'Create a new Vite + React app in apps/<slug> from the template, with your files replacing or adding to it (matrix.json, index.html, src/main.jsx). All files are written at once. Build it next with build_app.',
      {
        slug: slugSchema.describe('Folder name: lower-case letters, digits and -'),
        name: z.string().min(1).max(80),
        description: z.string().max(500).optional(),
        tables: tables.optional(),
        files: z.record(z.string().max(512), z.string().max(500_000)).default({}).describe('Relative path in the app → file content'),
      },
      guarded(async ({ slug, name, description, tables, files }) => {
        const all = { ...appTemplate({ slug, name, description, tables }), ...files };
        const app = await host.apps.create(slug, all, signal);
        return ok(`Created apps/${slug} with ${Object.keys(all).length} files (${Object.keys(all).join(', ')}); registry status: ${app.status}. Build it with build_app.`);
      }),
    ),
    tool(
      'build_app',
      "Build an app (vite build) and wait for it; answers the build's outcome and the end of its log, to fix errors from.",
      { slug: slugSchema },
      guarded(async ({ slug }) => {
        const r = await host.apps.build(slug, signal);
        const head = r.ok ? `Build of ${slug} succeeded.` : `Build of ${slug} ${r.state}: ${r.reason ?? 'see the log'}.`;
        return r.ok ? ok(`${head}\n${r.log}`) : fail(`${head}\nLog:\n${r.log}`);
      }),
    ),
    tool('list_apps', "List the user's apps with their status.", {}, guarded(async () => ok(await host.apps.list()))),
    tool(
      'open_window',
      'Open a window on the user\'s canvas: an app slug or a built-in (__file-browser__, __terminal__, __chat__, __preview-window__), optionally at a place.',
      { target: z.string().min(1).max(100), path: z.string().max(4096).optional(), bounds: bounds.optional() },
      guarded(async (args) => ok(await host.canvas.window({ action: 'open', ...args }))),
    ),
    tool(
      'arrange_windows',
      'Move and resize windows on the canvas.',
      { windows: z.array(z.object({ target: z.string().min(1).max(100), bounds })).min(1).max(50) },
      guarded(async ({ windows }) => {
        const placed: string[] = [];
        for (const w of windows) placed.push(await host.canvas.window({ action: 'arrange', target: w.target, bounds: w.bounds }));
        return ok(placed.join('\n'));
      }),
    ),
    tool(
      'query_app_data',
      'Read or change an app\'s data through the bridge, as that app. query is a bridge query: {"action":"find"|"get"|"count"|"insert"|"update"|"delete"|"tables", "table", "where", "data", "id", "limit", "orderBy"}.',
      { app: slugSchema, query: z.record(z.string(), z.unknown()) },
      guarded(async ({ app, query }) => {
        const parsed = bridgeQuerySchema.safeParse(query);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          return fail(`The query is not valid at ${issue.path.join('.') || 'the top'}: ${issue.message}. Use {"action":"tables"} to see the app's tables.`);
        }
        return ok(await host.bridge.query(app, parsed.data));
      }),
    ),
    tool(
      'remember',
      'Remember a fact about the user for later conversations.',
      { text: z.string().min(1).max(4000), tags: z.array(z.string().max(40)).max(10).default([]) },
      guarded(async ({ text, tags }) => ok(`Remembered (${(await host.memory.remember(text, tags)).id}).`)),
    ),
    tool(
      'recall',
      'Find remembered facts matching words (empty query: the latest).',
      { query: z.string().max(500).default(''), limit: z.number().int().min(1).max(50).default(10) },
      guarded(async ({ query, limit }) => {
        const found = await host.memory.recall(query, limit);
        return ok(found.length ? found.map((m) => `- ${m.text}${m.tags.length ? ` [${m.tags.join(', ')}]` : ''} (${m.createdAt.slice(0, 10)})`).join('\n') : 'Nothing remembered matches.');
      }),
    ),
    tool(
      'schedule_prompt',
      'Run a prompt later on a schedule, as a new chat turn. cron has 5 fields: minute hour day-of-month month day-of-week (e.g. "0 8 * * 1-5").',
      { cron: z.string().min(9).max(100), prompt: z.string().min(1).max(4000) },
      guarded(async ({ cron, prompt }) => {
        const s = await host.schedule.add(cron, prompt);
        return ok(`Scheduled ${s.id}: "${s.prompt}" at ${s.cron}.`);
      }),
    ),
    tool(
      'notify',
      'Show the user a notification.',
      { title: z.string().min(1).max(120), body: z.string().max(2000).default(''), level: z.enum(['info', 'success', 'warning', 'error']).default('info') },
      guarded(async (args) => {
        await host.notify(args);
        return ok('Notified.');
      }),
    ),
  ];
}

/** The names of the Matrix tools as the model calls them. */
export const MATRIX_TOOL_NAMES = [
  'read_file', 'write_file', 'list_files', 'create_app', 'build_app', 'list_apps', 'open_window', 'arrange_windows',
  'query_app_data', 'remember', 'recall', 'schedule_prompt', 'notify',
].map((n) => `mcp__${MATRIX_SERVER}__${n}`);

/** The in-process MCP server the SDK reaches the tools through. */
export function createMatrixServer(host: KernelHost, signal: AbortSignal): McpSdkServerConfigWithInstance {
  return createSdkMcpServer({ name: MATRIX_SERVER, version: '1.0.0', tools: createMatrixTools(host, signal) });
}
