import type { AppCall } from '@matrix-os/protocol';
import { appRequest, classifyShellMessage, withinMessageLimit } from './app-call-payloads.ts';
import { MatrixError } from './matrix-error.ts';
import { createThemeState } from './theme.ts';
import type { AppData, DataChangeEvent, MatrixDb, MatrixOS } from './types.ts';

/** The two windows the iframe transport talks between. */
export interface FrameWindows {
  /** The app's own window: replies and pushes arrive here. */
  self: Pick<Window, 'addEventListener'>;
  /** The shell's window: requests go here. */
  parent: Pick<Window, 'postMessage'>;
}

const CALL_TIMEOUT_MS = 30_000;
// Without a hello (an older shell), the app still starts with its defaults after this long.
const HELLO_GRACE_MS = 2_000;

/** `MatrixOS` for an app inside the shell's sandboxed iframe: every call is a postMessage to the shell. */
export function connectFramed(windows: FrameWindows, slug: string): MatrixOS {
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>();
  const dataListeners = new Set<(e: DataChangeEvent) => void>();
  const app = { name: slug, slug };
  const themes = createThemeState();
  let subscribed = false;
  let greet: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    greet = resolve;
    setTimeout(resolve, HELLO_GRACE_MS);
  });

  // The shell's Ctrl/Cmd-K works while the app has the keyboard: the frame's keys never reach the shell.
  windows.self.addEventListener('keydown', (ev: KeyboardEvent) => {
    if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && ev.key.toLowerCase() === 'k') {
      ev.preventDefault();
      call('openPalette', []).catch(() => {});
    }
  });

  windows.self.addEventListener('message', (ev: MessageEvent) => {
    if (ev.source !== (windows.parent as unknown)) return;
    const msg = classifyShellMessage(ev.data);
    if (!msg) return;
    if ('reply' in msg) {
      const waiter = pending.get(msg.reply.id);
      if (!waiter) return;
      pending.delete(msg.reply.id);
      clearTimeout(waiter.timer);
      if (msg.reply.ok) waiter.resolve(msg.reply.result);
      else waiter.reject(new MatrixError(msg.reply.error.code, msg.reply.error.message));
      return;
    }
    const push = msg.push;
    if (push.event === 'hello') {
      app.name = push.payload.app.name;
      themes.set(push.payload.theme);
      greet();
    } else if (push.event === 'theme') themes.set(push.payload);
    else if (push.event === 'data:change') for (const cb of [...dataListeners]) cb(push.payload);
  });

  function call<T>(name: AppCall, args: unknown[]): Promise<T> {
    const id = nextId++;
    const message = appRequest(id, name, args);
    if (!withinMessageLimit(message)) return Promise.reject(new MatrixError('too_large', `${name}: the request is larger than 1 MiB.`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new MatrixError('timeout', `${name}: the shell did not answer.`));
      }, CALL_TIMEOUT_MS);
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      windows.parent.postMessage(message, '*');
    });
  }

  function listen(cb: (e: DataChangeEvent) => void): () => void {
    dataListeners.add(cb);
    if (!subscribed) {
      subscribed = true;
      call('subscribe', []).catch(() => (subscribed = false));
    }
    return () => dataListeners.delete(cb);
  }

  const db: MatrixDb = {
    find: (table, options) => call('db.find', [table, options]),
    findOne: (table, id) => call('db.findOne', [table, id]),
    insert: (table, data) => call('db.insert', [table, data]),
    bulkInsert: (table, rows) => call('db.bulkInsert', [table, rows]),
    update: (table, id, data) => call('db.update', [table, id, data]),
    bulkUpdate: (table, updates) => call('db.bulkUpdate', [table, updates]),
    delete: (table, id) => call('db.delete', [table, id]),
    count: (table, where) => call('db.count', [table, where]),
    onChange: (table, cb) => listen((e) => e.table === table && cb(e)),
  };
  const data: AppData = {
    db,
    readData: (key) => call('readData', [key]),
    writeData: (key, value) => call('writeData', [key, value]),
    onDataChange: listen,
  };

  return {
    ...data,
    app,
    get theme() {
      return themes.current();
    },
    ready,
    onThemeChange: themes.onChange,
    openApp: (name, path) => call('openApp', [name, path]),
  };
}
