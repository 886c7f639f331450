'use client';
import { useEffect, useMemo, useState } from 'react';
import { BUILTINS } from '../builtins/registry.ts';
import { api } from '../lib/api.ts';
import type { CanvasSummary } from './CanvasSwitcher.tsx';
import { openCodeEditor } from './Launcher.tsx';
import { useShell } from './shell-context.ts';

interface Item {
  key: string;
  label: string;
  kind: string;
  run(): void;
}

/** Ctrl/Cmd-K: open apps, built-ins, files, canvases and settings by typing. */
export default function CommandPalette(props: { canvases: CanvasSummary[]; onSelectCanvas(id: string): void; onMode(m: 'canvas' | 'desktop'): void; onClose(): void }) {
  const { apps, open, openFile, openSettings } = useShell();
  const [q, setQ] = useState('');
  const [index, setIndex] = useState(0);
  const [files, setFiles] = useState<string[]>([]);

  // Files whose name matches, searched in the home as the owner types; the list is a convenience,
  // so a failed search just shows none.
  useEffect(() => {
    const needle = q.trim();
    if (needle.length < 2) return setFiles([]);
    const t = setTimeout(() => {
      api<{ results: { path: string; type: string }[] }>(`/api/files/search?q=${encodeURIComponent(needle)}&limit=20`)
        .then((r) => setFiles(r.results.filter((f) => f.type === 'file').map((f) => f.path)))
        .catch(() => setFiles([]));
    }, 150);
    return () => clearTimeout(t);
  }, [q]);

  const items = useMemo<Item[]>(() => {
    const all: Item[] = [
      ...apps.map((a) => ({ key: `app:${a.slug}`, label: a.name, kind: 'App', run: () => open(a.slug) })),
      ...Object.entries(BUILTINS)
        .filter(([, b]) => b.launchable)
        .map(([id, b]) => ({ key: id, label: b.title, kind: 'Built-in', run: () => open(id) })),
      ...props.canvases.map((c) => ({ key: `canvas:${c.id}`, label: `Go to canvas: ${c.name}`, kind: 'Canvas', run: () => props.onSelectCanvas(c.id) })),
      ...files.map((f) => ({ key: `file:${f}`, label: f, kind: 'File', run: () => openFile(f) })),
      { key: 'settings', label: 'Settings', kind: 'Shell', run: openSettings },
      // /code/ explains itself when code-server is not installed.
      { key: 'code', label: 'Open the code editor', kind: 'Shell', run: openCodeEditor },
      { key: 'mode:canvas', label: 'Switch to Canvas mode', kind: 'Shell', run: () => props.onMode('canvas') },
      { key: 'mode:desktop', label: 'Switch to Desktop mode', kind: 'Shell', run: () => props.onMode('desktop') },
    ];
    const needle = q.trim().toLowerCase();
    return needle ? all.filter((i) => i.kind === 'File' || i.label.toLowerCase().includes(needle)) : all;
  }, [apps, files, props, q, open, openFile, openSettings]);

  const run = (i: Item | undefined) => {
    if (!i) return;
    props.onClose();
    i.run();
  };

  return (
    <div className="overlay" onPointerDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <div className="panel" role="dialog" aria-label="Command palette">
        <input
          className="palette-input"
          autoFocus
          placeholder="Open an app, a file, a canvas, settings…"
          aria-label="Search"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setIndex((i) => Math.min(i + 1, items.length - 1));
            else if (e.key === 'ArrowUp') setIndex((i) => Math.max(i - 1, 0));
            else if (e.key === 'Enter') run(items[index]);
            else return;
            e.preventDefault();
          }}
        />
        <ul className="palette-list" role="listbox">
          {items.slice(0, 50).map((item, i) => (
            <li key={item.key} role="option" aria-selected={i === index} onPointerEnter={() => setIndex(i)} onClick={() => run(item)}>
              {item.label}
              <span className="kind">{item.kind}</span>
            </li>
          ))}
          {items.length === 0 && <li className="muted">Nothing matches “{q}”.</li>}
        </ul>
      </div>
    </div>
  );
}
