import { useEffect, useRef, useState } from 'react';
import { useMatrixOS } from '@matrix-os/app-sdk/react';
import { formatDuration } from './time-format.ts';

type Tab = 'clock' | 'timer' | 'stopwatch';
const TABS: { id: Tab; label: string; key: string }[] = [
  { id: 'clock', label: 'Clock', key: '1' },
  { id: 'timer', label: 'Timer', key: '2' },
  { id: 'stopwatch', label: 'Stopwatch', key: '3' },
];

/** Re-renders every `ms` while `active`. */
function useTick(ms: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms, active]);
  return now;
}

/** Binds single-key shortcuts while no text field has focus. */
function useKeys(handler: (key: string) => boolean) {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.target instanceof HTMLInputElement) return;
      if (ref.current(e.key)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function App() {
  useMatrixOS(); // applies the OS theme
  const [tab, setTab] = useState<Tab>('clock');
  useKeys((key) => {
    const t = TABS.find((x) => x.key === key);
    if (t) setTab(t.id);
    return !!t;
  });
  return (
    <main className="clock-app">
      <nav role="tablist" aria-label="Mode">
        {TABS.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} title={`${t.label} (${t.key})`} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </nav>
      <section role="tabpanel" className="panel">
        {tab === 'clock' ? <Clock /> : tab === 'timer' ? <Timer /> : <Stopwatch />}
      </section>
    </main>
  );
}

function Clock() {
  const now = new Date(useTick(1000));
  return (
    <div className="face">
      <time className="big" dateTime={now.toISOString()}>
        {now.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })}
      </time>
      <p className="sub">{now.toLocaleDateString([], { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })}</p>
      <p className="sub small">{Intl.DateTimeFormat().resolvedOptions().timeZone}</p>
    </div>
  );
}

/** A short beep through Web Audio (no sound files, no network). */
function beep() {
  try {
    const ctx = new AudioContext();
    for (let i = 0; i < 3; i++) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(ctx.destination);
      const at = ctx.currentTime + i * 0.35;
      osc.start(at);
      osc.stop(at + 0.2);
    }
  } catch {
    // No audio in this window: the flashing display still says the time is up.
  }
}

function Timer() {
  const [minutes, setMinutes] = useState(5);
  const [seconds, setSeconds] = useState(0);
  // endsAt while running; remaining while paused; both null when idle.
  const [endsAt, setEndsAt] = useState<number | null>(null);
  const [remaining, setRemaining] = useState<number | null>(null);
  const [done, setDone] = useState(false);
  const now = useTick(100, endsAt !== null);
  const left = endsAt !== null ? endsAt - now : (remaining ?? (minutes * 60 + seconds) * 1000);

  useEffect(() => {
    if (endsAt !== null && left <= 0) {
      setEndsAt(null);
      setRemaining(null);
      setDone(true);
      beep();
    }
  }, [endsAt, left]);

  const duration = (minutes * 60 + seconds) * 1000;
  const startPause = () => {
    setDone(false);
    if (endsAt !== null) {
      setRemaining(endsAt - Date.now());
      setEndsAt(null);
    } else if (remaining !== null || duration > 0) {
      setEndsAt(Date.now() + (remaining ?? duration));
      setRemaining(null);
    }
  };
  const reset = () => {
    setEndsAt(null);
    setRemaining(null);
    setDone(false);
  };
  useKeys((key) => {
    if (key === ' ') startPause();
    else if (key === 'r') reset();
    else return false;
    return true;
  });

  const idle = endsAt === null && remaining === null;
  return (
    <div className="face">
      <div className={`big ${done ? 'flash' : ''}`} aria-live="polite">
        {done ? "Time's up" : formatDuration(left + 999)}
      </div>
      {idle && (
        <div className="setter">
          <label>
            <input type="number" min={0} max={999} value={minutes} onChange={(e) => setMinutes(Math.max(0, Math.min(999, Number(e.target.value) || 0)))} />
            min
          </label>
          <label>
            <input type="number" min={0} max={59} value={seconds} onChange={(e) => setSeconds(Math.max(0, Math.min(59, Number(e.target.value) || 0)))} />
            sec
          </label>
          <div className="presets">
            {[1, 5, 10, 25].map((m) => (
              <button
                key={m}
                onClick={() => {
                  setMinutes(m);
                  setSeconds(0);
                }}
              >
                {m} min
              </button>
            ))}
          </div>
        </div>
      )}
      <div className="controls">
        <button className="primary" onClick={startPause} disabled={idle && duration === 0}>
          {endsAt !== null ? 'Pause' : remaining !== null ? 'Resume' : 'Start'}
        </button>
        <button onClick={reset} disabled={idle && !done}>
          Reset
        </button>
      </div>
      <p className="sub small">Space start/pause · R reset</p>
    </div>
  );
}

function Stopwatch() {
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [banked, setBanked] = useState(0);
  const [laps, setLaps] = useState<number[]>([]);
  const now = useTick(31, startedAt !== null);
  const elapsed = banked + (startedAt !== null ? now - startedAt : 0);

  const toggle = () => {
    if (startedAt !== null) {
      setBanked(banked + Date.now() - startedAt);
      setStartedAt(null);
    } else setStartedAt(Date.now());
  };
  const lap = () => startedAt !== null && setLaps((l) => [elapsed, ...l]);
  const reset = () => {
    setStartedAt(null);
    setBanked(0);
    setLaps([]);
  };
  useKeys((key) => {
    if (key === ' ') toggle();
    else if (key === 'l') lap();
    else if (key === 'r') reset();
    else return false;
    return true;
  });

  return (
    <div className="face">
      <div className="big mono">{formatDuration(elapsed, true)}</div>
      <div className="controls">
        <button className="primary" onClick={toggle}>
          {startedAt !== null ? 'Stop' : elapsed > 0 ? 'Resume' : 'Start'}
        </button>
        <button onClick={lap} disabled={startedAt === null}>
          Lap
        </button>
        <button onClick={reset} disabled={elapsed === 0}>
          Reset
        </button>
      </div>
      {laps.length > 0 ? (
        <ol className="laps" reversed>
          {laps.map((t, i) => (
            <li key={laps.length - i}>
              <span>Lap {laps.length - i}</span>
              <span className="mono">{formatDuration(t - (laps[i + 1] ?? 0), true)}</span>
              <span className="mono muted">{formatDuration(t, true)}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="sub small">Space start/stop · L lap · R reset</p>
      )}
    </div>
  );
}
