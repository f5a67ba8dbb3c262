import type { CreateSessionRequest, SeatMapInput } from "@rush/contracts";

/** One area as the organizer types it: rows × seats. */
export interface AreaDraft {
  id: string;
  name: string;
  rowCount: number;
  seatsPerRow: number;
}

export interface CategoryDraft {
  name: string;
  amount: string;
  areaIds: string[];
}

/** Gap between areas laid side by side, in seats. */
const GAP = 4;

/**
 * The seat map for `POST /v1/venues`: each area expanded by the catalog from rows × seats, laid
 * out left to right in a line (centred on the tallest), so every client draws the same venue.
 */
export function seatMapOf(areas: readonly AreaDraft[]): SeatMapInput {
  const tallest = Math.max(...areas.map((a) => a.rowCount), 0);
  let x = 0;
  return {
    areas: areas.map((a) => {
      const layout = { x, y: (tallest - a.rowCount) / 2, rotation: 0, seatSpacing: 1, rowSpacing: 1 };
      x += a.seatsPerRow + GAP;
      return { id: a.id, name: a.name, rowCount: a.rowCount, seatsPerRow: a.seatsPerRow, layout };
    }),
  };
}

export const capacityOf = (areas: readonly AreaDraft[]) => areas.reduce((n, a) => n + a.rowCount * a.seatsPerRow, 0);

/** Problems the catalog would also refuse, said before the round trip. */
export function areaProblems(areas: readonly AreaDraft[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const a of areas) {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(a.id)) problems.push(`Area id “${a.id}”: letters, digits and _ only (no spaces or dashes).`);
    if (ids.has(a.id)) problems.push(`Area id “${a.id}” is used twice.`);
    ids.add(a.id);
    if (!a.name.trim()) problems.push(`Area ${a.id} needs a name.`);
    if (!(a.rowCount >= 1 && a.rowCount <= 2000)) problems.push(`Area ${a.id}: 1 to 2,000 rows.`);
    if (!(a.seatsPerRow >= 1 && a.seatsPerRow <= 2000)) problems.push(`Area ${a.id}: 1 to 2,000 seats per row.`);
  }
  if (areas.length === 0) problems.push("Add at least one area.");
  if (capacityOf(areas) > 100_000) problems.push("A venue has at most 100,000 seats.");
  return problems;
}

/** A `datetime-local` value ("2030-06-01T19:30") in the browser's zone → ISO instant. */
export const isoOf = (local: string): string => new Date(local).toISOString();

/** An instant → the `datetime-local` value showing it in the browser's zone. */
export function localOf(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Normalises "45", "45.5", "45,50" to the API's decimal string ("45.00"); undefined if not a price. */
export function priceOf(text: string): string | undefined {
  const t = text.trim().replace(",", ".");
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(t)) return undefined;
  const [whole, fraction = ""] = t.split(".");
  return `${Number(whole)}.${fraction.padEnd(2, "0")}`;
}

export interface SessionDraft {
  startsAt: string;
  endsAt: string;
  saleStartsAt: string;
  saleEndsAt: string;
  currency: string;
  categories: CategoryDraft[];
  holdTtlSeconds: number;
  maxSeatsPerHold: number;
  waitingRoom: boolean;
  admitPerSecond: number;
}

/** The body of `POST /v1/events/:id/sessions`, or the reasons it cannot be built. */
export function sessionBodyOf(draft: SessionDraft): { ok: true; body: CreateSessionRequest } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const categories = draft.categories.map((c) => {
    const amount = priceOf(c.amount);
    if (!c.name.trim()) problems.push("Every price category needs a name.");
    if (amount === undefined) problems.push(`Price of ${c.name || "a category"}: a number such as 45 or 45.50.`);
    if (c.areaIds.length === 0) problems.push(`${c.name || "A category"} has no areas.`);
    return { name: c.name.trim(), areaIds: c.areaIds, price: { amount: amount ?? "0.00", currency: draft.currency } };
  });
  if (categories.length === 0) problems.push("Add at least one price category.");
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    body: {
      startsAt: isoOf(draft.startsAt),
      endsAt: isoOf(draft.endsAt),
      saleStartsAt: isoOf(draft.saleStartsAt),
      saleEndsAt: isoOf(draft.saleEndsAt),
      priceCategories: categories,
      holdTtlSeconds: draft.holdTtlSeconds,
      maxSeatsPerHold: draft.maxSeatsPerHold,
      ...(draft.waitingRoom ? { waitingRoom: { enabled: true, admitPerSecond: draft.admitPerSecond } } : {}),
    },
  };
}
