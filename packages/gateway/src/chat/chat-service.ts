import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { ENABLE_KERNEL_MESSAGE, kernelProcessEnv, QueueFullError, spawnKernel, TurnQueue, type KernelHost, type KernelSettings, type KernelTurn } from '@matrix-os/kernel';
import { CHAT_LIMITS, type ChatEvent, type ChatMessage, type KernelEvent } from '@matrix-os/protocol';
import { AppError } from '../errors.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Logger } from '../logger.ts';
import { ConversationStore } from './conversation-store.ts';

export interface ChatServiceDeps {
  db: Kysely<any>;
  events: EventBus;
  host: KernelHost;
  /** Null when the kernel is off (no key). */
  settings: KernelSettings | null;
  /** The CLI's HOME: its sessions (the conversations' history) live here. */
  stateDir: string;
  logger: Logger;
}

/** The turn running in a conversation, with every event so far (for a client that reconnects). */
interface ActiveTurn {
  turnId: string;
  events: ChatEvent[];
  turn: KernelTurn | null;
  abortRequested: boolean;
  listeners: Set<(e: ChatEvent) => void>;
}

const CLOSE_GRACE_MS = 5000;

/** Runs chat turns: one at a time per conversation, each event published on `/ws` and kept for replay. */
export class ChatService {
  readonly store: ConversationStore;
  private readonly queue = new TurnQueue(CHAT_LIMITS.maxQueuedTurns);
  private readonly active = new Map<string, ActiveTurn>();
  private readonly finished = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deps: ChatServiceDeps) {
    this.store = new ConversationStore(deps.db);
  }

  get enabled(): boolean {
    return this.deps.settings !== null;
  }

  get model(): string | null {
    return this.deps.settings?.model ?? null;
  }

  /** Queues a turn; a new conversation starts when `conversationId` is absent. */
  async send(conversationId: string | undefined, message: string): Promise<{ conversationId: string; turnId: string; position: number }> {
    const settings = this.deps.settings;
    if (!settings) throw new AppError('unavailable', ENABLE_KERNEL_MESSAGE);
    if (this.closed) throw new AppError('unavailable', 'The gateway is shutting down.');
    const id = conversationId ?? (await this.store.create(message));
    if (conversationId) await this.store.get(conversationId);
    const turnId = randomUUID();
    let position: number;
    try {
      position = this.queue.enqueue(
        id,
        () => this.runTurn(id, turnId, message, settings),
        () => this.publish(id, turnId, 0, { kind: 'aborted' }),
      );
    } catch (err) {
      if (err instanceof QueueFullError) throw new AppError('conflict', err.message);
      throw err;
    }
    if (position > 0) this.publish(id, turnId, 0, { kind: 'queued', position });
    return { conversationId: id, turnId, position };
  }

  /** Stops the running turn and drops waiting ones; false when nothing ran. */
  abort(conversationId: string): boolean {
    const dropped = this.queue.clear(conversationId);
    const a = this.active.get(conversationId);
    if (a) {
      a.abortRequested = true;
      a.turn?.abort();
    }
    return !!a || dropped > 0;
  }

  isRunning(conversationId: string): boolean {
    return this.queue.busy(conversationId);
  }

  /** The running turn's events so far, or null. */
  running(conversationId: string): { turnId: string; events: ChatEvent[] } | null {
    const a = this.active.get(conversationId);
    return a ? { turnId: a.turnId, events: [...a.events] } : null;
  }

  /** Follows the running turn: `listener` gets each new event; answers the unsubscribe, or null when nothing runs. */
  follow(conversationId: string, listener: (e: ChatEvent) => void): { events: ChatEvent[]; stop: () => void } | null {
    const a = this.active.get(conversationId);
    if (!a) return null;
    a.listeners.add(listener);
    return { events: [...a.events], stop: () => a.listeners.delete(listener) };
  }

  /** Deletes a conversation, stopping its turn first. */
  async remove(conversationId: string): Promise<void> {
    this.abort(conversationId);
    await this.store.remove(conversationId);
  }

  /** Stops every turn and waits (briefly) for them to end. */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.active.keys()]) this.abort(id);
    await Promise.race([Promise.all(this.finished), new Promise((r) => setTimeout(r, CLOSE_GRACE_MS).unref())]);
  }

  private publish(conversationId: string, turnId: string, index: number, event: KernelEvent): ChatEvent {
    const e: ChatEvent = { type: 'chat', conversationId, turnId, index, event };
    this.deps.events.publish(e);
    return e;
  }

  private async runTurn(conversationId: string, turnId: string, message: string, settings: KernelSettings): Promise<void> {
    const a: ActiveTurn = { turnId, events: [], turn: null, abortRequested: false, listeners: new Set() };
    this.active.set(conversationId, a);
    const done = this.drive(conversationId, a, message, settings).finally(() => {
      this.active.delete(conversationId);
      this.finished.delete(done);
    });
    this.finished.add(done);
    await done;
  }

  private async drive(conversationId: string, a: ActiveTurn, message: string, settings: KernelSettings): Promise<void> {
    // The turn's messages are stored before its last event goes out, so a client that reacts to
    // that event reads them.
    const emit = (event: KernelEvent) => {
      const e = this.publish(conversationId, a.turnId, a.events.length, event);
      a.events.push(e);
      for (const l of a.listeners) l(e);
    };
    let text = '';
    const tools = new Map<string, ChatMessage['tools'][number]>();
    try {
      await this.store.addMessage(conversationId, 'user', message);
      const conversation = await this.store.get(conversationId);
      await mkdir(this.deps.stateDir, { recursive: true });
      a.turn = spawnKernel({
        host: this.deps.host,
        prompt: message,
        resume: conversation.session_id ?? undefined,
        model: settings.model,
        env: kernelProcessEnv(settings, this.deps.stateDir),
        maxTurns: settings.maxTurns,
        onSessionId: (sessionId) => this.store.setSession(conversationId, sessionId),
      });
      if (a.abortRequested) a.turn.abort();
      for await (const event of a.turn.events) {
        if (event.kind !== 'result' && event.kind !== 'error' && event.kind !== 'aborted') emit(event);
        if (event.kind === 'init') await this.store.setSession(conversationId, event.sessionId);
        else if (event.kind === 'text') text += event.delta;
        else if (event.kind === 'tool_start') tools.set(event.toolUseId, { name: event.name, input: event.input, ok: false, output: '' });
        else if (event.kind === 'tool_end') {
          const t = tools.get(event.toolUseId);
          if (t) Object.assign(t, { ok: event.ok, output: event.output });
        } else if (event.kind === 'result') {
          await this.store.addMessage(conversationId, 'assistant', text || event.text, [...tools.values()]);
          await this.store.addUsage(conversationId, event.costUsd, event.inputTokens, event.outputTokens);
        } else if (event.kind === 'error' || event.kind === 'aborted') {
          if (text || tools.size) await this.store.addMessage(conversationId, 'assistant', text, [...tools.values()]);
          await this.store.addMessage(conversationId, 'error', event.kind === 'error' ? event.message : 'Stopped.');
        }
        if (event.kind === 'result' || event.kind === 'error' || event.kind === 'aborted') emit(event);
      }
    } catch (err) {
      this.deps.logger.error({ err, conversationId }, 'chat turn failed');
      emit({ kind: 'error', message: 'The turn failed inside the gateway; see the gateway log. Send your message again to retry.' });
    }
  }
}
