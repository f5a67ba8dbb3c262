import type { PriceCategory } from "@rush/contracts";
import { formatMoney } from "../format/money.ts";
import { type SeatMark, type SeatShape, STATUS_STYLE, categoryColour, categoryShape } from "./palette.ts";

/** One seat symbol as SVG, drawn like the canvas draws it (same shapes, fills and marks). */
export function SeatSymbol(props: { shape: SeatShape; fill: string; stroke: string; mark: SeatMark; markColour: string; ring?: boolean }) {
  const { shape, fill, stroke, mark, markColour } = props;
  const body =
    shape === "circle" ? (
      <circle cx="12" cy="12" r="7" />
    ) : shape === "square" ? (
      <rect x="5.7" y="5.7" width="12.6" height="12.6" />
    ) : shape === "diamond" ? (
      <polygon points="12,4 20,12 12,20 4,12" />
    ) : (
      <polygon points="12,4.3 19.7,17.9 4.3,17.9" />
    );
  const m = 3.9;
  const markPath =
    mark === "slash"
      ? `M${12 - m} ${12 + m}L${12 + m} ${12 - m}`
      : mark === "cross"
        ? `M${12 - m} ${12 - m}L${12 + m} ${12 + m}M${12 - m} ${12 + m}L${12 + m} ${12 - m}`
        : mark === "check"
          ? `M${12 - m} 12L${12 - m * 0.25} ${12 + m * 0.7}L${12 + m} ${12 - m * 0.65}`
          : "";
  return (
    <svg class="seat-symbol" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <g fill={fill} stroke={stroke} stroke-width="1">
        {body}
      </g>
      {markPath && <path d={markPath} fill="none" stroke={markColour} stroke-width="1.8" stroke-linecap="round" />}
      {props.ring && <circle cx="12" cy="12" r="10" fill="none" stroke="#111" stroke-width="2" />}
    </svg>
  );
}

/** Price categories (colour + shape) and statuses (grey level + mark), so no meaning rests on colour alone. */
export function Legend(props: { categories: readonly PriceCategory[] }) {
  return (
    <section class="legend" aria-label="Legend">
      <h3 class="legend-title">Prices</h3>
      <ul class="legend-list">
        {props.categories.map((c, i) => (
          <li key={c.id}>
            <SeatSymbol shape={categoryShape(i)} fill={categoryColour(i)} stroke="#1F1F1F" mark="none" markColour="#000" />
            <span>
              {c.name} <strong>{formatMoney(c.price)}</strong> <span class="muted">({categoryShape(i)})</span>
            </span>
          </li>
        ))}
      </ul>
      <h3 class="legend-title">Seats</h3>
      <ul class="legend-list">
        <li>
          <SeatSymbol shape="circle" fill={categoryColour(0)} stroke="#1F1F1F" mark="none" markColour="#000" ring />
          <span>Picked by you (ring)</span>
        </li>
        <li>
          <SeatSymbol shape="circle" {...STATUS_STYLE.mine} />
          <span>Held by you (check mark)</span>
        </li>
        <li>
          <SeatSymbol shape="circle" {...STATUS_STYLE.held} />
          <span>Held by someone else (slash)</span>
        </li>
        <li>
          <SeatSymbol shape="circle" {...STATUS_STYLE.sold} />
          <span>Sold (cross)</span>
        </li>
      </ul>
    </section>
  );
}
