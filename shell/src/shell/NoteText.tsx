'use client';
import { useEffect, useRef, useState } from 'react';

/**
 * A note's text box, shared by Canvas and Desktop mode: saved a moment after typing stops (at once
 * when it loses focus, goes away or the tab closes, so a quick click elsewhere loses nothing), and showing edits
 * from other tabs at once unless the owner is typing in it.
 */
export function NoteText({ text, onSave, className }: { text: string; onSave(text: string): void; className?: string }) {
  const [draft, setDraft] = useState(text);
  const [editing, setEditing] = useState(false);
  // The typed text not yet handed to onSave, for the blur and unmount paths that cannot wait.
  const unsaved = useRef<{ draft: string; onSave(text: string): void } | null>(null);
  const flush = () => {
    const u = unsaved.current;
    unsaved.current = null;
    if (u) u.onSave(u.draft);
  };
  useEffect(() => {
    if (!editing) setDraft(text);
  }, [text, editing]);
  useEffect(() => {
    unsaved.current = editing && draft !== text ? { draft, onSave } : null;
    if (!unsaved.current) return;
    const t = setTimeout(flush, 400);
    return () => clearTimeout(t);
  }, [draft, editing, text, onSave]);
  useEffect(() => {
    // Closing or reloading the tab right after typing keeps the text too.
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, []);
  return (
    <textarea
      className={className}
      aria-label="Note"
      value={draft}
      placeholder="Write something…"
      onFocus={() => setEditing(true)}
      onBlur={() => {
        flush();
        setEditing(false);
      }}
      onChange={(e) => setDraft(e.target.value)}
    />
  );
}
