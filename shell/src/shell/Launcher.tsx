'use client';
import { BUILTINS } from '../builtins/registry.ts';
import { AppIcon } from './AppIcon.tsx';
import { useShell } from './shell-context.ts';

/** Opens the machine's code editor in a tab of its own (it wants the whole window). */
export function openCodeEditor(): void {
  window.open('/code/', '_blank', 'noopener');
}

/** Every app and built-in, and the code editor, one click to open. */
export function Launcher({ onClose }: { onClose(): void }) {
  const { apps, open } = useShell();
  const items = [
    ...apps.map((a) => ({ target: a.slug, name: a.name, note: a.status === 'ok' ? a.description : `Cannot start: ${(a.errors ?? []).join('; ')}`, run: () => open(a.slug) })),
    ...Object.entries(BUILTINS)
      .filter(([, b]) => b.launchable)
      .map(([id, b]) => ({ target: id, name: b.title, note: 'Built in', run: () => open(id) })),
    { target: 'code-editor', name: 'Code editor', note: 'Opens in a new tab', run: openCodeEditor },
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
                  i.run();
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
