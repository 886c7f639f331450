import type { BridgeQuery, NotifyEvent, WindowEvent } from '@matrix-os/protocol';

/** An entry of a listed folder. */
export interface HomeEntry {
  name: string;
  kind: 'file' | 'folder';
  size: number;
}

/** An app as the kernel sees it. */
export interface HostApp {
  slug: string;
  name: string;
  status: string;
  description: string | null;
  build: string | null;
}

/** The outcome of an app build, with the end of its log. */
export interface BuildReport {
  ok: boolean;
  state: string;
  reason: string | null;
  log: string;
}

/** A fact the kernel remembered. */
export interface Memory {
  id: string;
  text: string;
  tags: string[];
  createdAt: string;
}

/** A prompt the gateway runs on a schedule. */
export interface Schedule {
  id: string;
  cron: string;
  prompt: string;
}

/**
 * What the kernel may do to the user's machine. The gateway implements it with its own path rules,
 * registry, runtime, bridge and database and injects it; the kernel never imports the gateway.
 * Every method throws an Error whose message the model can act on.
 */
export interface KernelHost {
  homeDir: string;
  files: {
    read(path: string): Promise<string>;
    write(path: string, content: string): Promise<void>;
    list(path: string): Promise<HomeEntry[]>;
  };
  apps: {
    list(): Promise<HostApp[]>;
    /**
     * Writes a new app folder at once: the files go to a staging folder and are moved into
     * `apps/<slug>` in one rename, so an aborted turn never leaves half an app.
     */
    create(slug: string, files: Record<string, string>, signal?: AbortSignal): Promise<HostApp>;
    build(slug: string, signal?: AbortSignal): Promise<BuildReport>;
  };
  bridge: {
    /** Runs a bridge query as the app `slug` (its own schema only). */
    query(slug: string, query: BridgeQuery): Promise<unknown>;
  };
  canvas: {
    /** Opens or places a window; answers where it went. */
    window(request: Omit<WindowEvent, 'type'>): Promise<string>;
    /** The windows open now, for the system prompt. */
    openWindows(): Promise<string[]>;
  };
  memory: {
    remember(text: string, tags: string[]): Promise<Memory>;
    recall(query: string, limit: number): Promise<Memory[]>;
  };
  schedule: {
    add(cron: string, prompt: string): Promise<Schedule>;
  };
  notify(event: Omit<NotifyEvent, 'type'>): Promise<void>;
  /** Records the home's current state (a git commit); answers the commit id or null when nothing changed. */
  snapshot(message: string): Promise<string | null>;
  /** A few lines of what happened lately (builds, changes), for the system prompt. */
  recentActivity(): Promise<string[]>;
}
