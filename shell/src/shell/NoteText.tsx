'use client';
import { useEffect, useState } from 'react';

/**
 * A note's text box, shared by Canvas and Desktop mode: saved a moment after typing stops, and
 * showing edits from other tabs at once unless the owner is typing in it.
 */
export function NoteText({ text, onSave, className }: { text: string; onSave(text: string): void; className?: string }) {
  const [draft, setDraft] = useState(text);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!editing) setDraft(text);
  }, [text, editing]);
  useEffect(() => {
    if (!editing || draft === text) return;
    const t = setTimeout(() => onSave(draft), 400);
    return () => clearTimeout(t);
  }, [draft, editing, text, onSave]);
  return <textarea className={className} aria-label="Note" value={draft} placeholder="Write something…" onFocus={() => setEditing(true)} onBlur={() => setEditing(false)} onChange={(e) => setDraft(e.target.value)} />;
}
