import type { GatewayEvent } from '@matrix-os/protocol';

/** An event with its place in the machine's event order. */
export interface SequencedEvent {
  seq: number;
  event: GatewayEvent;
}

export type EventListener = (e: SequencedEvent) => void;

/**
 * Numbers every event and keeps the last `capacity` of them, so a client that reconnects with the
 * last sequence number it saw gets exactly what it missed, or learns that there was a gap.
 */
export class EventBus {
  private seq = 0;
  private readonly ring: SequencedEvent[] = [];
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly capacity = 2000) {}

  /** Publishes an event to every listener. */
  publish(event: GatewayEvent): SequencedEvent {
    const e = { seq: ++this.seq, event };
    this.ring.push(e);
    if (this.ring.length > this.capacity) this.ring.shift();
    for (const l of this.listeners) l(e);
    return e;
  }

  /** The events after `since`; `gap` is true when some of them were already dropped. */
  since(since: number): { events: SequencedEvent[]; gap: boolean } {
    const first = this.ring[0]?.seq ?? this.seq + 1;
    const events = this.ring.filter((e) => e.seq > since);
    return { events, gap: since < first - 1 };
  }

  get lastSeq(): number {
    return this.seq;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
