import { HttpProblem } from "@rush/service";
import type { z } from "zod";

/** An opaque page cursor: the sort key of the last item, base64url JSON. */
export const encodeCursor = (key: unknown): string => Buffer.from(JSON.stringify(key)).toString("base64url");

/** Reads a cursor back; a cursor we did not write is the caller's mistake (400). */
export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HttpProblem(400, "invalid_cursor", "Bad Request", "the cursor is not one this API gave out");
  return parsed.data;
}
