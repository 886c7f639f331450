import type { APP_MESSAGE_LIMITS, AppCall, AppPush, AppReply, AppRequest } from '@matrix-os/protocol';

// Type-checked copy: importing the protocol's values would pull Zod into every app bundle.
const MAX_BYTES: (typeof APP_MESSAGE_LIMITS)['maxBytes'] = 1_048_576;

/** The request an app posts to the shell for one call. */
export function appRequest(id: number, call: AppCall, args: unknown[]): AppRequest {
  // Trailing undefined arguments are dropped: they do not survive structured clone as JSON anyway.
  const trimmed = [...args];
  while (trimmed.length && trimmed[trimmed.length - 1] === undefined) trimmed.pop();
  return { matrix: 1, id, call, args: trimmed };
}

/** True when the message is small enough for the shell to accept (UTF-8 JSON bytes). */
export function withinMessageLimit(message: unknown): boolean {
  const json = JSON.stringify(message);
  return json !== undefined && new TextEncoder().encode(json).byteLength <= MAX_BYTES;
}

/**
 * Sorts a message from the shell into a reply or a push. The sender was already checked to be the
 * parent window, so this only guards shape, not trust.
 */
export function classifyShellMessage(data: unknown): { reply: AppReply } | { push: AppPush } | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  if (m.matrix !== 1) return null;
  if (typeof m.id === 'number' && typeof m.ok === 'boolean') return { reply: m as unknown as AppReply };
  if (typeof m.event === 'string' && typeof m.payload === 'object' && m.payload !== null) return { push: m as unknown as AppPush };
  return null;
}
