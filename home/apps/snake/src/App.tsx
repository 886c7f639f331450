import { useCallback, useEffect, useRef, useState, type TouchEvent } from 'react';
import { useMatrixOS, useRows, useTheme } from '@matrix-os/app-sdk/react';
import type { Row } from '@matrix-os/app-sdk';
import { newGame, speedFor, step, turn, type Direction, type Game } from './snake.ts';

type Score = Row & { score: number; length: number };
type Phase = 'ready' | 'playing' | 'paused' | 'over';

const SIZE = 18;
const KEYS: Record<string, Direction> = {
  ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right',
  w: 'up', s: 'down', a: 'left', d: 'right', k: 'up', j: 'down', h: 'left', l: 'right',
};

export function App() {
  const os = useMatrixOS();
  const theme = useTheme();
  const best = useRows<Score>('scores', { orderBy: { score: 'desc' }, limit: 5 });
  const [game, setGame] = useState<Game>(() => newGame(SIZE));
  const [phase, setPhase] = useState<Phase>('ready');
  const [saveError, setSaveError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const board = useRef<HTMLDivElement>(null);
  const [px, setPx] = useState(300);

  const start = useCallback(() => {
    setGame(newGame(SIZE));
    setPhase('playing');
    setSaveError(null);
  }, []);
  const steer = useCallback((dir: Direction) => {
    setGame((g) => turn(g, dir));
  }, []);

  // Keyboard: arrows / WASD / hjkl steer, Space or P pauses, Enter starts.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const dir = KEYS[e.key];
      if (dir && phase === 'playing') steer(dir);
      else if ((e.key === ' ' || e.key === 'p') && (phase === 'playing' || phase === 'paused')) setPhase(phase === 'playing' ? 'paused' : 'playing');
      else if ((e.key === 'Enter' || e.key === ' ') && (phase === 'ready' || phase === 'over')) start();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [phase, start, steer]);

  // The game loop.
  useEffect(() => {
    if (phase !== 'playing') return;
    const id = setTimeout(() => setGame((g) => step(g)), speedFor(game.score));
    return () => clearTimeout(id);
  }, [phase, game]);

  // The end of a game: keep the score through the bridge.
  useEffect(() => {
    if (!game.over || phase !== 'playing') return;
    setPhase('over');
    if (game.score > 0) {
      os.db.insert('scores', { score: game.score, length: game.snake.length }).then(
        () => best.reload(),
        (err: Error) => setSaveError(`Score not saved: ${err.message}`),
      );
    }
  }, [game.over, phase, game.score, game.snake.length, os, best]);

  // The board fills the space it has, square, at any window size.
  useEffect(() => {
    const el = board.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      const { width, height } = entry!.contentRect;
      setPx(Math.max(90, Math.floor(Math.min(width, height) / SIZE) * SIZE));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const cell = px / SIZE;
    const css = getComputedStyle(document.documentElement);
    const color = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    ctx.fillStyle = color('--matrix-surface', '#fff');
    ctx.fillRect(0, 0, px, px);
    ctx.fillStyle = color('--matrix-danger', '#c0392b');
    ctx.beginPath();
    ctx.arc((game.food.x + 0.5) * cell, (game.food.y + 0.5) * cell, cell * 0.38, 0, Math.PI * 2);
    ctx.fill();
    game.snake.forEach((c, i) => {
      ctx.fillStyle = i === 0 ? color('--matrix-fg', '#222') : color('--matrix-success', '#23834a');
      ctx.fillRect(c.x * cell + 1, c.y * cell + 1, cell - 2, cell - 2);
    });
  }, [game, px, theme]);

  // Swipes steer on touch screens.
  const touch = useRef<{ x: number; y: number } | null>(null);
  const onTouchEnd = (e: TouchEvent) => {
    const t0 = touch.current;
    const t1 = e.changedTouches[0];
    touch.current = null;
    if (!t0 || !t1) return;
    const dx = t1.clientX - t0.x;
    const dy = t1.clientY - t0.y;
    if (Math.max(Math.abs(dx), Math.abs(dy)) < 20) return;
    if (phase !== 'playing') return;
    steer(Math.abs(dx) > Math.abs(dy) ? (dx > 0 ? 'right' : 'left') : dy > 0 ? 'down' : 'up');
  };

  const top = best.rows[0]?.score ?? 0;
  const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
  return (
    <main className="snake">
      <header>
        <span>
          Score <strong>{game.score}</strong>
        </span>
        <span>
          Best <strong>{Math.max(top, phase === 'over' ? game.score : 0)}</strong>
        </span>
        <button onClick={() => (phase === 'playing' ? setPhase('paused') : phase === 'paused' ? setPhase('playing') : start())}>
          {phase === 'playing' ? 'Pause' : phase === 'paused' ? 'Resume' : 'New game'}
        </button>
      </header>
      <div className="board" ref={board} onTouchStart={(e) => (touch.current = { x: e.touches[0]!.clientX, y: e.touches[0]!.clientY })} onTouchEnd={onTouchEnd}>
        <canvas
          ref={canvas}
          width={px * dpr}
          height={px * dpr}
          style={{ width: px, height: px }}
          role="img"
          aria-label={`Snake board, score ${game.score}`}
        />
        {phase !== 'playing' && (
          <div className="overlay" role="dialog" aria-label={phase === 'over' ? 'Game over' : 'Snake'}>
            {phase === 'over' && <p className="title">Game over · {game.score}</p>}
            {phase === 'paused' && <p className="title">Paused</p>}
            {phase === 'ready' && <p className="title">Snake</p>}
            {saveError && <p className="error">{saveError}</p>}
            <button className="primary" autoFocus onClick={() => (phase === 'paused' ? setPhase('playing') : start())}>
              {phase === 'paused' ? 'Resume' : 'Play'}
            </button>
            <p className="hint">Arrows or WASD to steer · Space to pause · swipe on touch screens</p>
            <section className="scores" aria-label="Best scores">
              <h2>Best scores</h2>
              {best.error ? (
                <p className="hint">Scores are unavailable: {best.error.message}</p>
              ) : best.rows.length === 0 ? (
                <p className="hint">No scores yet. Eat something!</p>
              ) : (
                <ol>
                  {best.rows.map((s) => (
                    <li key={s.id}>
                      <strong>{s.score}</strong> <span className="hint">{new Date(s.created_at).toLocaleDateString()}</span>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </div>
        )}
      </div>
      <div className="pad" aria-hidden="true">
        {(['up', 'left', 'down', 'right'] as const).map((d) => (
          <button key={d} tabIndex={-1} className={d} onClick={() => steer(d)}>
            {{ up: '▲', down: '▼', left: '◀', right: '▶' }[d]}
          </button>
        ))}
      </div>
    </main>
  );
}
