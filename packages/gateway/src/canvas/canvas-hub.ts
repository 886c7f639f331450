import type { CanvasSocketMessage } from '@matrix-os/protocol';

type Listener = (msg: CanvasSocketMessage) => void;

/** Fans canvas changes out to the sockets open on each canvas. */
export class CanvasHub {
  private readonly rooms = new Map<string, Set<Listener>>();

  /** Listens to one canvas; returns the function that stops listening. */
  join(canvasId: string, listener: Listener): () => void {
    let room = this.rooms.get(canvasId);
    if (!room) this.rooms.set(canvasId, (room = new Set()));
    room.add(listener);
    return () => {
      room.delete(listener);
      if (room.size === 0) this.rooms.delete(canvasId);
    };
  }

  /** Sends a message to every socket on the canvas. */
  publish(canvasId: string, msg: CanvasSocketMessage): void {
    for (const l of [...(this.rooms.get(canvasId) ?? [])]) l(msg);
  }
}
