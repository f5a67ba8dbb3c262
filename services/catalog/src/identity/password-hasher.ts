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
  /** Hashes waiting beyond this are refused (503) rather than queued without bound. */
  maxQueue?: number;
}

type Task = { op: "hash"; password: string; logN: number } | { op: "verify"; password: string; hash: string };

/** A piscina pool of scrypt workers (`password-worker.mjs`). */
export async function createPasswordHasher(options: PasswordHasherOptions): Promise<PasswordHasher> {
  const pool = new Piscina<Task, string | boolean>({
    filename: new URL("./password-worker.mjs", import.meta.url).href,
    minThreads: options.threads,
    maxThreads: options.threads,
    maxQueue: options.maxQueue ?? 1000,
    // Workers need no TypeScript loader: drop the parent's `--import tsx` and friends.
    execArgv: [],
  });
  const run = async (task: Task) => {
    try {
      return await pool.run(task);
    } catch (error) {
      if ((error as Error).message.includes("Task queue is at limit")) {
        throw new HttpProblem(503, "busy", "Service Unavailable", "too many logins at once; retry shortly", {}, { "retry-after": "1" });
      }
      throw error;
    }
  };
  const hash = async (password: string) => (await run({ op: "hash", password, logN: options.logN })) as string;
  // A hash of the pool's own cost, for verifyNothing.
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
