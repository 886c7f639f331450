'use client';
import { BUILTINS } from '../builtins/registry.ts';
import { AppIcon } from './AppIcon.tsx';
import { useShell } from './shell-context.ts';

/** Every app and built-in, one click to open. */
export function Launcher({ onClose }: { onClose(): void }) {
  const { apps, open } = useShell();
  const items = [
    ...apps.map((a) => ({ target: a.slug, name: a.name, note: a.status === 'ok' ? a.description : `Cannot start: ${(a.errors ?? []).join('; ')}` })),
    ...Object.entries(BUILTINS)
      .filter(([, b]) => b.launchable)
      .map(([id, b]) => ({ target: id, name: b.title, note: 'Built in' })),
  ];
  return (
    <div className="overlay" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="panel" role="dialog" aria-label="Apps">
        <header>
          Apps <span className="spacer" style={{ flex: 1 }} />
          <button type="button" className="btn ghost" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="body">
          {apps.length === 0 && <p className="muted">No apps are installed yet. Apps are folders in ~/apps with a matrix.json.</p>}
          <div className="launcher-grid">
            {items.map((i) => (
              <button
                key={i.target}
                type="button"
                title={i.note ?? i.name}
                onClick={() => {
                  open(i.target);
                  onClose();
                }}
              >
                <AppIcon target={i.target} name={i.name} />
                {i.name}
              </button>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
