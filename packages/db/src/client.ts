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

export function createDb(url: string, options: { max?: number; applicationName?: string } = {}): Db {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "rush" },
  });
  return {
    db: drizzle(sql, { schema, casing: "snake_case" }),
    sql,
    close: () => sql.end({ timeout: 5 }),
  };
}
