/** Supervision of one `node` app process as a pure state machine: (state, input, now) → (state, effects). */

export type ProcessPhase = 'stopped' | 'starting' | 'running' | 'stopping' | 'backoff' | 'failed';

export interface ProcessState {
  phase: ProcessPhase;
  /** Crash times (ms) inside the crash-loop window. */
  crashes: number[];
  /** Why the process last crashed or failed; kept after a restart for the status view. */
  reason: string | null;
  /** When `backoff` ends. */
  retryAt: number | null;
}

export type ProcessInput =
  /** Someone wants the app (a request arrived). */
  | { type: 'demand' }
  /** The health check passed. */
  | { type: 'healthy' }
  /** The process exited (or never became healthy and was killed). */
  | { type: 'exited'; reason: string }
  /** The back-off timer fired. */
  | { type: 'retry' }
  /** No request for the idle period. */
  | { type: 'idle' }
  /** Stop now (shutdown, rebuild, app removed). */
  | { type: 'stop' }
  /** Forget failures (after a rebuild or a manual restart). */
  | { type: 'reset' };

export type ProcessEffect = { type: 'spawn' } | { type: 'kill' } | { type: 'schedule-retry'; delayMs: number };

export interface SupervisorPolicy {
  /** This many crashes inside `crashWindowMs` marks the app failed. */
  maxCrashes: number;
  crashWindowMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_POLICY: SupervisorPolicy = { maxCrashes: 5, crashWindowMs: 60_000, backoffBaseMs: 250, backoffMaxMs: 15_000 };

export const initialProcessState = (): ProcessState => ({ phase: 'stopped', crashes: [], reason: null, retryAt: null });

/** Back-off before restart number `n` (1-based): base·2^(n-1), capped. */
export function backoffDelay(n: number, policy: SupervisorPolicy): number {
  return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, n - 1));
}

/** The next state and what the supervisor must do about it. Inputs that do not apply change nothing. */
export function stepProcess(s: ProcessState, input: ProcessInput, now: number, policy: SupervisorPolicy = DEFAULT_POLICY): { state: ProcessState; effects: ProcessEffect[] } {
  const same = { state: s, effects: [] };
  switch (input.type) {
    case 'demand':
      if (s.phase !== 'stopped') return same;
      return { state: { ...s, phase: 'starting', retryAt: null }, effects: [{ type: 'spawn' }] };
    case 'healthy':
      if (s.phase !== 'starting') return same;
      return { state: { ...s, phase: 'running' }, effects: [] };
    case 'exited': {
      // An exit we asked for is not a crash.
      if (s.phase === 'stopping') return { state: { ...s, phase: 'stopped' }, effects: [] };
      if (s.phase !== 'starting' && s.phase !== 'running') return same;
      const crashes = [...s.crashes.filter((t) => now - t < policy.crashWindowMs), now];
      if (crashes.length >= policy.maxCrashes) {
        const reason = `crashed ${crashes.length} times in ${Math.round(policy.crashWindowMs / 1000)} s; last: ${input.reason}`;
        return { state: { phase: 'failed', crashes, reason, retryAt: null }, effects: [] };
      }
      const delayMs = backoffDelay(crashes.length, policy);
      return { state: { phase: 'backoff', crashes, reason: input.reason, retryAt: now + delayMs }, effects: [{ type: 'schedule-retry', delayMs }] };
    }
    case 'retry':
      if (s.phase !== 'backoff') return same;
      return { state: { ...s, phase: 'starting', retryAt: null }, effects: [{ type: 'spawn' }] };
    case 'idle':
      if (s.phase !== 'running') return same;
      return { state: { ...s, phase: 'stopping' }, effects: [{ type: 'kill' }] };
    case 'stop':
      if (s.phase === 'starting' || s.phase === 'running') return { state: { ...s, phase: 'stopping' }, effects: [{ type: 'kill' }] };
      if (s.phase === 'backoff') return { state: { ...s, phase: 'stopped', retryAt: null }, effects: [] };
      return same;
    case 'reset':
      if (s.phase === 'failed' || s.phase === 'backoff') return { state: initialProcessState(), effects: [] };
      return { state: { ...s, crashes: [], reason: null }, effects: [] };
  }
}
