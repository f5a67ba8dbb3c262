import { type Database, users } from "@rush/db";
import { sql } from "drizzle-orm";
import type { PasswordHasher } from "./password-hasher.ts";

/**
 * Makes sure the first admin exists (from `ADMIN_EMAIL` / `ADMIN_PASSWORD`). An existing
 * account keeps its password and gains the `admin` role; safe when several instances start.
 */
export async function seedAdmin(db: Database, hasher: PasswordHasher, admin: { email: string; password: string }): Promise<"created" | "exists"> {
  const [existing] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${admin.email.toLowerCase()}`);
  if (!existing) {
    const passwordHash = await hasher.hash(admin.password);
    const inserted = await db
      .insert(users)
      .values({ email: admin.email.toLowerCase(), passwordHash, displayName: "Administrator", roles: ["admin"] })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (inserted.length > 0) return "created";
  }
  await db
    .update(users)
    .set({ roles: sql`array(select distinct r from unnest(${users.roles} || array['admin']::text[]) r order by r)` })
    .where(sql`lower(${users.email}) = ${admin.email.toLowerCase()}`);
  return "exists";
}
