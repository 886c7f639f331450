/** Where a new window goes on the canvas: pure geometry, apart from the view it is given. */

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

// Room left between a new window and its neighbours, and the finest grid the search walks (canvas units).
const GAP = 16;
const STEP = 40;
// A large area is searched on a coarser grid, so the search stays at most this many rings.
const MAX_RINGS = 20;

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w + GAP && b.x < a.x + a.w + GAP && a.y < b.y + b.h + GAP && b.y < a.y + a.h + GAP;
const inside = (r: Rect, area: Rect) => r.x >= area.x && r.y >= area.y && r.x + r.w <= area.x + area.w && r.y + r.h <= area.y + area.h;

/** The free place inside `area` nearest to (`x`, `y`), walking square rings of a grid outwards. */
function nearestFree(taken: Rect[], size: { w: number; h: number }, x: number, y: number, area: Rect): { x: number; y: number } | null {
  const step = Math.max(STEP, Math.max(area.w, area.h) / 2 / MAX_RINGS);
  const rings = Math.ceil(Math.max(area.w, area.h) / 2 / step);
  for (let ring = 0; ring <= rings; ring++) {
    // The ring's cells, nearest the middle first.
    const cells: { dx: number; dy: number }[] = [];
    for (let i = -ring; i <= ring; i++)
      for (let j = -ring; j <= ring; j++) if (Math.max(Math.abs(i), Math.abs(j)) === ring) cells.push({ dx: i * step, dy: j * step });
    cells.sort((a, b) => Math.hypot(a.dx, a.dy) - Math.hypot(b.dx, b.dy));
    for (const { dx, dy } of cells) {
      const r = { x: Math.round(x + dx), y: Math.round(y + dy), ...size };
      if (inside(r, area) && !taken.some((t) => overlaps(r, t))) return { x: r.x, y: r.y };
    }
  }
  return null;
}

/**
 * The place for a `w`×`h` window that covers none of `taken`, nearest the middle of `view` (the
 * visible part of the canvas): inside the view when it has room (`inView`), otherwise just beyond
 * it (the caller then brings it into view). With no room anywhere near, the middle of the view
 * shifted by `cascade` steps, so windows opened one after another stay apart.
 */
export function findFreeSpot(taken: Rect[], size: { w: number; h: number }, view: Rect, cascade = 0): { x: number; y: number; inView: boolean } {
  const cx = view.x + view.w / 2 - size.w / 2;
  const cy = view.y + view.h / 2 - size.h / 2;
  const visible = nearestFree(taken, size, cx, cy, view);
  if (visible) return { ...visible, inView: true };
  const around = nearestFree(taken, size, cx, cy, { x: view.x - view.w, y: view.y - view.h, w: view.w * 3, h: view.h * 3 });
  if (around) return { ...around, inView: false };
  const shift = (cascade % 6) * 28;
  return { x: Math.round(cx + shift), y: Math.round(cy + shift), inView: true };
}

/** The smallest rectangle holding both. */
export function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}
