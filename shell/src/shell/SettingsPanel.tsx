'use client';
import { useEffect, useState } from 'react';
import { api } from '../lib/api.ts';
import { setPrefs, usePrefs, WALLPAPERS, type Prefs, type WallpaperId } from '../lib/prefs.ts';
import { useShell } from './shell-context.ts';

interface Integration {
  id?: string;
  name?: string;
  status?: string;
}

/** Theme, wallpaper, default mode (kept on the machine, so every browser gets them), and the integrations the gateway reports. */
export default function SettingsPanel({ onClose }: { onClose(): void }) {
  const prefs = usePrefs();
  const { notify } = useShell();
  const [integrations, setIntegrations] = useState<{ list: Integration[]; reason?: string } | null>(null);
  useEffect(() => {
    api<{ integrations: Integration[]; reason?: string }>('/api/integrations')
      .then((r) => setIntegrations({ list: r.integrations, reason: r.reason }))
      .catch((e: Error) => setIntegrations({ list: [], reason: e.message }));
  }, []);
  const change = (patch: Partial<Prefs>) => setPrefs(patch).catch((e: Error) => notify(`Settings were not saved: ${e.message}`, 'error'));
  return (
    <div className="overlay" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="panel" role="dialog" aria-label="Settings">
        <header>
          Settings <span style={{ flex: 1 }} />
          <button type="button" className="btn ghost" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="body">
          <div className="settings-row">
            <label>Theme</label>
            <div className="segmented" role="group" aria-label="Theme">
              {(['system', 'light', 'dark'] as const).map((t) => (
                <button key={t} type="button" aria-pressed={prefs.theme === t} onClick={() => change({ theme: t })}>
                  {t[0]!.toUpperCase() + t.slice(1)}
                </button>
              ))}
            </div>
          </div>
          <div className="settings-row">
            <label>Wallpaper</label>
            <div className="swatches">
              {(Object.keys(WALLPAPERS) as WallpaperId[]).map((w) => (
                <button key={w} type="button" aria-pressed={prefs.wallpaper === w} aria-label={WALLPAPERS[w].label} title={WALLPAPERS[w].label} style={{ background: WALLPAPERS[w].css }} onClick={() => change({ wallpaper: w })} />
              ))}
            </div>
          </div>
          <div className="settings-row">
            <label>Open in</label>
            <div className="segmented" role="group" aria-label="Default mode">
              {(['canvas', 'desktop'] as const).map((m) => (
                <button key={m} type="button" aria-pressed={prefs.defaultMode === m} onClick={() => change({ defaultMode: m })}>
                  {m === 'canvas' ? 'Canvas' : 'Desktop'}
                </button>
              ))}
            </div>
          </div>
          <div className="settings-row">
            <label>Integrations</label>
            {integrations === null ? (
              <span className="muted">Loading…</span>
            ) : integrations.list.length === 0 ? (
              <span className="muted">
                No integrations configured.{integrations.reason && <> {integrations.reason}</>}
              </span>
            ) : (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {integrations.list.map((i, k) => (
                  <li key={i.id ?? k}>
                    {i.name ?? i.id} {i.status && <span className="muted">({i.status})</span>}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
