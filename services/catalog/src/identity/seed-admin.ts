import { type Database, users } from "@rush/db";
import { sql } from "drizzle-orm";
import type { PasswordHasher } from "./password-hasher.ts";

/**
 * Makes sure the first admin exists (from `ADMIN_EMAIL` / `ADMIN_PASSWORD`); safe when several
 * instances start. An existing account with that email becomes admin only if its password is
 * `ADMIN_PASSWORD`: anyone may register any address (there is no e-mail verification yet), so
 * whoever registered `ADMIN_EMAIL` first must not be promoted on the strength of the address.
 * `refused` means such an account exists with another password and stays as it was.
 */
export async function seedAdmin(
  db: Database,
  hasher: PasswordHasher,
  admin: { email: string; password: string },
): Promise<"created" | "exists" | "refused"> {
  const email = admin.email.toLowerCase();
  const byEmail = sql`lower(${users.email}) = ${email}`;
  const [existing] = await db.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(byEmail);
  if (!existing) {
    const passwordHash = await hasher.hash(admin.password);
    const inserted = await db
      .insert(users)
      .values({ email, passwordHash, displayName: "Administrator", roles: ["admin"] })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (inserted.length > 0) return "created";
    // Another instance created it a moment ago, with the same password: promote below.
    return seedAdmin(db, hasher, admin);
  }
  if (!(await hasher.verify(admin.password, existing.passwordHash))) return "refused";
  await db
    .update(users)
    .set({ roles: sql`array(select distinct r from unnest(${users.roles} || array['admin']::text[]) r order by r)` })
    .where(sql`${users.id} = ${existing.id}`);
  return "exists";
}
