import { describe, expect, it } from "vitest";
import { CANVAS_BACKGROUND, CATEGORY_COLOURS, CATEGORY_SHAPES, OUTLINE, STATUS_STYLE, contrast, seatStyle } from "./palette.ts";
import { STATUS } from "./seat-state.ts";

describe("palette", () => {
  it("palette: every status other than available has its own mark, so colour is never the only cue", () => {
    const marks = [STATUS.held, STATUS.sold, STATUS.mine].map((s) => seatStyle(s, 0).mark);
    expect(new Set(marks).size).toBe(3);
    expect(marks).not.toContain("none");
    expect(seatStyle(STATUS.available, 0).mark).toBe("none");
  });

  it("palette: held, sold and yours differ in lightness (readable in greyscale), and marks stand out on their fill", () => {
    const fills = [STATUS_STYLE.held.fill, STATUS_STYLE.sold.fill, STATUS_STYLE.mine.fill];
    for (let a = 0; a < fills.length; a++) for (let b = a + 1; b < fills.length; b++) expect(contrast(fills[a]!, fills[b]!)).toBeGreaterThan(2);
    for (const style of [STATUS_STYLE.held, STATUS_STYLE.sold, STATUS_STYLE.mine]) expect(contrast(style.fill, style.markColour)).toBeGreaterThanOrEqual(3);
  });

  it("palette: held, sold and yours stand 3:1 off the canvas; price colours get an outline that does", () => {
    for (const style of [STATUS_STYLE.held, STATUS_STYLE.sold, STATUS_STYLE.mine]) expect(contrast(style.fill, CANVAS_BACKGROUND)).toBeGreaterThanOrEqual(3);
    expect(contrast(OUTLINE, CANVAS_BACKGROUND)).toBeGreaterThanOrEqual(3);
    for (let c = 0; c < CATEGORY_COLOURS.length; c++) expect(seatStyle(STATUS.available, c).stroke).toBe(OUTLINE);
  });

  it("palette: categories take the Okabe–Ito colours and a shape each; neighbours never share both", () => {
    expect(CATEGORY_COLOURS[0]).toBe("#E69F00");
    for (let c = 0; c < 12; c++) {
      const [a, b] = [seatStyle(STATUS.available, c), seatStyle(STATUS.available, c + 1)];
      expect(a.fill !== b.fill || a.shape !== b.shape).toBe(true);
    }
    expect(new Set(CATEGORY_SHAPES).size).toBe(CATEGORY_SHAPES.length);
  });
});
