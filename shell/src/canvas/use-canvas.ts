'use client';
import { useSyncExternalStore } from 'react';
import type { CanvasSession, CanvasView } from './canvas-session.ts';

const EMPTY: CanvasView = { id: '', name: '', revision: 0, document: { version: 1, nodes: [] }, status: 'loading' };

/** A canvas session's view as React state. */
export function useCanvas(session: CanvasSession | null): CanvasView {
  return useSyncExternalStore(
    (l) => session?.subscribe(l) ?? (() => {}),
    () => session?.snapshot ?? EMPTY,
    () => EMPTY,
  );
}
