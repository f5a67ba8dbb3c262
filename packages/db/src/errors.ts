/** A write that broke a uniqueness rule: the caller maps it to a 409 (Postgres 23505). */
export class ConflictError extends Error {
  readonly code = "DB_CONFLICT";
  constructor(
    readonly constraint: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`conflict on ${constraint ?? "a unique constraint"}`, options);
    this.name = "ConflictError";
  }
}

/** Runs `work`, turning a Postgres unique violation into a typed `ConflictError`. */
export async function withConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const pg = (error as { code?: string; constraint_name?: string; cause?: { code?: string; constraint_name?: string } });
    const source = pg.code === "23505" ? pg : pg.cause?.code === "23505" ? pg.cause : undefined;
    if (source) throw new ConflictError(source.constraint_name, { cause: error });
    throw error;
  }
}

/**
 * True when Postgres refused the data itself: a data exception (SQLSTATE class 22, e.g. a bad
 * date) or a broken integrity constraint (class 23, e.g. a foreign key to a missing user). Doing
 * the same again can never succeed, unlike a lost connection, a deadlock or a server restart.
 */
export function isPermanentDbError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^2[23][0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}
