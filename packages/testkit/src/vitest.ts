import { inject } from "vitest";
import type {} from "./provided.ts";
import { type TestDatabase, freshDatabase } from "./postgres.ts";

/** A fresh database on the test cluster that the global setup started. */
export function testDatabase(prefix?: string): Promise<TestDatabase> {
  return freshDatabase(inject("pgAdminUrl"), prefix);
}
