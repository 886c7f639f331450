'use client';
import { useEffect, useState } from 'react';
import { api } from '../lib/api.ts';
import { setPrefs, usePrefs, WALLPAPERS, type WallpaperId } from '../lib/prefs.ts';

interface Integration {
  id?: string;
  name?: string;
  status?: string;
}

/** Theme, wallpaper, default mode, and the integrations the gateway reports. */
export default function SettingsPanel({ onClose }: { onClose(): void }) {
  const prefs = usePrefs();
  const [integrations, setIntegrations] = useState<Integration[] | null | 'none'>(null);
  useEffect(() => {
    api<{ integrations?: Integration[] }>('/api/integrations')
      .then((r) => setIntegrations(r.integrations?.length ? r.integrations : 'none'))
      .catch(() => setIntegrations('none'));
  }, []);
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
                <button key={t} type="button" aria-pressed={prefs.theme === t} onClick={() => setPrefs({ theme: t })}>
                  {t[0]!.toUpperCase() + t.slice(1)}
                </button>
              ))}
            </div>
          </div>
          <div className="settings-row">
            <label>Wallpaper</label>
            <div className="swatches">
              {(Object.keys(WALLPAPERS) as WallpaperId[]).map((w) => (
                <button key={w} type="button" aria-pressed={prefs.wallpaper === w} aria-label={WALLPAPERS[w].label} title={WALLPAPERS[w].label} style={{ background: WALLPAPERS[w].css }} onClick={() => setPrefs({ wallpaper: w })} />
              ))}
            </div>
          </div>
          <div className="settings-row">
            <label>Open in</label>
            <div className="segmented" role="group" aria-label="Default mode">
              {(['canvas', 'desktop'] as const).map((m) => (
                <button key={m} type="button" aria-pressed={prefs.defaultMode === m} onClick={() => setPrefs({ defaultMode: m })}>
                  {m === 'canvas' ? 'Canvas' : 'Desktop'}
                </button>
              ))}
            </div>
          </div>
          <div className="settings-row">
            <label>Integrations</label>
            {integrations === null ? (
              <span className="muted">Loading…</span>
            ) : integrations === 'none' ? (
              <span className="muted">No integrations configured.</span>
            ) : (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {integrations.map((i, k) => (
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
