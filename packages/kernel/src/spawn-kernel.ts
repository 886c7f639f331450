import { query, type Options, type Query, type SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { CHAT_LIMITS, type KernelEvent } from '@matrix-os/protocol';
import { loadDefinitions } from './definitions.ts';
import { createKernelHooks } from './hooks.ts';
import type { KernelHost } from './host.ts';
import { loadPromptInputs } from './load-prompt-inputs.ts';
import { buildSystemPrompt, SYSTEM_PROMPT_BUDGET } from './system-prompt.ts';
import { createMatrixServer, MATRIX_SERVER, MATRIX_TOOL_NAMES } from './tools.ts';

export interface SpawnKernelOptions {
  host: KernelHost;
  /** What the user typed. */
  prompt: string;
  /** The session id of the conversation's last turn: the model sees the earlier history. */
  resume?: string;
  model: string;
  /** The CLI's whole environment (see `kernelProcessEnv`). */
  env: Record<string, string>;
  maxTurns?: number;
  systemPromptBudget?: number;
  /** Called by the Stop hook with the session id, so the conversation can be resumed. */
  onSessionId?: (sessionId: string) => Promise<void>;
}

/** A running kernel turn: its events in order, ending with `result`, `error` or `aborted`. */
export interface KernelTurn {
  events: AsyncGenerator<KernelEvent>;
  /** Stops the turn; its events end with `aborted`. */
  abort(): void;
}

// After an interrupt the CLI normally ends within ~50 ms; this is the backstop before it is killed.
const ABORT_GRACE_MS = 3000;

const preview = (text: string) => (text.length > CHAT_LIMITS.maxToolPreviewChars ? `${text.slice(0, CHAT_LIMITS.maxToolPreviewChars)}…` : text);
const shortName = (name: string) => name.replace(`mcp__${MATRIX_SERVER}__`, '');

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b) => (b?.type === 'text' ? String(b.text) : '')).join('');
}

/** Turns an SDK failure into a sentence the user can act on. */
export function describeFailure(raw: string): string {
  const text = raw.replace(/\s+/g, ' ').trim().slice(0, 500);
  if (/401|authentication|invalid x-api-key|api key/i.test(text)) return `The model refused the API key (${text}). Check ANTHROPIC_API_KEY and restart the gateway.`;
  if (/dropped|ECONNRESET|terminated|socket hang up|stream|JSON|Unexpected|parse|premature/i.test(text)) return `The model's reply broke off or could not be read (${text}). Send your message again to retry; the conversation is kept.`;
  if (/ECONNREFUSED|ENOTFOUND|fetch failed|Connection error|connect/i.test(text)) return `The model could not be reached (${text}). Check the network or ANTHROPIC_BASE_URL, then send your message again.`;
  return `The turn failed: ${text || 'no reason given'}. Send your message again to retry; the conversation is kept.`;
}

/**
 * Starts (or, with `resume`, continues) one kernel turn with the Claude Agent SDK: the system
 * prompt is rebuilt from the home, the Matrix tools are served in-process, hooks guard and
 * snapshot. Events are typed; a failure ends the turn with an `error` event, never a throw.
 */
