'use client';
import { useEffect, useRef } from 'react';
import type { NotifyEvent, WindowEvent } from '@matrix-os/protocol';
import { eventSocket } from '../lib/event-socket.ts';

export interface KernelEventHandlers {
  /** `kernel:notify`: the kernel tells the owner something. */
  notify(n: Omit<NotifyEvent, 'type'>): void;
  /** `canvas:window`: the kernel put a window on a canvas. */
  window(w: Omit<WindowEvent, 'type'>): void;
}

/** Calls the handlers for the kernel's events on the tab's event socket (the gateway validated them). */
export function useKernelEvents(handlers: KernelEventHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(
    () =>
      eventSocket().on((e) => {
        if (e.type === 'kernel:notify') ref.current.notify(e);
        else if (e.type === 'canvas:window') ref.current.window(e);
      }),
    [],
  );
}
