/** Thrown when a conversation already has as many waiting turns as allowed. */
export class QueueFullError extends Error {}

interface Job {
  run: () => Promise<void>;
  drop: () => void;
}

interface Lane {
  running: boolean;
  waiting: Job[];
}

/**
 * One running turn per conversation, and a bounded line of turns waiting behind it. Different
 * conversations run side by side.
 */
export class TurnQueue {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly maxWaiting: number) {}

  /** Queues `run`; answers how many turns are ahead of it (0: it starts now). `drop` is called instead of `run` when the line is cleared. */
  enqueue(key: string, run: () => Promise<void>, drop: () => void): number {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { running: false, waiting: [] };
      this.lanes.set(key, lane);
    }
    if (lane.waiting.length >= this.maxWaiting) throw new QueueFullError(`${lane.waiting.length} messages already wait in this conversation; wait for them or stop the running turn.`);
    lane.waiting.push({ run, drop });
    const position = lane.waiting.length - (lane.running ? 0 : 1);
    if (!lane.running) void this.next(key, lane);
    return position;
  }

  /** True while a turn of the conversation runs or waits. */
  busy(key: string): boolean {
    const lane = this.lanes.get(key);
    return !!lane && (lane.running || lane.waiting.length > 0);
  }

  /** Drops the waiting turns of a conversation (the running one is stopped by its owner); answers how many. */
  clear(key: string): number {
    const lane = this.lanes.get(key);
    if (!lane) return 0;
    const dropped = lane.waiting.splice(0);
    for (const j of dropped) j.drop();
    return dropped.length;
  }

  private async next(key: string, lane: Lane): Promise<void> {
    const job = lane.waiting.shift();
    if (!job) {
      lane.running = false;
      this.lanes.delete(key);
      return;
    }
    lane.running = true;
    try {
      await job.run();
    } catch {
      // A turn reports its own failure as an event; the line moves on.
    }
    await this.next(key, lane);
  }
}
