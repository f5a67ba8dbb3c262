import { type ScaleLimits, type Viewport, panBy, zoomAt } from "./viewport.ts";

/** What the pointer gestures need from the map they steer. */
export interface GestureHost {
  view(): Viewport;
  setView(view: Viewport): void;
  limits(): ScaleLimits;
  /** The seat under a client point, or -1. */
  seatAt(clientX: number, clientY: number): number;
  /** A press that did not move: a click (or tap) on `seat`. */
  onTap(seat: number): void;
  /** The pointer hovers `seat` (-1: none) at canvas position (x, y); returns the cursor to show. */
  onHover(seat: number, x: number, y: number): string;
}

/** Pointer travel (px) below which a press counts as a click, not a drag. */
const CLICK_SLOP = 5;

type Point = { x: number; y: number };

/**
 * Mouse, pen and touch on the seat map: drag to pan, wheel / double click / pinch to zoom
 * around the pointer, click or tap to pick. Returns the function that removes the listeners.
 */
export function attachGestures(canvas: HTMLCanvasElement, host: GestureHost): () => void {
  const pointers = new Map<number, Point>();
  let press: (Point & { moved: boolean }) | null = null;
  let pinch: { distance: number } | null = null;
  const local = (clientX: number, clientY: number) => {
    const rect = canvas.getBoundingClientRect();
    return { x: clientX - rect.left, y: clientY - rect.top };
  };
  const pair = () => [...pointers.values()] as [Point, Point];

  const down = (event: PointerEvent) => {
    canvas.setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.size === 1) press = { x: event.clientX, y: event.clientY, moved: false };
    if (pointers.size === 2) {
      const [a, b] = pair();
      pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) };
      if (press) press.moved = true;
    }
  };

  const move = (event: PointerEvent) => {
    const last = pointers.get(event.pointerId);
    if (!last) {
      const p = local(event.clientX, event.clientY);
      canvas.style.cursor = host.onHover(host.seatAt(event.clientX, event.clientY), p.x, p.y);
      return;
    }
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pinch && pointers.size === 2) {
      const [a, b] = pair();
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      const mid = local((a.x + b.x) / 2, (a.y + b.y) / 2);
      host.setView(zoomAt(host.view(), distance / pinch.distance, mid.x, mid.y, host.limits()));
      pinch.distance = distance;
    } else if (pointers.size === 1 && press) {
      if (!press.moved && Math.hypot(event.clientX - press.x, event.clientY - press.y) > CLICK_SLOP) press.moved = true;
      if (press.moved) {
        host.setView(panBy(host.view(), event.clientX - last.x, event.clientY - last.y));
        canvas.style.cursor = "grabbing";
      }
    }
  };

  const up = (event: PointerEvent) => {
    pointers.delete(event.pointerId);
    if (pointers.size < 2) pinch = null;
    const ended = press;
    if (pointers.size === 0) press = null;
    if (event.type === "pointerup" && ended && !ended.moved && pointers.size === 0) {
      const seat = host.seatAt(event.clientX, event.clientY);
      if (seat >= 0) host.onTap(seat);
    }
  };

  const leave = () => {
    if (pointers.size === 0) host.onHover(-1, 0, 0);
  };

  const wheel = (event: WheelEvent) => {
    event.preventDefault();
    const p = local(event.clientX, event.clientY);
    const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    host.setView(zoomAt(host.view(), Math.exp(-delta * 0.0015), p.x, p.y, host.limits()));
  };

  const doubleClick = (event: MouseEvent) => {
    const p = local(event.clientX, event.clientY);
    host.setView(zoomAt(host.view(), 2, p.x, p.y, host.limits()));
  };

  const listeners: [string, EventListener, AddEventListenerOptions?][] = [
    ["pointerdown", down as EventListener],
    ["pointermove", move as EventListener],
    ["pointerup", up as EventListener],
    ["pointercancel", up as EventListener],
    ["pointerleave", leave],
    ["wheel", wheel as EventListener, { passive: false }],
    ["dblclick", doubleClick as EventListener],
  ];
  for (const [type, listener, options] of listeners) canvas.addEventListener(type, listener, options);
  return () => {
    for (const [type, listener] of listeners) canvas.removeEventListener(type, listener);
  };
}
