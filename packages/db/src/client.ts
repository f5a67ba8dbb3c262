import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres, { type Sql } from "postgres";
import * as schema from "./schema/index.ts";

export type Database = PostgresJsDatabase<typeof schema>;

/** A pooled connection: the drizzle handle, the raw postgres.js client, and `close`. */
export interface Db {
  readonly db: Database;
  readonly sql: Sql;
  /** Lets running queries finish, then closes every connection. */
  close(): Promise<void>;
}

/**
 * Seconds before a pooled connection tries the server again after its last try failed. The
 * client's default grows to 10–20 s after six failures, and the count is shared by the pool and
 * reset only by a success: after a three-minute outage every service waited up to 20 s more
 * before its first query, while buyers' holds ran out. At most a second here (with jitter, so a
 * fleet does not reconnect in step): ten connections knocking once a second cost a down server nothing.
 */
export const reconnectDelaySeconds = (retries: number): number => Math.min(1, 0.05 * 2 ** retries) * (0.5 + Math.random() / 2);

export function createDb(url: string, options: { max?: number; applicationName?: string } = {}): Db {
  const sql = postgres(url, {
    max: options.max ?? 10,
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "rush" },
  });
  return {
    db: drizzle(sql, { schema, casing: "snake_case" }),
    sql,
    close: () => sql.end({ timeout: 5 }),
  };
}
