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
