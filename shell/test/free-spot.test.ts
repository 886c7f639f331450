import { describe, expect, it } from 'vitest';
import { findFreeSpot, union, type Rect } from '../src/canvas/free-spot.ts';

const view: Rect = { x: 0, y: 0, w: 1600, h: 900 };
const size = { w: 400, h: 300 };
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('where a new canvas window goes', () => {
  it('in the middle of the view when it is free', () => {
    expect(findFreeSpot([], size, view)).toEqual({ x: 600, y: 300, inView: true });
  });

  it('beside the windows already there, inside the view, covering none of them', () => {
    const taken: Rect[] = [{ x: 500, y: 250, w: 600, h: 400 }];
    const at = findFreeSpot(taken, size, view);
    expect(at.inView).toBe(true);
    const placed = { x: at.x, y: at.y, ...size };
    expect(overlap(placed, taken[0]!)).toBe(false);
    expect(placed.x >= 0 && placed.y >= 0 && placed.x + placed.w <= 1600 && placed.y + placed.h <= 900).toBe(true);
    // Several in a row each find their own place.
    const more = [...taken, placed];
    const spot = findFreeSpot(more, size, view);
    const next = { x: spot.x, y: spot.y, ...size };
    expect(more.some((t) => overlap(next, t))).toBe(false);
  });

  it('just beyond the view when the view has no room, for the caller to bring into view', () => {
    const crowded: Rect[] = [{ x: 100, y: 100, w: 1400, h: 700 }];
    const spot = findFreeSpot(crowded, size, view);
    expect(spot.inView).toBe(false);
    const placed = { x: spot.x, y: spot.y, ...size };
    expect(overlap(placed, crowded[0]!)).toBe(false);
    // Near the view, not somewhere far off: zooming out to both keeps things legible.
    const both = union(view, placed);
    expect(both.w * both.h).toBeLessThan(view.w * view.h * 2);
  });

  it('cascades from the middle when nothing near the view is free, so successive windows do not stack exactly', () => {
    const full: Rect[] = [{ x: -2000, y: -1000, w: 6000, h: 3000 }];
    expect(findFreeSpot(full, size, view, 0)).toEqual({ x: 600, y: 300, inView: true });
    expect(findFreeSpot(full, size, view, 1)).toEqual({ x: 628, y: 328, inView: true });
  });
});
