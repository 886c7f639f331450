import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useMatrixOS, useRows } from '@matrix-os/app-sdk/react';
import type { Row } from '@matrix-os/app-sdk';
import { Markdown, titleOf } from './markdown.ts';

type Note = Row & { title: string; body: string };
type View = 'write' | 'preview' | 'split';

const SAVE_AFTER_MS = 600;
const WELCOME = '# New note\n\nWrite in **Markdown**: lists, `code`, [links](https://example.com) and more.\n';

export function App() {
  const os = useMatrixOS();
  const { rows: notes, loading, error, reload } = useRows<Note>('notes', { orderBy: { updated_at: 'desc' } });
  const [selected, setSelected] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [view, setView] = useState<View>('split');
  const [failure, setFailure] = useState<string | null>(null);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? notes.filter((n) => n.body.toLowerCase().includes(q)) : notes;
  }, [notes, query]);
  const current = notes.find((n) => n.id === selected) ?? null;

  const create = useCallback(async () => {
    try {
      const { id } = await os.db.insert('notes', { title: titleOf(WELCOME), body: WELCOME });
      setQuery('');
      setSelected(id);
      reload();
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    }
  }, [os, reload]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        void create();
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'e') {
        e.preventDefault();
        setView((v) => (v === 'preview' ? 'write' : 'preview'));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [create]);

  return (
    <main className={`notes ${current ? 'has-note' : ''}`}>
      <aside className="sidebar">
        <div className="sidebar-top">
          <input type="search" aria-label="Search notes" placeholder="Search" value={query} onChange={(e) => setQuery(e.target.value)} />
          <button className="primary" onClick={() => void create()} title="New note (Alt+N)">
            New
          </button>
        </div>
        {(error || failure) && (
          <p className="error" role="alert">
            {failure ?? error?.message}
          </p>
        )}
        {loading ? (
          <p className="empty">Loading…</p>
        ) : shown.length === 0 ? (
          <p className="empty">{query ? 'No note matches.' : 'No notes yet. Press New to write one.'}</p>
        ) : (
          <ul className="note-list" aria-label="Notes">
            {shown.map((n) => (
              <li key={n.id}>
                <button aria-current={n.id === selected} onClick={() => setSelected(n.id)}>
                  <span className="note-title">{n.title || 'Untitled'}</span>
                  <span className="note-date">{new Date(n.updated_at).toLocaleString()}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </aside>

      {current ? (
        <Editor
          key={current.id}
          note={current}
          view={view}
          onView={setView}
          onBack={() => setSelected(null)}
          onSave={async (body) => {
            await os.db.update('notes', current.id, { body, title: titleOf(body) });
          }}
          onDelete={async () => {
            await os.db.delete('notes', current.id);
            setSelected(null);
            reload();
          }}
        />
      ) : (
        <section className="placeholder">
          <p>{notes.length ? 'Pick a note, or press Alt+N for a new one.' : 'Your notes will appear here.'}</p>
        </section>
      )}
    </main>
  );
}

interface EditorProps {
  note: Note;
  view: View;
  onView(view: View): void;
  onBack(): void;
  onSave(body: string): Promise<void>;
  onDelete(): Promise<void>;
}

/** One note: a text area, a preview, saving shortly after typing stops (or at once with Ctrl+S). */
function Editor({ note, view, onView, onBack, onSave, onDelete }: EditorProps) {
  const [body, setBody] = useState(note.body);
  const [status, setStatus] = useState<'saved' | 'pending' | 'saving' | 'failed'>('saved');
  const [confirming, setConfirming] = useState(false);
  const saved = useRef(note.body);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The parent passes a new onSave on every render; saving must not restart because of that.
  const onSaveRef = useRef(onSave);
  onSaveRef.current = onSave;

  const save = useCallback(
    async (text: string) => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      if (text === saved.current) return setStatus('saved');
      setStatus('saving');
      try {
        await onSaveRef.current(text);
        saved.current = text;
        setStatus('saved');
      } catch {
        setStatus('failed');
      }
    },
    [],
  );

  // Whatever is unsaved when the note closes is saved then.
  const latest = useRef(body);
  latest.current = body;
  useEffect(() => () => void save(latest.current), [save]);

  const change = (text: string) => {
    setBody(text);
    setStatus('pending');
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(text), SAVE_AFTER_MS);
  };

  return (
    <section className="editor" aria-label={note.title}>
      <div className="toolbar">
        <button className="back" onClick={onBack} aria-label="Back to the list">
          ‹ Notes
        </button>
        <div className="views" role="group" aria-label="View">
          {(['write', 'split', 'preview'] as const).map((v) => (
            <button key={v} aria-pressed={view === v} onClick={() => onView(v)}>
              {v === 'write' ? 'Write' : v === 'split' ? 'Both' : 'Preview'}
            </button>
          ))}
        </div>
        <span className={`status ${status}`} aria-live="polite">
          {status === 'saved' ? 'Saved' : status === 'saving' ? 'Saving…' : status === 'failed' ? 'Not saved' : 'Editing'}
        </span>
        {confirming ? (
          <span className="confirm">
            Delete?{' '}
            <button className="danger" onClick={() => void onDelete()} autoFocus>
              Yes
            </button>{' '}
            <button onClick={() => setConfirming(false)}>No</button>
          </span>
        ) : (
          <button onClick={() => setConfirming(true)}>Delete</button>
        )}
      </div>
      <div className={`panes ${view}`}>
        {view !== 'preview' && (
          <textarea
            aria-label="Note text (Markdown)"
            value={body}
            spellCheck
            onChange={(e) => change(e.target.value)}
            onKeyDown={(e) => {
              if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
                e.preventDefault();
                void save(body);
              }
            }}
          />
        )}
        {view !== 'write' && (
          <article className="preview" tabIndex={0} aria-label="Preview">
            {body.trim() ? <Markdown source={body} /> : <p className="muted">Nothing to preview.</p>}
          </article>
        )}
      </div>
    </section>
  );
}
