import type { SeatLayout } from "./layout.ts";
import { attachGestures } from "./gestures.ts";
import { MOVE_KEYS, moveFocus } from "./navigation.ts";
import { OVERVIEW_RADIUS } from "./overview.ts";
import { createRenderer, seatRadius } from "./renderer.ts";
import { STATUS, type SeatStatuses } from "./seat-state.ts";
import { type SpatialIndex, buildSpatialIndex } from "./spatial-index.ts";
import { type Viewport, fitBounds, keepVisible, panBy, scaleLimits, screenToWorld, worldToScreen, zoomAt } from "./viewport.ts";

export interface ControllerEvents {
  /** A seat was clicked or chosen with Enter/Space. */
  onPick(seat: number): void;
  /** The keyboard focus moved to a seat (-1: none). */
  onFocus(seat: number): void;
  /** The pointer is over a seat (-1: none), at canvas position (x, y). */
  onHover(seat: number, x: number, y: number): void;
}

/** Room (px) around the whole venue for row labels and area names. */
const FIT_PADDING = 44;
/** Seat radius (px) the keyboard zooms to when the focused seat is too small to see. */
const KEYBOARD_SEAT_PX = 7;

/**
 * The imperative half of the seat map: owns the canvas, the viewport and the keyboard (pointer
 * gestures are in `gestures.ts`), and redraws at most once per animation frame. Preact only mounts it, so
 * panning 20,000 seats never goes through a virtual DOM.
 */
export class SeatMapController {
  readonly layout: SeatLayout;
  readonly statuses: SeatStatuses;
  /** Built after the first frame (or on the first pointer use before that): see {@link index}. */
  private spatial: SpatialIndex | null = null;
  private readonly renderer = createRenderer();
  private readonly events: ControllerEvents;
  private canvas: HTMLCanvasElement | null = null;
  private keyTarget: HTMLElement | null = null;
  private observer: ResizeObserver | null = null;
  private view: Viewport = { scale: 1, x: 0, y: 0 };
  private fitted = false;
  private width = 0;
  private height = 0;
  private frame = 0;
  private selected: ReadonlySet<number> = new Set();
  private focus = -1;
  private detachGestures: (() => void) | null = null;
  /** Time the last frame took to draw, in ms (shown to tests and the curious). */
  lastDrawMs = 0;

  constructor(layout: SeatLayout, statuses: SeatStatuses, events: ControllerEvents) {
    this.layout = layout;
    this.statuses = statuses;
    this.events = events;
  }

  /**
   * Hit testing's grid, built once when first needed: the first frame does not need it, and on a
   * slow phone building it for 20,000 seats would hold that frame back (issue 14's cold start).
   */
  private get index(): SpatialIndex {
    if (!this.spatial) {
      this.spatial = buildSpatialIndex(this.layout);
      performance.mark("rush:index-built");
    }
    return this.spatial;
  }

  /** Draws into `canvas`; keys are read from `keyTarget` (the focusable element around it). */
  attach(canvas: HTMLCanvasElement, keyTarget: HTMLElement): void {
    this.canvas = canvas;
    this.keyTarget = keyTarget;
    this.detachGestures = attachGestures(canvas, {
      view: () => this.view,
      setView: (view) => {
        this.view = view;
        this.invalidate();
      },
      limits: () => this.limits(),
      seatAt: (x, y) => this.seatAt(x, y),
      onTap: (seat) => {
        this.focus = seat;
        this.events.onFocus(seat);
        this.events.onPick(seat);
        this.invalidate();
      },
      onHover: (seat, x, y) => {
        this.events.onHover(seat, x, y);
        return seat >= 0 && this.statuses.codes[seat] === STATUS.available ? "pointer" : "grab";
      },
    });
    keyTarget.addEventListener("keydown", this.onKeyDown);
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(canvas);
    this.resize();
  }

  detach(): void {
    const canvas = this.canvas;
    if (!canvas) return;
    this.detachGestures?.();
    this.detachGestures = null;
    this.keyTarget?.removeEventListener("keydown", this.onKeyDown);
    this.observer?.disconnect();
    cancelAnimationFrame(this.frame);
    this.canvas = null;
    this.keyTarget = null;
  }