export function spawnKernel(o: SpawnKernelOptions): KernelTurn {
  const controller = new AbortController();
  // Tools stop their own work (app writes, build waits) at once; the CLI gets a grace period.
  const toolsStop = new AbortController();
  let q: Query | null = null;
  let aborted = false;

  async function* run(): AsyncGenerator<KernelEvent> {
    const started = Date.now();
    const toolNames = new Map<string, string>();
    let text = '';
    let ended = false;
    try {
      const [inputs, defs] = await Promise.all([loadPromptInputs(o.host), loadDefinitions(o.host.homeDir)]);
      if (aborted) return yield { kind: 'aborted' };
      const agents = Object.fromEntries(defs.agents.map((a) => [a.name, { description: a.description, prompt: a.prompt, tools: a.tools, model: a.model }]));
      const hasAgents = defs.agents.length > 0;
      const options: Options = {
        model: o.model,
        cwd: o.host.homeDir,
        env: o.env,
        abortController: controller,
        systemPrompt: buildSystemPrompt(inputs, o.systemPromptBudget ?? SYSTEM_PROMPT_BUDGET),
        // Only the Matrix tools (and sub-agents when the home defines some): every change goes through the host.
        tools: hasAgents ? ['Agent'] : [],
        mcpServers: { [MATRIX_SERVER]: createMatrixServer(o.host, toolsStop.signal) },
        allowedTools: hasAgents ? [...MATRIX_TOOL_NAMES, 'Agent'] : MATRIX_TOOL_NAMES,
        ...(hasAgents ? { agents } : {}),
        permissionMode: 'dontAsk',
        settingSources: [],
        includePartialMessages: true,
        maxTurns: o.maxTurns ?? 40,
        hooks: createKernelHooks(o.host, async (id) => o.onSessionId?.(id)),
        ...(o.resume ? { resume: o.resume } : {}),
      };
      q = query({ prompt: o.prompt, options });
      for await (const m of q as AsyncIterable<SDKMessage>) {
        const msg = m as any;
        if (msg.type === 'system' && msg.subtype === 'init') {
          yield { kind: 'init', sessionId: String(msg.session_id) };
        } else if (msg.type === 'stream_event' && !msg.parent_tool_use_id) {
          const ev = msg.event;
          if (ev?.type === 'content_block_delta' && ev.delta?.type === 'text_delta' && ev.delta.text) {
            text += ev.delta.text;
            yield { kind: 'text', delta: String(ev.delta.text) };
          }
        } else if (msg.type === 'assistant' && !msg.parent_tool_use_id) {
          for (const b of msg.message?.content ?? []) {
            if (b.type !== 'tool_use') continue;
            toolNames.set(b.id, shortName(b.name));
            yield { kind: 'tool_start', toolUseId: String(b.id), name: shortName(b.name), input: b.input };
          }
        } else if (msg.type === 'user' && !msg.parent_tool_use_id && Array.isArray(msg.message?.content)) {
          for (const b of msg.message.content) {
            if (b?.type !== 'tool_result') continue;
            yield { kind: 'tool_end', toolUseId: String(b.tool_use_id), name: toolNames.get(b.tool_use_id) ?? 'tool', ok: b.is_error !== true, output: preview(contentText(b.content)) };
          }
        } else if (msg.type === 'result') {
          ended = true;
          if (aborted) return yield { kind: 'aborted' };
          if (msg.subtype === 'success' && !msg.is_error) {
            yield {
              kind: 'result',
              text: String(msg.result ?? text),
              costUsd: Number(msg.total_cost_usd ?? 0),
              inputTokens: Number(msg.usage?.input_tokens ?? 0) + Number(msg.usage?.cache_read_input_tokens ?? 0) + Number(msg.usage?.cache_creation_input_tokens ?? 0),
              outputTokens: Number(msg.usage?.output_tokens ?? 0),
              durationMs: Date.now() - started,
            };
          } else {
            const why = [...(msg.errors ?? []), msg.subtype === 'success' ? String(msg.result ?? '') : msg.subtype].filter(Boolean).join('; ');
            yield { kind: 'error', message: describeFailure(why) };
          }
          return;
        }
      }
      if (!ended) yield aborted ? { kind: 'aborted' } : { kind: 'error', message: describeFailure('the model session ended without a result') };
    } catch (err) {
      if (ended) return;
      yield aborted ? { kind: 'aborted' } : { kind: 'error', message: describeFailure((err as Error).message ?? String(err)) };
    } finally {
      q?.close();
    }
  }

  return {
    events: run(),
    abort() {
      if (aborted) return;
      aborted = true;
      toolsStop.abort();
      if (!q) return controller.abort();
      // interrupt() stops the request at once; the controller is the backstop that ends the CLI.
      void q.interrupt().catch(() => controller.abort());
      setTimeout(() => controller.abort(), ABORT_GRACE_MS).unref();
    },
  };
}
