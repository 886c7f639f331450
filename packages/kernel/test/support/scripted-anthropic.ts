// A local server that speaks the Anthropic Messages API (streaming SSE), answering from a script,
// so the real Claude Agent SDK and its CLI run their whole tool loop against it with no network.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One tool call the scripted model makes. */
export interface ScriptedToolUse {
  name: string;
  input: Record<string, unknown>;
}

/** What the scripted model answers to one request. */
export type ScriptedReply =
  | { text?: string; toolUses?: ScriptedToolUse[] }
  /** A stream whose events are not valid JSON. */
  | { malformed: true }
  /** A stream that stops after `afterText` and closes the socket. */
  | { drop: true; afterText?: string }
  /** Keeps the stream open after `afterText` (and the start of a tool call) until the client goes away (for aborts). */
  | { hang: true; afterText?: string; partialTool?: ScriptedToolUse };

/** The parts of a request a script decides on. */
export interface ScriptedRequest {
  /** The last text the user typed (system reminders skipped). */
  userText: string;
  /** How many tool rounds came back since the user typed: 0 for the first reply of a turn. */
  step: number;
  /** Tool results in the last user message. */
  toolResults: { toolUseId: string; text: string; isError: boolean }[];
  /** The whole request body. */
  body: any;
}

export type Script = (req: ScriptedRequest) => ScriptedReply;

/** A running scripted server. */
export interface ScriptedAnthropic {
  url: string;
  /** Every /v1/messages request body received, in order. */
  requests: any[];
  setScript(script: Script): void;
  close(): Promise<void>;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts = content.filter((b) => b?.type === 'text' && typeof b.text === 'string' && !b.text.includes('<system-reminder>'));
  return texts.length ? String(texts[texts.length - 1].text) : '';
}

/** The last user message that was typed (not a tool result), and the tool results of the last message. */
export function readRequest(body: any): ScriptedRequest {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const last = messages[messages.length - 1];
  const toolResults = Array.isArray(last?.content)
    ? last.content
        .filter((b: any) => b?.type === 'tool_result')
        .map((b: any) => ({ toolUseId: String(b.tool_use_id), text: textOf(b.content) || String(b.content ?? ''), isError: b.is_error === true }))
    : [];
  let userText = '';
  let step = 0;
  for (let i = messages.length - 1; i >= 0 && !userText; i--) {
    if (messages[i].role !== 'user') continue;
    const isToolResult = Array.isArray(messages[i].content) && messages[i].content.some((b: any) => b?.type === 'tool_result');
    if (isToolResult) step++;
    else userText = textOf(messages[i].content);
  }
  return { userText, step, toolResults, body };
}

let ids = 0;
const sse = (res: ServerResponse, event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

function startMessage(res: ServerResponse, model: string) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  sse(res, 'message_start', {
    type: 'message_start',
    message: { id: `msg_${++ids}`, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } },
  });
}

function streamText(res: ServerResponse, index: number, text: string) {
  sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
  // Two deltas, so clients see text arrive in pieces.
  const half = Math.ceil(text.length / 2);
  for (const part of [text.slice(0, half), text.slice(half)].filter(Boolean)) {
    sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: part } });
  }
  sse(res, 'content_block_stop', { type: 'content_block_stop', index });
}

function reply(res: ServerResponse, model: string, r: ScriptedReply) {
  startMessage(res, model);
  if ('malformed' in r) {
    res.write('event: content_block_start\ndata: {"type":"content_block_start", this is not json\n\n');
    res.end();
    return;
  }
  if ('drop' in r || 'hang' in r) {
    const text = (r as { afterText?: string }).afterText;
    if (text) {
      sse(res, 'content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      sse(res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
    }
    const partial = 'hang' in r ? r.partialTool : undefined;
    if (partial) {
      const json = JSON.stringify(partial.input);
      sse(res, 'content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: `toolu_${++ids}`, name: partial.name, input: {} } });
      sse(res, 'content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: json.slice(0, Math.floor(json.length / 2)) } });
    }
    if ('drop' in r) res.socket?.destroy();
    return;
  }
  let index = 0;
  if (r.text) streamText(res, index++, r.text);
  for (const t of r.toolUses ?? []) {
    const id = `toolu_${++ids}`;
    sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name: t.name, input: {} } });
    sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(t.input) } });
    sse(res, 'content_block_stop', { type: 'content_block_stop', index });
    index++;
  }
  const stop = r.toolUses?.length ? 'tool_use' : 'end_turn';
  sse(res, 'message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 20 } });
  sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}

/** Starts a scripted Messages API on 127.0.0.1 (a random port). */
export async function startScriptedAnthropic(script: Script = () => ({ text: 'Hello.' })): Promise<ScriptedAnthropic> {
  let current = script;
  const requests: any[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== '/v1/messages') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'not found' } }));
      return;
    }
    const body = await readBody(req);
    requests.push(body);
    open.add(res);
    res.on('close', () => open.delete(res));
    let r: ScriptedReply;
    try {
      r = current(readRequest(body));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: `script failed: ${(err as Error).message}` } }));
      return;
    }
    reply(res, String(body?.model ?? 'claude-scripted'), r);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setScript(s) {
      current = s;
    },
    async close() {
      for (const res of open) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
