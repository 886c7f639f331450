import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useMatrixOS, useRows } from '@matrix-os/app-sdk/react';
import type { Row } from '@matrix-os/app-sdk';

type Task = Row & { text: string; done: boolean };
type Filter = 'all' | 'active' | 'done';

const FILTERS: { id: Filter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'active', label: 'Active' },
  { id: 'done', label: 'Done' },
];

const EMPTY: Record<Filter, string> = {
  all: 'No tasks yet. Type one above and press Enter.',
  active: 'Nothing left to do.',
  done: 'No finished tasks yet.',
};

export function App() {
  const os = useMatrixOS();
  const { rows, loading, error, reload } = useRows<Task>('tasks', { orderBy: { created_at: 'asc' } });
  const [filter, setFilter] = useState<Filter>('all');
  const [draft, setDraft] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  // The filter is remembered between visits in the app's key-value store.
  useEffect(() => {
    os.readData<Filter>('filter').then((f) => f && setFilter(f), () => {});
  }, [os]);
  const chooseFilter = (f: Filter) => {
    setFilter(f);
    os.writeData('filter', f).catch(() => {});
  };

  const run = async (action: () => Promise<unknown>) => {
    try {
      setFailure(null);
      await action();
      reload();
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    }
  };

  const visible = rows.filter((t) => (filter === 'all' ? true : filter === 'done' ? t.done : !t.done));
  const left = rows.filter((t) => !t.done).length;
  const doneCount = rows.length - left;

  const add = () => {
    const text = draft.trim();
    if (!text) return;
    setDraft('');
    void run(() => os.db.insert('tasks', { text, done: false }));
  };

  const focusItem = (index: number) => {
    const items = listRef.current?.querySelectorAll<HTMLElement>('[data-task]');
    if (!items?.length) return;
    items[Math.max(0, Math.min(index, items.length - 1))]!.focus();
  };

  const onItemKey = (e: KeyboardEvent<HTMLLIElement>, task: Task, index: number) => {
    if (editing) return;
    if (e.key === 'ArrowDown' || e.key === 'j') focusItem(index + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') focusItem(index - 1);
    else if (e.key === ' ' || e.key === 'x') void run(() => os.db.update('tasks', task.id, { done: !task.done }));
    else if (e.key === 'Enter' || e.key === 'F2') setEditing(task.id);
    else if (e.key === 'Delete' || e.key === 'Backspace') {
      void run(() => os.db.delete('tasks', task.id));
      focusItem(index);
    } else return;
    e.preventDefault();
  };

  return (
    <main className="tasks">
      <header>
        <h1>Tasks</h1>
        <p className="count" aria-live="polite">
          {loading ? 'Loading…' : rows.length === 0 ? 'Empty' : `${left} to do · ${doneCount} done`}
        </p>
      </header>

      <form
        className="add"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <input
          aria-label="New task"
          placeholder="Add a task…"
          value={draft}
          maxLength={500}
          autoFocus
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              focusItem(0);
            }
          }}
        />
        <button type="submit" disabled={!draft.trim()}>
          Add
        </button>
      </form>

      <nav className="filters" aria-label="Show">
        {FILTERS.map((f) => (
          <button key={f.id} aria-pressed={filter === f.id} onClick={() => chooseFilter(f.id)}>
            {f.label}
          </button>
        ))}
        {doneCount > 0 && (
          <button
            className="clear"
            onClick={() => void run(() => Promise.all(rows.filter((t) => t.done).map((t) => os.db.delete('tasks', t.id))))}
          >
            Clear done
          </button>
        )}
      </nav>

      {(error || failure) && (
        <p className="error" role="alert">
          {failure ?? error?.message}
        </p>
      )}

      {!loading && visible.length === 0 ? (
        <p className="empty">{EMPTY[filter]}</p>
      ) : (
        <ul ref={listRef} className="list" aria-label="Tasks">
          {visible.map((task, i) => (
            <li
              key={task.id}
              data-task
              tabIndex={0}
              className={task.done ? 'done' : ''}
              onKeyDown={(e) => onItemKey(e, task, i)}
              onDoubleClick={() => setEditing(task.id)}
            >
              <input
                type="checkbox"
                tabIndex={-1}
                checked={task.done}
                aria-label={task.done ? `Mark "${task.text}" as not done` : `Mark "${task.text}" as done`}
                onChange={() => void run(() => os.db.update('tasks', task.id, { done: !task.done }))}
              />
              {editing === task.id ? (
                <EditField
                  initial={task.text}
                  onDone={(text) => {
                    setEditing(null);
                    focusItem(i);
                    if (text !== null && text !== task.text) {
                      void run(() => (text ? os.db.update('tasks', task.id, { text }) : os.db.delete('tasks', task.id)));
                    }
                  }}
                />
              ) : (
                <span className="text">{task.text}</span>
              )}
              <button tabIndex={-1} className="delete" aria-label={`Delete "${task.text}"`} onClick={() => void run(() => os.db.delete('tasks', task.id))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <footer className="hint">↑↓ move · Space done · Enter edit · Delete remove</footer>
    </main>
  );
}

/** An inline editor: Enter saves (an empty text deletes the task), Escape cancels. */
function EditField({ initial, onDone }: { initial: string; onDone: (text: string | null) => void }) {
  const [text, setText] = useState(initial);
  // Enter or Escape finishes; the blur that follows must not finish a second time.
  const finished = useRef(false);
  const finish = (value: string | null) => {
    if (finished.current) return;
    finished.current = true;
    onDone(value);
  };
  return (
    <input
      className="edit"
      aria-label="Edit task"
      autoFocus
      value={text}
      maxLength={500}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => finish(text.trim())}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') finish(text.trim());
        else if (e.key === 'Escape') finish(null);
      }}
    />
  );
}
