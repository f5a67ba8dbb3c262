import { STATUS, type StatusCode } from "./seat-state.ts";

/**
 * Colour-blind-safe drawing rules. Price categories take the Okabe–Ito palette (distinct under
 * protanopia, deuteranopia and tritanopia) and, as a second cue, a shape each. Statuses other
 * than `available` are greys of clearly different lightness, each with its own mark:
 * held = a slash, sold = a cross, yours = a check mark; a seat you picked gets a thick ring
 * (and no mark of its own, so the legend's check mark means one thing).
 */
export const CATEGORY_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442"] as const;

/** The map's background (styles.css `.seatmap-canvas`). */
export const CANVAS_BACKGROUND = "#FBFBFC";

/** The edge drawn around every available seat and area: price colours alone are as faint as 1.3:1 on the canvas. */
export const OUTLINE = "#1F1F1F";

export type SeatShape = "circle" | "square" | "diamond" | "triangle";
export const CATEGORY_SHAPES: readonly SeatShape[] = ["circle", "square", "diamond", "triangle"];

/** What the shape of each category is called in the legend and in seat descriptions. */
export const SHAPE_NAMES: Record<SeatShape, string> = { circle: "circle", square: "square", diamond: "diamond", triangle: "triangle" };

export type SeatMark = "none" | "slash" | "cross" | "check";

export interface SeatStyle {
  fill: string;
  /** Outline colour, drawn when seats are big enough to see one. */
  stroke: string;
  mark: SeatMark;
  markColour: string;
  shape: SeatShape;
}

export const STATUS_STYLE = {
  none: { fill: "#EDEDED", stroke: "#D0D0D0", mark: "none", markColour: "#D0D0D0" },
  // Every status grey stands at least 3:1 off the canvas (WCAG non-text contrast) and its mark
  // 3:1 off its fill, so a held seat shows even where outlines are too small to draw.
  held: { fill: "#8F8F8F", stroke: "#5A5A5A", mark: "slash", markColour: "#FFFFFF" },
  sold: { fill: "#5A5A5A", stroke: "#3A3A3A", mark: "cross", markColour: "#FFFFFF" },
  mine: { fill: "#151515", stroke: "#000000", mark: "check", markColour: "#FFFFFF" },
} as const;

/** The colour of a price category (cycling if a session has more categories than colours). */
export const categoryColour = (category: number): string =>
  category < 0 ? STATUS_STYLE.none.fill : CATEGORY_COLOURS[category % CATEGORY_COLOURS.length]!;

export const categoryShape = (category: number): SeatShape =>
  category < 0 ? "square" : CATEGORY_SHAPES[category % CATEGORY_SHAPES.length]!;

/** How one seat is drawn, from its status and its area's price category. */
export function seatStyle(status: StatusCode, category: number): SeatStyle {
  const shape = categoryShape(category);
  switch (status) {
    case STATUS.available:
      return { fill: categoryColour(category), stroke: OUTLINE, mark: "none", markColour: OUTLINE, shape };
    case STATUS.held:
      return { ...STATUS_STYLE.held, shape };
    case STATUS.sold:
      return { ...STATUS_STYLE.sold, shape };
    case STATUS.mine:
      return { ...STATUS_STYLE.mine, shape };
    default:
      return { ...STATUS_STYLE.none, shape };
  }
}

/** Words for a status, as a screen reader and the legend say it. */
export const STATUS_WORDS: Record<StatusCode, string> = {
  [STATUS.none]: "not on sale",
  [STATUS.available]: "available",
  [STATUS.held]: "held by another buyer",
  [STATUS.sold]: "sold",
  [STATUS.mine]: "held by you",
};

/** Relative luminance (WCAG) of a `#RRGGBB` colour, for contrast checks. */
export function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
