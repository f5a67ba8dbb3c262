import { Piscina } from "piscina";
import { HttpProblem } from "@rush/service";

/** Password hashing off the event loop. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /**
   * Spends the time of a real verification on nothing: a login for an unknown email must take
   * as long as one with a wrong password, or its timing tells which emails have accounts.
   */
  verifyNothing(password: string): Promise<void>;
  close(): Promise<void>;
}

export interface PasswordHasherOptions {
  threads: number;
  /** scrypt cost, N = 2^logN. */
  logN: number;
  /**
   * A hash whose expected wait (queue ahead of it, at the measured time per hash) exceeds this
   * is refused at once with 503 and a Retry-After, instead of waiting until the gate gives up.
   */
  waitBudgetMs?: number;
}

type Task = { op: "hash"; password: string; logN: number } | { op: "verify"; password: string; hash: string };
type Done = { value: string | boolean; ms: number };

/**
 * A piscina pool of scrypt workers (`password-worker.mjs`). Piscina's queue is first in, first
 * out, so hashes are served in arrival order; admission keeps that queue short enough that every
 * admitted request is answered within the budget.
 */
export async function createPasswordHasher(options: PasswordHasherOptions): Promise<PasswordHasher> {
  const threads = options.threads;
  const budgetMs = options.waitBudgetMs ?? 3_000;
  const pool = new Piscina<Task, Done>({
    filename: new URL("./password-worker.mjs", import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // Workers need no TypeScript loader: drop the parent's `--import tsx` and friends.
    execArgv: [],
  });
  let admitted = 0;
  let msPerHash = 0;
  const run = async (task: Task) => {
    // Everything admitted finishes before this one: whole rounds of `threads` hashes each. A free
    // thread always takes it, however slow hashing has been.
    const expectedMs = Math.ceil((admitted + 1) / threads) * msPerHash;
    if (admitted >= threads && expectedMs > budgetMs) {
      const retryAfter = String(Math.max(1, Math.ceil(expectedMs / 1000)));
      throw new HttpProblem(503, "busy", "Service Unavailable", "too many sign-ups and logins at once; retry shortly", {}, { "retry-after": retryAfter });
    }
    admitted++;
    try {
      const done = await pool.run(task);
      // A moving average of the hash itself (not its wait), so a burst does not inflate it.
      msPerHash = msPerHash === 0 ? done.ms : msPerHash * 0.8 + done.ms * 0.2;
      return done.value;
    } finally {
      admitted--;
    }
  };
  const hash = async (password: string) => (await run({ op: "hash", password, logN: options.logN })) as string;
  // A hash of the pool's own cost, for verifyNothing; it also gives the first time per hash.
  const decoy = await hash("decoy password nobody has");
  return {
    hash,
    verify: async (password, stored) => (await run({ op: "verify", password, hash: stored })) as boolean,
    verifyNothing: async (password) => {
      await run({ op: "verify", password, hash: decoy });
    },
    close: () => pool.close(),
  };
}
