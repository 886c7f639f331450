import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_POLICY, initialProcessState, stepProcess, type ProcessInput, type ProcessState } from '../src/runtime/process-state.ts';

/** Feeds inputs at the given times; returns the final state and every effect in order. */
function run(steps: [number, ProcessInput][], from: ProcessState = initialProcessState()) {
  let state = from;
  const effects: string[] = [];
  for (const [now, input] of steps) {
    const out = stepProcess(state, input, now);
    state = out.state;
    effects.push(...out.effects.map((e) => (e.type === 'schedule-retry' ? `retry in ${e.delayMs}` : e.type)));
  }
  return { state, effects };
}

describe('supervising a node app process', () => {
  it('starts on the first request and runs once healthy', () => {
    const { state, effects } = run([
      [0, { type: 'demand' }],
      [0, { type: 'demand' }],
      [100, { type: 'healthy' }],
    ]);
    expect(state.phase).toBe('running');
    expect(effects).toEqual(['spawn']);
  });

  it('restarts a crashed process with a doubling back-off', () => {
    const { state, effects } = run([
      [0, { type: 'demand' }],
      [10, { type: 'healthy' }],
      [1000, { type: 'exited', reason: 'exited with code 1' }],
      [1250, { type: 'retry' }],
      [1300, { type: 'exited', reason: 'exited with code 1' }],
    ]);
    expect(effects).toEqual(['spawn', 'retry in 250', 'spawn', 'retry in 500']);
    expect(state).toMatchObject({ phase: 'backoff', reason: 'exited with code 1', retryAt: 1800 });
  });

  it('marks the app failed after five crashes within a minute, with the last reason', () => {
    const steps: [number, ProcessInput][] = [[0, { type: 'demand' }]];
    for (let i = 1; i <= 5; i++) steps.push([i * 1000, { type: 'exited', reason: `exited with code ${i}` }], [i * 1000 + 500, { type: 'retry' }]);
    const { state } = run(steps);
    expect(state.phase).toBe('failed');
    expect(state.reason).toBe('crashed 5 times in 60 s; last: exited with code 5');
    // A failed app is not restarted by traffic; only a reset (rebuild, restart) clears it.
    expect(run([[9000, { type: 'demand' }]], state).state.phase).toBe('failed');
    expect(run([[9000, { type: 'reset' }], [9001, { type: 'demand' }]], state).effects).toEqual(['spawn']);
  });

  it('forgets crashes older than the window', () => {
    const steps: [number, ProcessInput][] = [[0, { type: 'demand' }]];
    for (let i = 1; i <= 8; i++) steps.push([i * 30_000, { type: 'exited', reason: 'x' }], [i * 30_000 + 100, { type: 'retry' }]);
    expect(run(steps).state.phase).toBe('starting');
  });

  it('stops an idle process without counting a crash', () => {
    const { state, effects } = run([
      [0, { type: 'demand' }],
      [10, { type: 'healthy' }],
      [600_000, { type: 'idle' }],
      [600_010, { type: 'exited', reason: 'killed by SIGTERM' }],
    ]);
    expect(effects).toEqual(['spawn', 'kill']);
    expect(state).toMatchObject({ phase: 'stopped', crashes: [] });
  });

  it('ignores inputs that do not apply and a retry after a stop', () => {
    const backoff = run([
      [0, { type: 'demand' }],
      [5, { type: 'exited', reason: 'x' }],
      [6, { type: 'stop' }],
      [300, { type: 'retry' }],
      [301, { type: 'healthy' }],
      [302, { type: 'idle' }],
    ]);
    expect(backoff.state.phase).toBe('stopped');
    expect(backoff.effects).toEqual(['spawn', 'retry in 250']);
  });

  it('caps the back-off', () => {
    expect(backoffDelay(1, DEFAULT_POLICY)).toBe(250);
    expect(backoffDelay(20, DEFAULT_POLICY)).toBe(DEFAULT_POLICY.backoffMaxMs);
  });
});
