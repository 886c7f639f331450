'use client';
import { BUILTINS } from '../registry.ts';
import { useCanvas } from '../../canvas/use-canvas.ts';
import { AppIcon } from '../../shell/AppIcon.tsx';
import { useShell } from '../../shell/shell-context.ts';

/** `__workspace__`: this canvas at a glance: what is open, and what can be opened. */
export function Workspace() {
  const { apps, session, open } = useShell();
  const view = useCanvas(session);
  const windows = view.document.nodes.filter((n) => n.kind !== 'group');
  return (
    <div className="pane">
      <div>
        <div style={{ fontSize: 'var(--text-lg)', fontWeight: 600 }}>{view.name}</div>
        <div className="muted">
          {windows.length} item{windows.length === 1 ? '' : 's'} · revision {view.revision}
        </div>
      </div>
      <div className="launcher-grid">
        {[...apps.map((a) => ({ target: a.slug, name: a.name })), ...Object.entries(BUILTINS).filter(([id, b]) => b.launchable && id !== '__workspace__').map(([id, b]) => ({ target: id, name: b.title }))].map((i) => (
          <button key={i.target} type="button" onClick={() => open(i.target)}>
            <AppIcon target={i.target} name={i.name} />
            {i.name}
          </button>
        ))}
      </div>
    </div>
  );
}
