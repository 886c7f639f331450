'use client';
import { createContext, useContext } from 'react';
import type { CanvasOp } from '@matrix-os/protocol';

/** What canvas nodes may do to their canvas. */
export interface CanvasActions {
  change(ops: CanvasOp[]): void;
  /** Brings a node to the front. */
  raise(id: string): void;
}

export const CanvasActionsContext = createContext<CanvasActions>({ change: () => {}, raise: () => {} });
export const useCanvasActions = () => useContext(CanvasActionsContext);
