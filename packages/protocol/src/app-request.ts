/*
 * The app ↔ shell message bounds and the shell's request reader, free of Zod so the shell's first
 * load does not carry it. The schemas of every message are in app-messages.ts.
 */
import type { AppRequest } from './app-messages.ts';

/** Bounds every side enforces before acting on a message. */
export const APP_MESSAGE_LIMITS = {
  /** Serialized size of one message in bytes (UTF-8 JSON). */
  maxBytes: 1_048_576,
  maxArgs: 4,
} as const;

/** Calls an app may make; each maps to one method of the app SDK. */
export const APP_CALLS = [
  'db.find',
  'db.findOne',
  'db.insert',
  'db.bulkInsert',
  'db.update',
  'db.bulkUpdate',
  'db.delete',
  'db.count',
  'readData',
  'writeData',
  'openApp',
  'subscribe',
  /** Ctrl/Cmd-K pressed inside the app: the shell opens its command palette. */
  'openPalette',
] as const;
export type AppCall = (typeof APP_CALLS)[number];

/** True when `message` serializes to at most `APP_MESSAGE_LIMITS.maxBytes` of UTF-8 JSON. */
export function fitsAppMessageLimit(message: unknown): boolean {
  let json: string | undefined;
  try {
    json = JSON.stringify(message);
  } catch {
    return false;
  }
  if (json === undefined) return false;
  // Cheap bounds first: one UTF-16 unit encodes to 1–3 UTF-8 bytes.
  if (json.length > APP_MESSAGE_LIMITS.maxBytes) return false;
  if (json.length * 3 <= APP_MESSAGE_LIMITS.maxBytes) return true;
  return new TextEncoder().encode(json).byteLength <= APP_MESSAGE_LIMITS.maxBytes;
}

/**
 * Parses a message received by the shell; `null` for anything that is not a valid, bounded request.
 * Written out by hand so the shell's first load carries no Zod; a property test holds it to
 * `appRequestSchema`.
 */
export function parseAppRequest(data: unknown): AppRequest | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const m = data as Record<string, unknown>;
  if (m.matrix !== 1 || typeof m.id !== 'number' || !Number.isSafeInteger(m.id) || m.id < 0) return null;
  if (typeof m.call !== 'string' || !(APP_CALLS as readonly string[]).includes(m.call)) return null;
  if (!Array.isArray(m.args) || m.args.length > APP_MESSAGE_LIMITS.maxArgs || !fitsAppMessageLimit(data)) return null;
  return { matrix: 1, id: m.id, call: m.call as AppCall, args: m.args };
}
