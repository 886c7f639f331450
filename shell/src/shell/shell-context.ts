'use client';
import { createContext, useContext } from 'react';
import type { AppBridgeHost } from '../apps/app-bridge-host.ts';
import type { CanvasSession } from '../canvas/canvas-session.ts';

/** An installed app as `GET /api/apps` reports it. */
export interface AppInfo {
  slug: string;
  name: string;
  status: string;
  description: string | null;
  icon: string | null;
  errors?: string[];
  build?: { state?: string } | null;
  [key: string]: unknown;
}

/** What every part of the shell may ask of it. */
export interface ShellApi {
  apps: AppInfo[];
  session: CanvasSession | null;
  bridge: AppBridgeHost;
  /** Opens an app (slug) or a built-in (`__terminal__`, …) in a new window on the current canvas. */
  open(target: string, options?: { path?: string; title?: string }): void;
  /** Opens a file in a preview window. */
  openFile(path: string): void;
  openSettings(): void;
  /** Shows a message in a toast. */
  notify(message: string, level?: 'info' | 'success' | 'warning' | 'error'): void;
}

export const ShellContext = createContext<ShellApi | null>(null);

/** The shell API; only inside the shell. */
export function useShell(): ShellApi {
  const api = useContext(ShellContext);
  if (!api) throw new Error('useShell outside the shell');
  return api;
}
