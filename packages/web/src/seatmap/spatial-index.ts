import type { SeatLayout } from "./layout.ts";

/** Finds the seat under a point without walking every seat: a uniform grid of buckets. */
export interface SpatialIndex {
  /** The seat nearest to (x, y) within `radius` venue units, or -1. */
  nearest(x: number, y: number, radius: number): number;
}

/** Most cells along one side: sparse, far-flung coordinates get coarser cells, not a huge grid. */
const MAX_CELLS_PER_SIDE = 512;

export function buildSpatialIndex(layout: SeatLayout): SpatialIndex {
  const { bounds, x, y, count } = layout;
  const width = bounds.maxX - bounds.minX;
  const height = bounds.maxY - bounds.minY;
  const cell = Math.max(layout.pitch * 2, width / MAX_CELLS_PER_SIDE, height / MAX_CELLS_PER_SIDE, 1e-6);
  const cols = Math.floor(width / cell) + 1;
  const rows = Math.floor(height / cell) + 1;
  const cellOf = (px: number, py: number) => {
    const c = Math.min(cols - 1, Math.max(0, Math.floor((px - bounds.minX) / cell)));
    const r = Math.min(rows - 1, Math.max(0, Math.floor((py - bounds.minY) / cell)));
    return r * cols + c;
  };
  // Counting sort of seats by cell: `starts[c]..starts[c+1]` are cell c's entries in `items`.
  const starts = new Uint32Array(cols * rows + 1);
  const cells = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    cells[i] = cellOf(x[i]!, y[i]!);
    starts[cells[i]! + 1]!++;
  }
  for (let c = 0; c < cols * rows; c++) starts[c + 1]! += starts[c]!;
  const fill = starts.slice(0, cols * rows);
  const items = new Uint32Array(count);
  for (let i = 0; i < count; i++) items[fill[cells[i]!]!++] = i;

  return {
    nearest(px, py, radius) {
      const c0 = Math.floor((px - radius - bounds.minX) / cell);
      const c1 = Math.floor((px + radius - bounds.minX) / cell);
      const r0 = Math.floor((py - radius - bounds.minY) / cell);
      const r1 = Math.floor((py + radius - bounds.minY) / cell);
      let best = -1;
      let bestDistance = radius * radius;
      for (let r = Math.max(0, r0); r <= Math.min(rows - 1, r1); r++) {
        for (let c = Math.max(0, c0); c <= Math.min(cols - 1, c1); c++) {
          const cellIndex = r * cols + c;
          for (let k = starts[cellIndex]!; k < starts[cellIndex + 1]!; k++) {
            const i = items[k]!;
            const d = (x[i]! - px) ** 2 + (y[i]! - py) ** 2;
            if (d <= bestDistance) {
              bestDistance = d;
              best = i;
            }
          }
        }
      }
      return best;
    },
  };
}