  /** Something changed (statuses, selection): draw on the next frame. */
  invalidate(): void {
    if (this.frame || !this.canvas) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  setSelected(selected: ReadonlySet<number>): void {
    this.selected = selected;
    this.invalidate();
  }

  focusSeat(seat: number): void {
    this.focus = seat;
    if (seat >= 0) this.reveal(seat);
    this.events.onFocus(seat);
    this.invalidate();
  }

  get focusedSeat(): number {
    return this.focus;
  }

  /**
   * Zooms around the focused seat, else around the seat nearest the middle of the view: the
   * middle of a stadium is the empty pitch, and zooming into it would leave the map blank.
   */
  zoomBy(factor: number): void {
    const anchor = this.focus >= 0 ? this.focus : this.nearestSeatTo(this.width / 2, this.height / 2);
    const center = anchor >= 0 ? worldToScreen(this.view, this.layout.x[anchor]!, this.layout.y[anchor]!) : { x: this.width / 2, y: this.height / 2 };
    this.view = zoomAt(this.view, factor, center.x, center.y, this.limits());
    if (anchor >= 0) this.view = keepVisible(this.view, this.layout.x[anchor]!, this.layout.y[anchor]!, this.width, this.height, 48);
    this.invalidate();
  }

  /** The seat closest to a canvas point (one pass over the seats: fine for a button press). */
  private nearestSeatTo(sx: number, sy: number): number {
    const w = screenToWorld(this.view, sx, sy);
    let best = -1;
    let bestDistance = Infinity;
    for (let i = 0; i < this.layout.count; i++) {
      const d = (this.layout.x[i]! - w.x) ** 2 + (this.layout.y[i]! - w.y) ** 2;
      if (d < bestDistance) [best, bestDistance] = [i, d];
    }
    return best;
  }

  /** True while the map shows areas, not seats (the whole-venue view of a large venue). */
  isOverview(): boolean {
    return this.radius() < OVERVIEW_RADIUS;
  }

  /** The area a seat belongs to. */
  areaOf(seat: number): number {
    return this.layout.rows[this.layout.row[seat]!]!.area;
  }

  fit(): void {
    this.view = fitBounds(this.layout.bounds, this.width, this.height, FIT_PADDING);
    this.invalidate();
  }

  /** Shows a whole area (the "best seats" choice, a legend click). */
  showArea(area: number): void {
    const a = this.layout.areas[area];
    if (!a) return;
    const pad = this.layout.pitch * 2;
    const bounds = { minX: a.bounds.minX - pad, minY: a.bounds.minY - pad, maxX: a.bounds.maxX + pad, maxY: a.bounds.maxY + pad };
    const view = fitBounds(bounds, this.width, this.height, 32);
    this.view = { ...view, scale: Math.min(view.scale, this.limits().max) };
    this.invalidate();
  }

  /** Where a seat is on screen right now, in page coordinates (tests click here). */
  pagePointOf(seat: number): { x: number; y: number } | null {
    if (!this.canvas || seat < 0) return null;
    const rect = this.canvas.getBoundingClientRect();
    const p = worldToScreen(this.view, this.layout.x[seat]!, this.layout.y[seat]!);
    return { x: rect.left + p.x, y: rect.top + p.y };
  }

  /** The middle of an area on screen, in page coordinates. */
  areaPagePoint(area: number): { x: number; y: number } | null {
    const a = this.layout.areas[area];
    if (!this.canvas || !a) return null;
    const rect = this.canvas.getBoundingClientRect();
    const p = worldToScreen(this.view, a.center.x, a.center.y);
    return { x: rect.left + p.x, y: rect.top + p.y };
  }

  private limits() {
    return scaleLimits(fitBounds(this.layout.bounds, this.width, this.height, FIT_PADDING), this.layout.pitch);
  }

  private radius(): number {
    return seatRadius(this.layout.pitch, this.view.scale);
  }

  /** A seat's drawn radius in CSS pixels now. */
  seatRadiusPx(): number {
    return this.radius();
  }

  /**
   * Zooms in until the seat can be seen (around the seat, so its neighbourhood stays where the
   * eye left it), and pans it into view.
   */
  private reveal(seat: number): void {
    const x = this.layout.x[seat]!;
    const y = this.layout.y[seat]!;
    if (this.radius() < KEYBOARD_SEAT_PX * 0.6) {
      const target = KEYBOARD_SEAT_PX / seatRadius(this.layout.pitch, 1);
      const p = worldToScreen(this.view, x, y);
      this.view = zoomAt(this.view, target / this.view.scale, p.x, p.y, this.limits());
    }
    this.view = keepVisible(this.view, x, y, this.width, this.height, 48);
  }

  private resize(): void {
    const canvas = this.canvas;
    if (!canvas) return;
    const rect = canvas.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return;
    const dpr = window.devicePixelRatio || 1;
    if (this.fitted) {
      // Keep the centre where it was.
      this.view = panBy(this.view, (rect.width - this.width) / 2, (rect.height - this.height) / 2);
    }
    this.width = rect.width;
    this.height = rect.height;
    canvas.width = Math.round(rect.width * dpr);
    canvas.height = Math.round(rect.height * dpr);
    if (!this.fitted) {
      this.view = fitBounds(this.layout.bounds, this.width, this.height, FIT_PADDING);
      this.fitted = true;
    }
    this.draw();
  }

  private draw(): void {
    const canvas = this.canvas;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    const started = performance.now();
    this.renderer.draw(ctx, {
      layout: this.layout,
      statuses: this.statuses,
      view: this.view,
      selected: this.selected,
      focus: this.focus,
      width: this.width,
      height: this.height,
      dpr: window.devicePixelRatio || 1,
    });
    this.lastDrawMs = performance.now() - started;
    // When the map first shows (what the weight test reports as interactive: handlers are attached
    // before, and a pointer that comes before the hit-testing grid builds it on the spot).
    if (performance.getEntriesByName("rush:map-drawn").length === 0) performance.mark("rush:map-drawn");
    if (!this.spatial) whenIdle(() => this.canvas && this.index);
  }

  /** The seat under a client point: at least ~10 px of reach, so tiny seats are still easy to hit. */
  private seatAt(clientX: number, clientY: number): number {
    const rect = this.canvas!.getBoundingClientRect();
    const w = screenToWorld(this.view, clientX - rect.left, clientY - rect.top);
    const reach = Math.max(this.layout.pitch * 0.6, 10 / this.view.scale);
    return this.index.nearest(w.x, w.y, reach);
  }

  private onKeyDown = (event: KeyboardEvent) => {
    const move = MOVE_KEYS[event.key];
    if (move) {
      event.preventDefault();
      const start = this.focus >= 0 ? this.focus : this.firstAvailable();
      this.focusSeat(this.focus >= 0 ? moveFocus(this.layout, start, move) : start);
      return;
    }
    switch (event.key) {
      case "Enter":
      case " ":
        event.preventDefault();
        if (this.focus < 0) this.focusSeat(this.firstAvailable());
        else this.events.onPick(this.focus);
        return;
      case "+":
      case "=":
        event.preventDefault();
        this.zoomBy(1.5);
        return;
      case "-":
      case "_":
        event.preventDefault();
        this.zoomBy(1 / 1.5);
        return;
      case "0":
        event.preventDefault();
        this.fit();
        return;
      default:
        return;
    }
  };

  /** Where the keyboard starts: the first available seat, front row first (or the very first seat). */
  firstAvailable(): number {
    for (let i = 0; i < this.layout.count; i++) if (this.statuses.codes[i] === STATUS.available) return i;
    return this.layout.count > 0 ? 0 : -1;
  }
}

/** Runs `task` once the page has nothing more urgent to do (the first frame painted). */
function whenIdle(task: () => unknown): void {
  if (typeof requestIdleCallback === "function") requestIdleCallback(() => task(), { timeout: 1_000 });
  else setTimeout(task, 50);
}
