import { createBridgeData, createHttpBridge, dispatchAppCall, standaloneCredential, type AppData, type HttpBridge } from '@matrix-os/app-sdk';
import type { AppPush, AppReply, AppTheme, DataChangeEvent } from '@matrix-os/protocol';
import { parseAppRequest } from '@matrix-os/protocol/browser';

/** Calls per second one app window may make, and the burst it may save up. */
export const FRAME_RATE = { perSec: 50, burst: 100 } as const;

interface AppConnection {
  bridge: HttpBridge;
  data: AppData;
}

interface Frame {
  slug: string;
  name: string;
  target: Window;
  tokens: number;
  refilledAt: number;
  unsubscribe: (() => void) | null;
}

/**
 * The shell's side of the app postMessage protocol. Each registered iframe window is bound to one
 * app: a message is acted on only when `event.source` is one of our iframes, it parses as a bounded
 * request, and the window is within its rate; the call then goes to the gateway with THAT window's
 * app credential, whatever the message says. Nothing of the shell's is ever handed to the frame.
 */
export class AppBridgeHost {
  private readonly frames = new Map<Window, Frame>();
  private readonly connections = new Map<string, AppConnection>();
  private readonly onMessage = (ev: MessageEvent) => this.receive(ev);

  constructor(
    private readonly openApp: (target: string, path?: string) => void,
    private theme: () => AppTheme,
    private readonly openPalette: () => void,
  ) {
    window.addEventListener('message', this.onMessage);
  }

  /** Binds an iframe window to an app; returns the function that unbinds it. */
  attach(target: Window, slug: string, name: string): () => void {
    const frame: Frame = { slug, name, target, tokens: FRAME_RATE.burst, refilledAt: performance.now(), unsubscribe: null };
    this.frames.set(target, frame);
    return () => {
      frame.unsubscribe?.();
      if (this.frames.get(target) === frame) this.frames.delete(target);
    };
  }

  /** Greets the frame after each load (an app that navigated away gets only the theme). */
  hello(target: Window): void {
    const f = this.frames.get(target);
    if (f) this.push(f, { matrix: 1, event: 'hello', payload: { app: { name: f.name, slug: f.slug }, theme: this.theme() } });
  }

  /** Pushes a new theme to every app window. */
  broadcastTheme(theme: AppTheme): void {
    for (const f of this.frames.values()) this.push(f, { matrix: 1, event: 'theme', payload: theme });
  }

  dispose(): void {
    window.removeEventListener('message', this.onMessage);
    for (const f of this.frames.values()) f.unsubscribe?.();
    this.frames.clear();
  }

  private connection(slug: string): AppConnection {
    let c = this.connections.get(slug);
    if (!c) {
      const origin = location.origin;
      const bridge = createHttpBridge({ origin, token: standaloneCredential({ origin, slug }) });
      c = { bridge, data: createBridgeData(bridge) };
      this.connections.set(slug, c);
    }
    return c;
  }

  private withinRate(f: Frame): boolean {
    const now = performance.now();
    f.tokens = Math.min(FRAME_RATE.burst, f.tokens + ((now - f.refilledAt) / 1000) * FRAME_RATE.perSec);
    f.refilledAt = now;
    if (f.tokens < 1) return false;
    f.tokens -= 1;
    return true;
  }

  private receive(ev: MessageEvent): void {
    const f = ev.source ? this.frames.get(ev.source as Window) : undefined;
    if (!f) return;
    // Over its rate a window is not even answered: a flood costs the shell one comparison each.
    if (!this.withinRate(f)) return;
    const req = parseAppRequest(ev.data);
    if (!req) return;
    const conn = this.connection(f.slug);
    dispatchAppCall(
      {
        data: conn.data,
        openApp: (name, path) => this.openApp(name, path),
        openPalette: () => this.openPalette(),
        subscribe: () => {
          f.unsubscribe ??= conn.bridge.subscribe((e: DataChangeEvent) => this.push(f, { matrix: 1, event: 'data:change', payload: e }));
        },
      },
      req.call,
      req.args,
    ).then(
      (result) => this.reply(f, { matrix: 1, id: req.id, ok: true, result: result ?? null }),
      (err: { code?: unknown; message?: unknown }) =>
        this.reply(f, { matrix: 1, id: req.id, ok: false, error: { code: typeof err?.code === 'string' ? err.code.slice(0, 64) : 'internal', message: String(err?.message ?? 'The call failed.').slice(0, 2000) } }),
    );
  }

  private reply(f: Frame, msg: AppReply): void {
    if (this.frames.get(f.target) === f) f.target.postMessage(msg, '*');
  }

  private push(f: Frame, msg: AppPush): void {
    f.target.postMessage(msg, '*');
  }
}
