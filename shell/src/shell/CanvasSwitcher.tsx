'use client';
import type { CanvasSummary } from '@matrix-os/protocol';
import { api } from '../lib/api.ts';

export type { CanvasSummary };

/** Picks, creates, renames, exports and deletes named canvases. */
export function CanvasSwitcher(props: { canvases: CanvasSummary[]; activeId: string; onSelect(id: string): void; reload(): Promise<CanvasSummary[]>; notify(m: string): void }) {
  const { canvases, activeId } = props;
  const active = canvases.find((c) => c.id === activeId);
  const guard = (fn: () => Promise<void>) => () => fn().catch((e: Error) => props.notify(e.message));
  const create = guard(async () => {
    const name = prompt('Name of the new canvas', 'Untitled');
    if (!name?.trim()) return;
    const c = await api<{ id: string }>('/api/canvas', { method: 'POST', json: { name: name.trim() } });
    await props.reload();
    props.onSelect(c.id);
  });
  const rename = guard(async () => {
    const name = prompt('Rename canvas', active?.name ?? '');
    if (!name?.trim()) return;
    await api(`/api/canvas/${activeId}`, { method: 'PATCH', json: { name: name.trim() } });
    await props.reload();
  });
  const remove = guard(async () => {
    if (canvases.length < 2) return props.notify('Keep at least one canvas.');
    if (!confirm(`Delete the canvas “${active?.name}”? Its windows close; files and app data stay.`)) return;
    await api(`/api/canvas/${activeId}`, { method: 'DELETE' });
    const list = await props.reload();
    props.onSelect(list[0]!.id);
  });
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
      <select className="input" style={{ width: 'auto', height: 30 }} aria-label="Canvas" value={activeId} onFocus={() => void props.reload()} onChange={(e) => props.onSelect(e.target.value)}>
        {canvases.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <button type="button" className="btn ghost" aria-label="New canvas" title="New canvas" onClick={create}>
        +
      </button>
      <button type="button" className="btn ghost" aria-label="Rename canvas" title="Rename" onClick={rename}>
        ✎
      </button>
      <a className="btn ghost" aria-label="Export canvas" title="Export" href={`/api/canvas/${activeId}/export`} download>
        ⇩
      </a>
      <button type="button" className="btn ghost" aria-label="Delete canvas" title="Delete" onClick={remove}>
        ⌫
      </button>
    </div>
  );
}
