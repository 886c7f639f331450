'use client';
import { useEffect, useState } from 'react';
import { api } from '../lib/api.ts';
import { bootApi } from '../lib/boot.ts';
import { eventSocket } from '../lib/event-socket.ts';
import type { AppInfo } from './shell-context.ts';

/** The installed apps, kept fresh by registry and build events. */
export function useApps(): { apps: AppInfo[]; loaded: boolean } {
  const [state, setState] = useState<{ apps: AppInfo[]; loaded: boolean }>({ apps: [], loaded: false });
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = (first = false) =>
      (first ? bootApi<{ apps: AppInfo[] }>('/api/apps') : api<{ apps: AppInfo[] }>('/api/apps')).then(
        (r) => alive && setState({ apps: r.apps, loaded: true }),
        () => alive && setState((s) => ({ ...s, loaded: true })),
      );
    void load(true);
    const off = eventSocket().on((e) => {
      if (e.type !== 'app:registry' && e.type !== 'app:build') return;
      if (e.type === 'app:build' && e.phase === 'log') return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(load, 250);
    });
    return () => {
      alive = false;
      off();
      if (timer) clearTimeout(timer);
    };
  }, []);
  return state;
}

const HUES = [250, 12, 160, 200, 320, 40, 280, 100];
/** A stable colour for an app without an icon. */
export function appHue(slug: string): number {
  let h = 0;
  for (const ch of slug) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return HUES[h % HUES.length]!;
}
