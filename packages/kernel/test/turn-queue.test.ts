import { describe, expect, it } from 'vitest';
import { QueueFullError, TurnQueue } from '../src/index.ts';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
};

describe('turns of a conversation', () => {
  it('run one at a time in order, while other conversations run beside them', async () => {
    const q = new TurnQueue(4);
    const log: string[] = [];
    const first = gate();
    const done = gate();
    expect(q.enqueue('a', async () => { log.push('a1 start'); await first.opened; log.push('a1 end'); }, () => {})).toBe(0);
    expect(q.enqueue('a', async () => { log.push('a2'); done.open(); }, () => {})).toBe(1);
    expect(q.enqueue('b', async () => { log.push('b1'); }, () => {})).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['a1 start', 'b1']);
    first.open();
    await done.opened;
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('wait in a bounded line, and clearing it drops the waiting turns', async () => {
    const q = new TurnQueue(2);
    const running = gate();
    const dropped: number[] = [];
    q.enqueue('a', () => running.opened, () => {});
    q.enqueue('a', async () => {}, () => dropped.push(1));
    q.enqueue('a', async () => {}, () => dropped.push(2));
    expect(() => q.enqueue('a', async () => {}, () => {})).toThrow(QueueFullError);
    expect(q.clear('a')).toBe(2);
    expect(dropped).toEqual([1, 2]);
    expect(q.busy('a')).toBe(true);
    running.open();
    await new Promise((r) => setImmediate(r));
    expect(q.busy('a')).toBe(false);
  });
});
