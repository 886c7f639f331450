'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { eventSocket } from '../../lib/event-socket.ts';
import { useShell } from '../../shell/shell-context.ts';
import { FilePreview } from './FilePreview.tsx';
import { listFolder, listTrash, makeFolder, movePath, restoreTrash, trashPath, uploadFile, type FileInfo, type TrashItem } from './file-api.ts';

const join = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** `__file-browser__`: the home's files: browse, upload with progress, rename, move, trash and restore, preview. */
export function FileBrowser() {
  const { openFile, notify } = useShell();
  const [dir, setDir] = useState('');
  const [entries, setEntries] = useState<FileInfo[] | null>(null);
  const [trash, setTrash] = useState<TrashItem[] | null>(null);
  const [selected, setSelected] = useState<FileInfo | null>(null);
  const [uploads, setUploads] = useState<{ name: string; progress: number }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  // What is on screen now; a refresh that finishes later lists that, never what was shown when it began.
  const showing = useRef({ dir, trash: trash !== null });
  showing.current = { dir, trash: trash !== null };
  const refresh = useCallback(async () => {
    const { dir: folder, trash: inTrash } = showing.current;
    try {
      if (inTrash) {
        const items = (await listTrash()).items;
        if (showing.current.trash) setTrash(items);
      } else {
        const list = (await listFolder(folder)).entries;
        if (!showing.current.trash && showing.current.dir === folder) setEntries(list);
      }
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);

  const inTrash = trash !== null;
  useEffect(() => {
    void refresh();
  }, [dir, inTrash, refresh]);

  // Changes made elsewhere (another tab, the terminal, the kernel) show up here.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = eventSocket().on((e) => {
      if ((e as { type: string }).type !== 'file:change') return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 200);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [refresh]);

  const act = (fn: () => Promise<unknown>) => () =>
    fn()
      .then(refresh)
      .catch((e: Error) => notify(e.message));

  const upload = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      setUploads((u) => [...u, { name: file.name, progress: 0 }]);
      try {
        await uploadFile(join(dir, file.name), file, (progress) => setUploads((u) => u.map((x) => (x.name === file.name ? { ...x, progress } : x))));
      } catch (e) {
        notify(`${file.name}: ${(e as Error).message}`);
      }
      setUploads((u) => u.filter((x) => x.name !== file.name));
    }
    if (input.current) input.current.value = '';
    await refresh();
  };

  const crumbs = dir ? dir.split('/') : [];
  return (
    <div style={{ display: 'flex', height: '100%' }} onDragOver={(e) => e.preventDefault()} onDrop={(e) => (e.preventDefault(), void upload(e.dataTransfer.files))}>
      <div style={{ flex: 1, minWidth: 0, overflow: 'auto', borderRight: selected ? '1px solid var(--matrix-border)' : undefined }}>
        <div className="toolbar">
          {trash ? (
            <button type="button" className="btn" onClick={() => setTrash(null)}>
              ← Files
            </button>
          ) : (
            <>
              <nav aria-label="Folder" style={{ display: 'flex', gap: 4, flex: 1, minWidth: 0, fontSize: 13 }}>
                <button type="button" className="btn ghost" onClick={() => setDir('')}>
                  Home
                </button>
                {crumbs.map((c, i) => (
                  <button key={i} type="button" className="btn ghost" onClick={() => setDir(crumbs.slice(0, i + 1).join('/'))}>
                    / {c}
                  </button>
                ))}
              </nav>
              <button type="button" className="btn" onClick={act(async () => { const n = prompt('Folder name'); if (n) await makeFolder(join(dir, n)); })}>
                New folder
              </button>
              <button type="button" className="btn primary" onClick={() => input.current?.click()}>
                Upload
              </button>
              <input ref={input} type="file" multiple hidden aria-label="Upload files" onChange={(e) => void upload(e.target.files)} />
              <button type="button" className="btn ghost" onClick={() => setTrash([])} aria-label="Trash">
                Trash
              </button>
            </>
          )}
        </div>
        {uploads.map((u) => (
          <div key={u.name} style={{ padding: '6px 12px' }} aria-label={`Uploading ${u.name}`}>
            <div style={{ fontSize: 12 }}>
              {u.name} — {Math.round(u.progress * 100)}%
            </div>
            <div className="progress" role="progressbar" aria-valuenow={Math.round(u.progress * 100)}>
              <div style={{ width: `${u.progress * 100}%` }} />
            </div>
          </div>
        ))}
        {error && <div className="empty-state">{error}</div>}
        {trash ? (
          <ul className="file-list" aria-label="Trash">
            {trash.length === 0 && <li className="muted">The trash is empty.</li>}
            {trash.map((t) => (
              <li key={t.id}>
                <span aria-hidden>{t.type === 'dir' ? '▸' : '▫'}</span>
                <span className="name">{t.path}</span>
                <span className="muted">{new Date(t.deletedAt).toLocaleString()}</span>
                <button type="button" className="btn" onClick={act(() => restoreTrash(t.id))}>
                  Restore
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <ul className="file-list" aria-label="Files" role="listbox">
            {entries?.length === 0 && <li className="muted">This folder is empty. Drop files here to upload them.</li>}
            {entries?.map((f) => (
              <li
                key={f.path}
                role="option"
                aria-selected={selected?.path === f.path}
                tabIndex={0}
                onClick={() => setSelected(f.type === 'file' ? f : null)}
                onDoubleClick={() => (f.type === 'dir' ? setDir(f.path) : openFile(f.path))}
                onKeyDown={(e) => e.key === 'Enter' && (f.type === 'dir' ? setDir(f.path) : setSelected(f))}
              >
                <span aria-hidden>{f.type === 'dir' ? '▸' : '▫'}</span>
                <span className="name">{f.name}</span>
                <span className="muted" style={{ fontSize: 11 }}>
                  {f.type === 'file' ? formatSize(f.size) : ''}
                </span>
                <button type="button" className="btn ghost" aria-label={`Rename ${f.name}`} onClick={act(async () => { const n = prompt('New name', f.name); if (n && n !== f.name) await movePath(f.path, join(dir, n)); })}>
                  ✎
                </button>
                <button type="button" className="btn ghost" aria-label={`Move ${f.name}`} onClick={act(async () => { const to = prompt('Move to (path from home)', f.path); if (to && to !== f.path) await movePath(f.path, to.replace(/^\/+/, '')); })}>
                  ⇄
                </button>
                <button type="button" className="btn ghost danger" aria-label={`Delete ${f.name}`} onClick={act(async () => { await trashPath(f.path); if (selected?.path === f.path) setSelected(null); })}>
                  ⌫
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {selected && !trash && (
        <aside style={{ width: '45%', minWidth: 220, display: 'flex', flexDirection: 'column' }} aria-label="Preview">
          <div className="toolbar">
            <strong style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis', fontSize: 13 }}>{selected.name}</strong>
            <button type="button" className="btn ghost" onClick={() => openFile(selected.path)} aria-label="Open in a window">
              ⤢
            </button>
          </div>
          <div style={{ flex: 1, minHeight: 0 }}>
            <FilePreview path={selected.path} />
          </div>
        </aside>
      )}
    </div>
  );
}
