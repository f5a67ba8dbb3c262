import type { AccessTokenClaims } from "@rush/contracts";
import { HttpProblem } from "@rush/service";

/** Organizers manage only what they own; admins manage everything. */
export function assertCanManage(principal: AccessTokenClaims, ownerId: string, what: string): void {
  if (principal.roles.includes("admin") || principal.sub === ownerId) return;
  throw new HttpProblem(403, "not_owner", "Forbidden", `this ${what} belongs to another organizer`);
}

export const notFound = (what: string, id: string) => new HttpProblem(404, `${what}_not_found`, "Not Found", `no ${what} ${id}`);
