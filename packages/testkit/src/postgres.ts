import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** A database of its own for one test file, on the shared test cluster. */
export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  /** Drops it (terminating any connection a test forgot). */
  drop(): Promise<void>;
}

export async function freshDatabase(adminUrl: string, prefix = "t"): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await sql.end();
      }
    },
  };
}
