import { randomUUID } from "node:crypto";
import { accessTokenSigner } from "@rush/service";
import postgres from "postgres";

/** What a seeded buyer brings to a load run: who they are and a signed access token. */
export interface SeededBuyer {
  id: string;
  email: string;
  token: string;
}

export interface SeedOptions {
  /** The stack's PostgreSQL (`bash infra/infra.sh env`); loopback only. */
  databaseUrl: string;
  buyers: number;
  /** The secret the running services verify tokens with (the development default outside production). */
  jwtSecret: string;
  /** Names this batch of buyers (their emails carry it); a fresh one by default. */
  runId?: string;
  /** Seeded tokens outlive a login's 15 minutes so a k6 run can start a while after seeding. */
  tokenTtlMs?: number;
  /** `NODE_ENV` of the caller: seeding refuses to run in production. */
  nodeEnv?: string;
}

export interface SeedResult {
  runId: string;
  buyers: SeededBuyer[];
  elapsedMs: number;
}

/**
 * Never verifies (the catalog's verifier only accepts `$scrypt$…`): seeded buyers are reached
 * through their tokens alone, so a forgotten batch of test accounts is no way in. One value
 * for all of them: provisioning must not cost a scrypt hash per buyer.
 */
export const SEEDED_PASSWORD_HASH = "!load-test-buyer:no-password";
export const SEEDED_EMAIL_DOMAIN = "load.rush.test";
const CHUNK = 10_000;
export const MAX_SEED_BUYERS = 1_000_000;

export const seededEmail = (runId: string, n: number) => `buyer-${runId}-${n}@${SEEDED_EMAIL_DOMAIN}`;

/** Refuses what seeding must never touch: production, and databases off this machine. */
export function assertSeedable(options: Pick<SeedOptions, "databaseUrl" | "buyers" | "nodeEnv" | "runId">): void {
  if (options.nodeEnv === "production") throw new Error("refusing to seed load-test buyers with NODE_ENV=production");
  const host = new URL(options.databaseUrl).hostname;
  if (!(host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host))) {
    throw new Error(`refusing to seed a database that is not on loopback (${host})`);
  }
  if (!Number.isInteger(options.buyers) || options.buyers < 1 || options.buyers > MAX_SEED_BUYERS) {
    throw new Error(`--buyers must be a whole number from 1 to ${MAX_SEED_BUYERS.toLocaleString("en")} (got ${options.buyers})`);
  }
  if (options.runId !== undefined && !/^[a-z0-9-]{1,40}$/.test(options.runId)) throw new Error("run id: 1-40 of a-z, 0-9, -");
}

/**
 * Creates `buyers` customer accounts in bulk (a few multi-row inserts, one transaction) and
 * signs each an access token with the services' secret, the claims identity would give them.
 * 100,000 buyers take a few seconds; nothing here hashes a password.
 */
export async function seedBuyers(options: SeedOptions): Promise<SeedResult> {
  assertSeedable(options);
  const started = performance.now();
  const runId = options.runId ?? `${Date.now().toString(36)}-${randomUUID().slice(0, 4)}`;
  const sign = accessTokenSigner(options.jwtSecret, { expiresInMs: options.tokenTtlMs ?? 3_600_000 });
  const buyers: SeededBuyer[] = [];
  const sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: "rush-loadtest-seed" } });
  try {
    await sql.begin(async (tx) => {
      for (let from = 0; from < options.buyers; from += CHUNK) {
        const ids: string[] = [];
        const emails: string[] = [];
        const names: string[] = [];
        for (let n = from; n < Math.min(options.buyers, from + CHUNK); n++) {
          ids.push(randomUUID());
          emails.push(seededEmail(runId, n));
          names.push(`Load buyer ${n}`);
        }
        await tx`
          insert into users (id, email, password_hash, display_name)
          select id, email, ${SEEDED_PASSWORD_HASH}, name
          from unnest(${tx.array(ids)}::uuid[], ${tx.array(emails)}::text[], ${tx.array(names)}::text[]) as t(id, email, name)`;
        for (let i = 0; i < ids.length; i++) {
          const id = ids[i]!;
          const email = emails[i]!;
          buyers.push({ id, email, token: sign({ id, email, roles: ["customer"] }) });
        }
      }
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
  return { runId, buyers, elapsedMs: performance.now() - started };
}
