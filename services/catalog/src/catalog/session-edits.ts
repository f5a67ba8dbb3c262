import type { SessionView, UpdateSessionRequest } from "@rush/contracts";

/** Why a session can no longer be edited (`null`: it can), in words an organizer reads. */
export function editRefusal(session: Pick<SessionView, "status" | "saleStartsAt">, now: number): { code: string; detail: string } | null {
  switch (session.status) {
    case "draft":
      return null;
    case "publishing":
      return { code: "session_publishing", detail: "the session is being published; try again in a moment" };
    case "closed":
      return { code: "session_closed", detail: "the session is closed" };
    case "cancelled":
      return { code: "session_cancelled", detail: "the session was cancelled" };
    case "on_sale":
      // Buyers may hold seats from the opening on: what they were shown must not change under them.
      return Date.parse(session.saleStartsAt) > now
        ? null
        : { code: "sale_opened", detail: `the sale opened at ${session.saleStartsAt}: dates and prices are fixed once buyers can hold seats` };
    default: {
      const unreachable: never = session.status;
      throw new Error(`unknown session status ${String(unreachable)}`);
    }
  }
}

type FieldError = { path: string; message: string };

/** The problems of applying `changes` to `session` (dates out of order, unknown categories, another currency). */
export function editProblems(session: Pick<SessionView, "startsAt" | "endsAt" | "saleStartsAt" | "saleEndsAt" | "priceCategories">, changes: UpdateSessionRequest): FieldError[] {
  const at = (key: "startsAt" | "endsAt" | "saleStartsAt" | "saleEndsAt") => Date.parse(changes[key] ?? session[key]);
  const errors: FieldError[] = [];
  if (at("endsAt") <= at("startsAt")) errors.push({ path: "body.endsAt", message: "must be after startsAt" });
  if (at("saleEndsAt") <= at("saleStartsAt")) errors.push({ path: "body.saleEndsAt", message: "must be after saleStartsAt" });
  if (at("saleEndsAt") > at("endsAt")) errors.push({ path: "body.saleEndsAt", message: "must not be after endsAt" });
  const categories = new Map(session.priceCategories.map((c) => [c.id, c]));
  const seen = new Set<string>();
  (changes.prices ?? []).forEach((p, i) => {
    const category = categories.get(p.priceCategoryId);
    if (!category) errors.push({ path: `body.prices.${i}.priceCategoryId`, message: "not a price category of this session" });
    else if (category.price.currency !== p.price.currency) {
      errors.push({ path: `body.prices.${i}.price.currency`, message: `the session sells in ${category.price.currency}` });
    }
    if (seen.has(p.priceCategoryId)) errors.push({ path: `body.prices.${i}.priceCategoryId`, message: "named twice" });
    seen.add(p.priceCategoryId);
  });
  return errors;
}
