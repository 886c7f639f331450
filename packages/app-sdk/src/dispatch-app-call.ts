import type { AppCall } from '@matrix-os/protocol';
import { MAX_INSERT } from './bridge-queries.ts';
import { MatrixError } from './matrix-error.ts';
import type { AppData, FindOptions, Where } from './types.ts';

/** What the shell provides to answer one app's calls: its data API (with that app's credential) and window calls. */
export interface AppCallHandlers {
  data: AppData;
  openApp(name: string, path?: string): Promise<void> | void;
  /** Starts forwarding this app's data:change events to its window. */
  subscribe(): Promise<void> | void;
  /** Opens the shell's command palette (Ctrl/Cmd-K pressed inside the app). */
  openPalette(): void;
}

const bad = (message: string) => new MatrixError('validation', message);

function text(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 1000) throw bad(`${name}: expected a non-empty string`);
  return v;
}

function record(v: unknown, name: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${name}: expected an object`);
  return v as Record<string, unknown>;
}

function optionalRecord(v: unknown, name: string): Record<string, unknown> | undefined {
  return v === undefined || v === null ? undefined : record(v, name);
}

function list(v: unknown, name: string): unknown[] {
  if (!Array.isArray(v) || v.length > MAX_INSERT) throw bad(`${name}: expected an array of at most ${MAX_INSERT} items`);
  return v;
}

/**
 * Runs one request from an app's window (already parsed with `parseAppRequest`) and returns the
 * result to send back. The shell calls this with handlers bound to the sending iframe's own app,
 * so nothing in the message can choose another app.
 */
export async function dispatchAppCall(h: AppCallHandlers, call: AppCall, args: unknown[]): Promise<unknown> {
  const { db } = h.data;
  const [a, b, c] = args;
  switch (call) {
    case 'db.find':
      return db.find(text(a, 'table'), optionalRecord(b, 'options') as FindOptions | undefined);
    case 'db.findOne':
      return db.findOne(text(a, 'table'), text(b, 'id'));
    case 'db.insert':
      return db.insert(text(a, 'table'), record(b, 'data'));
    case 'db.bulkInsert':
      return db.bulkInsert(text(a, 'table'), list(b, 'rows').map((r, i) => record(r, `rows.${i}`)));
    case 'db.update':
      return db.update(text(a, 'table'), text(b, 'id'), record(c, 'data'));
    case 'db.bulkUpdate':
      return db.bulkUpdate(
        text(a, 'table'),
        list(b, 'updates').map((u, i) => {
          const r = record(u, `updates.${i}`);
          return { id: text(r.id, `updates.${i}.id`), data: record(r.data, `updates.${i}.data`) };
        }),
      );
    case 'db.delete':
      return db.delete(text(a, 'table'), text(b, 'id'));
    case 'db.count':
      return db.count(text(a, 'table'), optionalRecord(b, 'where') as Where | undefined);
    case 'readData':
      return h.data.readData(text(a, 'key'));
    case 'writeData':
      return h.data.writeData(text(a, 'key'), b);
    case 'openApp':
      return h.openApp(text(a, 'name'), b === undefined || b === null ? undefined : text(b, 'path'));
    case 'subscribe':
      return h.subscribe();
    case 'openPalette':
      return h.openPalette();
  }
}
