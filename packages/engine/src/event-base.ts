import type { SeatCommand } from "@rush/contracts";

/** The fields every event copies from the command that caused it. */
export function eventBase(command: SeatCommand): { commandId: string; sessionId: string; areaId: string; at: number } {
  return { commandId: command.commandId, sessionId: command.sessionId, areaId: command.areaId, at: command.now };
}

/** The ids in `ids` that occur more than once, each listed once; empty if all are distinct. */
export function repeatedIds(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) repeated.add(id);
    seen.add(id);
  }
  return [...repeated];
}
