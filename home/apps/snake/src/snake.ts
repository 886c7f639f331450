export type Cell = { x: number; y: number };
export type Direction = 'up' | 'down' | 'left' | 'right';

export interface Game {
  size: number;
  /** Head first. */
  snake: Cell[];
  dir: Direction;
  /** Turns asked for since the last step, applied one per step so quick double turns work. */
  queue: Direction[];
  food: Cell;
  score: number;
  over: boolean;
}

const DELTA: Record<Direction, Cell> = { up: { x: 0, y: -1 }, down: { x: 0, y: 1 }, left: { x: -1, y: 0 }, right: { x: 1, y: 0 } };
const OPPOSITE: Record<Direction, Direction> = { up: 'down', down: 'up', left: 'right', right: 'left' };

const same = (a: Cell, b: Cell) => a.x === b.x && a.y === b.y;

/** A free cell for the next piece of food, or null when the snake fills the board. */
export function placeFood(size: number, snake: Cell[], random: () => number): Cell | null {
  const free: Cell[] = [];
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (!snake.some((c) => c.x === x && c.y === y)) free.push({ x, y });
  return free.length ? free[Math.floor(random() * free.length)]! : null;
}

/** A new game: a three-cell snake in the middle heading right. */
export function newGame(size: number, random: () => number = Math.random): Game {
  const mid = Math.floor(size / 2);
  const snake = [{ x: mid, y: mid }, { x: mid - 1, y: mid }, { x: mid - 2, y: mid }];
  return { size, snake, dir: 'right', queue: [], food: placeFood(size, snake, random)!, score: 0, over: false };
}

/** Queues a turn; reversing onto itself or repeating the current direction is ignored. */
export function turn(g: Game, dir: Direction): Game {
  const last = g.queue[g.queue.length - 1] ?? g.dir;
  if (dir === last || dir === OPPOSITE[last] || g.queue.length >= 3) return g;
  return { ...g, queue: [...g.queue, dir] };
}

/** One tick: move, eat, grow, or end the game on a wall or the snake's own body. */
export function step(g: Game, random: () => number = Math.random): Game {
  if (g.over) return g;
  const [dir = g.dir, ...queue] = g.queue;
  const head = g.snake[0]!;
  const next = { x: head.x + DELTA[dir].x, y: head.y + DELTA[dir].y };
  const eats = same(next, g.food);
  const body = eats ? g.snake : g.snake.slice(0, -1);
  if (next.x < 0 || next.y < 0 || next.x >= g.size || next.y >= g.size || body.some((c) => same(c, next))) {
    return { ...g, dir, queue, over: true };
  }
  const snake = [next, ...body];
  if (!eats) return { ...g, snake, dir, queue };
  const food = placeFood(g.size, snake, random);
  return { ...g, snake, dir, queue, score: g.score + 10, food: food ?? g.food, over: food === null };
}

/** Milliseconds per step: faster as the snake grows, never below 60. */
export const speedFor = (score: number) => Math.max(60, 150 - score / 2);
