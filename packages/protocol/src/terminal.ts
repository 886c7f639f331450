import { z } from 'zod/v4';

/*
 * Terminal sessions: named shells that run inside tmux on the user's machine, so they outlive a
 * closed tab, a dropped socket and a gateway restart.
 *
 * Socket `GET /ws/terminal/:id?epoch=E&seq=N`. The server's output travels as binary frames of raw
 * terminal bytes (no JSON per chunk); everything else is one JSON message per text frame. Output
 * bytes are numbered: `seq` is the offset of the next byte in the session's output stream, and
 * `epoch` names that stream (a new one after a gateway restart). On attach the server first sends
 * `attached`, then `replayBytes` bytes of replay (what the client missed since its `seq`, or, when
 * that is gone, a snapshot of the scrollback and screen), then the live stream from `seq`.
 */

export const TERMINAL_LIMITS = {
  /** Largest text frame a client may send. */
  maxClientMessageBytes: 64 * 1024,
  /** Largest `input` payload in characters. */
  maxInputChars: 32 * 1024,
  maxCols: 1000,
  maxRows: 500,
  maxNameChars: 80,
} as const;

export const terminalSessionIdSchema = z.string().regex(/^t[a-z0-9]{6,32}$/, 'must be a terminal session id');
export const terminalNameSchema = z.string().trim().min(1, 'must not be empty').max(TERMINAL_LIMITS.maxNameChars).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

const cols = z.number().int().min(2).max(TERMINAL_LIMITS.maxCols);
const rows = z.number().int().min(1).max(TERMINAL_LIMITS.maxRows);

/** One terminal session as the routes list it. */
export const terminalSessionSchema = z.object({
  id: terminalSessionIdSchema,
  name: z.string(),
  createdAt: z.string(),
  /** Last output or input, as tmux saw it. */
  activeAt: z.string(),
  /** Sockets attached right now. */
  viewers: z.number().int().min(0),
});
export type TerminalSession = z.infer<typeof terminalSessionSchema>;

/** `POST /api/terminal/sessions` */
export const terminalCreateRequestSchema = z.strictObject({
  name: terminalNameSchema.optional(),
  cols: cols.optional(),
  rows: rows.optional(),
});
export type TerminalCreateRequest = z.infer<typeof terminalCreateRequestSchema>;

/** `PATCH /api/terminal/sessions/:id` */
export const terminalRenameRequestSchema = z.strictObject({ name: terminalNameSchema });

/** Text frames a client sends on the terminal socket. */
export const terminalClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('input'), data: z.string().min(1).max(TERMINAL_LIMITS.maxInputChars) }),
  z.strictObject({ type: z.literal('resize'), cols, rows }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type TerminalClientMessage = z.infer<typeof terminalClientMessageSchema>;

/** Text frames the server sends (output itself comes as binary frames). */
export const terminalServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('attached'),
    session: terminalSessionSchema,
    epoch: z.string(),
    /** Offset of the first live byte after the replay. */
    seq: z.number().int().min(0),
    /** `replay`: exactly the bytes missed since the client's seq; `snapshot`: reset, then scrollback and screen. */
    mode: z.enum(['replay', 'snapshot']),
    /** How many binary bytes of replay follow before the live stream. */
    replayBytes: z.number().int().min(0),
  }),
  z.object({ type: z.literal('exit'), message: z.string() }),
  z.object({ type: z.literal('error'), code: z.enum(['validation', 'too_large', 'unavailable']), message: z.string() }),
  z.object({ type: z.literal('pong') }),
]);
export type TerminalServerMessage = z.infer<typeof terminalServerMessageSchema>;

/** Close codes of the terminal socket (4000–4999 are the application's own). */
export const TERMINAL_CLOSE = {
  /** The session ended (its shell exited or it was killed). */
  ended: 4000,
  /** The client fell too far behind; reconnect with its last seq. */
  tooSlow: 4008,
  /** The gateway is shutting down; reconnect later. */
  goingAway: 1001,
} as const;
