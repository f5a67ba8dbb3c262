import { describe, expect, it } from "vitest";
import { assertSeedable } from "./seed.ts";

const url = "postgres://postgres:pw@127.0.0.1:15432/rush";

describe("loadtest seed", () => {
  it("seed: refuses production, remote databases and buyer counts out of range", () => {
    expect(() => assertSeedable({ databaseUrl: url, buyers: 10, nodeEnv: "development" })).not.toThrow();
    expect(() => assertSeedable({ databaseUrl: url, buyers: 10, nodeEnv: "production" })).toThrow(/NODE_ENV=production/);
    expect(() => assertSeedable({ databaseUrl: "postgres://u:p@db.example.com:5432/rush", buyers: 10 })).toThrow(/loopback/);
    expect(() => assertSeedable({ databaseUrl: url, buyers: 0 })).toThrow(/--buyers/);
    expect(() => assertSeedable({ databaseUrl: url, buyers: 2.5 })).toThrow(/--buyers/);
    expect(() => assertSeedable({ databaseUrl: url, buyers: 10, runId: "a b" })).toThrow(/run id/);
  });
});
