import type { PriceCategory } from "@rush/contracts";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { SeatMapController } from "./controller.ts";
import { categoryOfSeat, describeSeat } from "./describe.ts";
import { formatMoney } from "../format/money.ts";
import { areaCountWords, areaCounts, areaFill } from "./overview.ts";
import type { SeatLayout } from "./layout.ts";
import { type SeatStatuses, statusName } from "./seat-state.ts";

export interface SeatMapProps {
  layout: SeatLayout;
  statuses: SeatStatuses;
  categories: readonly PriceCategory[];
  /** What the map is of, for its accessible name. */
  title: string;
  selected: ReadonlySet<number>;
  /** Bumped by the owner whenever statuses change, so the map redraws and re-announces. */
  revision: number;
  onPick(seat: number): void;
  onReady?(controller: SeatMapController): void;
}

/** A read-only handle for tests and debugging: `window.__rush.seatMap`. */
export interface SeatMapDebug {
  status(seatId: string): string | undefined;
  pagePoint(seatId: string): { x: number; y: number } | null;
  focused(): string | undefined;
  lastDrawMs(): number;
  /** A seat's drawn radius in CSS pixels at the current zoom. */
  seatRadiusPx(): number;
  /** Whether the map shows areas (whole venue) rather than seats. */
  overview(): boolean;
  /** The middle of an area on screen, in page coordinates. */
  areaPoint(areaId: string): { x: number; y: number } | null;
  /** How the whole-venue view paints an area now: its fill and whether it reads as sold out. */
  areaLook(areaId: string): { fill: string; soldOut: boolean } | null;
  seatCount: number;
}

declare global {
  interface Window {
    __rush?: { seatMap?: SeatMapDebug };
  }
}

/** The seat map: a canvas drawn by {@link SeatMapController}, with controls, a tooltip and a live region. */
export function SeatMap(props: SeatMapProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<SeatMapController | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const [focus, setFocus] = useState(-1);
  const [hover, setHover] = useState<{ seat: number; x: number; y: number }>({ seat: -1, x: 0, y: 0 });

  // A layout effect: the first frame is drawn in the same task as the render that made the canvas,
  // not after the next animation frame (which a busy or throttled page can hold back a long time).
  useLayoutEffect(() => {
    const controller = new SeatMapController(props.layout, props.statuses, {
      onPick: (seat) => propsRef.current.onPick(seat),
      onFocus: setFocus,
      onHover: (seat, x, y) => setHover({ seat, x, y }),
    });
    controller.attach(canvasRef.current!, stageRef.current!);
    controllerRef.current = controller;
    propsRef.current.onReady?.(controller);
    const { layout, statuses } = props;
    window.__rush = {
      ...window.__rush,
      seatMap: {
        status: (id) => {
          const i = layout.index.get(id);
          return i === undefined ? undefined : statusName(statuses, i);
        },
        pagePoint: (id) => controller.pagePointOf(layout.index.get(id) ?? -1),
        focused: () => layout.ids[controller.focusedSeat],
        lastDrawMs: () => controller.lastDrawMs,
        seatRadiusPx: () => controller.seatRadiusPx(),
        overview: () => controller.isOverview(),
        areaPoint: (id) => controller.areaPagePoint(layout.areas.findIndex((a) => a.id === id)),
        areaLook: (id) => {
          const a = layout.areas.findIndex((area) => area.id === id);
          return a < 0 ? null : areaFill(layout.areas[a]!.category, areaCounts(layout, statuses)[a]!);
        },
        seatCount: layout.count,
      },
    };
    return () => {
      controller.detach();
      if (window.__rush) delete window.__rush.seatMap;
    };
  }, [props.layout, props.statuses]);

  useEffect(() => {
    controllerRef.current?.setSelected(props.selected);
  }, [props.selected]);

  useEffect(() => {
    controllerRef.current?.invalidate();
  }, [props.revision]);

  const { layout, statuses, categories } = props;
  const describe = (seat: number) => describeSeat(layout, statuses, categories, seat, props.selected.has(seat));
  /** At the whole-venue view the pointer is over an area: its name, price and what is left. */
  const describeArea = (seat: number) => {
    const a = controllerRef.current?.areaOf(seat) ?? 0;
    const area = layout.areas[a]!;
    const price = categoryOfSeat(layout, categories, seat);
    return `${area.name}${price ? ` · ${price.name} ${formatMoney(price.price)}` : ""} · ${areaCountWords(areaCounts(layout, statuses)[a]!)}. Zoom in to see the seats.`;
  };
  const announcement = focus >= 0 ? describe(focus) : "";
  // Handlers read controllerRef at click time: the controller is made in an effect after the first
  // render, so a value captured while rendering can be null or a detached predecessor.
  const controller = controllerRef.current;

  return (
    <div class="seatmap">
      <div class="seatmap-toolbar" role="toolbar" aria-label="Seat map view">
        <button type="button" class="icon-button" aria-label="Zoom in" onClick={() => controllerRef.current?.zoomBy(1.5)}>
          +
        </button>
        <button type="button" class="icon-button" aria-label="Zoom out" onClick={() => controllerRef.current?.zoomBy(1 / 1.5)}>
          −
        </button>
        <button type="button" class="text-button" onClick={() => controllerRef.current?.fit()}>
          Whole venue
        </button>
      </div>
      <div
        ref={stageRef}
        class="seatmap-stage"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a canvas widget driven by keys must take focus; role=application hands arrow keys to it rather than to the screen reader's own navigation.
        tabIndex={0}
        role="application"
        aria-roledescription="seat map"
        aria-label={`${props.title}: ${layout.count.toLocaleString("en")} seats`}
        aria-describedby="seatmap-help"
        data-testid="seat-map"
      >
        <canvas ref={canvasRef} class="seatmap-canvas" />
        {hover.seat >= 0 && (
          <div class="seat-tooltip" style={{ left: `${hover.x + 14}px`, top: `${hover.y + 14}px` }} aria-hidden="true">
            {controller?.isOverview() ? describeArea(hover.seat) : describe(hover.seat)}
          </div>
        )}
      </div>
      <p id="seatmap-help" class="hint">
        Drag to pan, scroll or pinch to zoom, click a seat to pick it. Keyboard: Tab to the map, arrow keys move along a row (← →)
        and between rows (↑ ↓), Home/End go to a row's ends, Page Up/Down to the previous or next area, Enter or Space picks, + and −
        zoom, 0 shows the whole venue.
      </p>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="seat-announcement">
        {announcement}
      </div>
    </div>
  );
}
