import { z } from 'zod/v4';

/** Limits of the chat API, shared by the gateway and the shell. */
export const CHAT_LIMITS = {
  maxMessageChars: 32_000,
  /** Turns that may wait behind the running one in one conversation. */
  maxQueuedTurns: 4,
  /** Tool input/output shown on a tool card is cut to this many characters. */
  maxToolPreviewChars: 4_000,
} as const;

/** One step of a kernel turn, in the order the kernel produced it. */
export const kernelEventSchema = z.discriminatedUnion('kind', [
  /** The turn waits behind `position` other turns of the same conversation. */
  z.object({ kind: z.literal('queued'), position: z.number().int() }),
  /** The model session is ready; `sessionId` is what a later turn resumes. */
  z.object({ kind: z.literal('init'), sessionId: z.string() }),
  /** A piece of the assistant's reply (markdown), to append to what came before. */
  z.object({ kind: z.literal('text'), delta: z.string() }),
  z.object({ kind: z.literal('tool_start'), toolUseId: z.string(), name: z.string(), input: z.unknown() }),
  z.object({ kind: z.literal('tool_end'), toolUseId: z.string(), name: z.string(), ok: z.boolean(), output: z.string() }),
  /** The turn finished; cost and tokens are this turn's. */
  z.object({
    kind: z.literal('result'),
    text: z.string(),
    costUsd: z.number(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    durationMs: z.number(),
  }),
  /** The turn failed; `message` says what happened and what to do. The conversation can go on. */
  z.object({ kind: z.literal('error'), message: z.string() }),
  /** The turn was stopped by the user; nothing half-written was left behind. */
  z.object({ kind: z.literal('aborted') }),
]);
export type KernelEvent = z.infer<typeof kernelEventSchema>;

/** Terminal kinds: after one of these the turn has ended. */
export const TURN_END_KINDS = ['result', 'error', 'aborted'] as const;

/** A kernel event on the `/ws` event socket; `index` numbers the events within the turn from 0. */
export const chatEventSchema = z.object({
  type: z.literal('chat'),
  conversationId: z.string(),
  turnId: z.string(),
  index: z.number().int(),
  event: kernelEventSchema,
});
export type ChatEvent = z.infer<typeof chatEventSchema>;

/** The kernel asks the shell to open or place a window on the user's canvas. */
export const windowEventSchema = z.object({
  type: z.literal('canvas:window'),
  action: z.enum(['open', 'arrange']),
  /** An app slug, or a built-in such as `__file-browser__`. */
  target: z.string(),
  /** A file or route inside the target, when it has one. */
  path: z.string().optional(),
  bounds: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).optional(),
});
export type WindowEvent = z.infer<typeof windowEventSchema>;

/** A notification the kernel sends to the user. */
export const notifyEventSchema = z.object({
  type: z.literal('kernel:notify'),
  title: z.string(),
  body: z.string(),
  level: z.enum(['info', 'success', 'warning', 'error']),
});
export type NotifyEvent = z.infer<typeof notifyEventSchema>;

/** `POST /api/chat/send`. Without `conversationId` a new conversation starts. */
export const chatSendSchema = z.object({
  conversationId: z.uuid().optional(),
  message: z.string().trim().min(1).max(CHAT_LIMITS.maxMessageChars),
});
export type ChatSend = z.infer<typeof chatSendSchema>;

/** A stored message of a conversation. */
export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant' | 'error';
  content: string;
  /** Tool calls of an assistant message, for the tool cards. */
  tools: { name: string; input: unknown; ok: boolean; output: string }[];
  createdAt: string;
}

/** A conversation as listed. */
export interface ChatConversation {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  /** True while a turn runs (or waits) in it. */
  running: boolean;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}
