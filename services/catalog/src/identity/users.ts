import { Role, type UserView } from "@rush/contracts";
import { type Database, users, withConflicts } from "@rush/db";
import { eq, sql } from "drizzle-orm";

/** A user row as identity works with it. */
export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  passwordHash: string;
  staffOrganizerId: string | null;
  emailVerifiedAt: Date | null;
}

type Row = typeof users.$inferSelect;

// Roles are text[] in the database; anything not a known role is ignored rather than trusted.
const toRecord = (row: Row): UserRecord => ({
  id: row.id,
  email: row.email,
  displayName: row.displayName,
  roles: row.roles.filter((role): role is Role => Role.safeParse(role).success),
  passwordHash: row.passwordHash,
  staffOrganizerId: row.staffOrganizerId,
  emailVerifiedAt: row.emailVerifiedAt,
});

export const toUserView = (user: UserRecord): UserView => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  roles: user.roles,
  ...(user.staffOrganizerId ? { staffOf: user.staffOrganizerId } : {}),
  emailVerified: user.emailVerifiedAt !== null,
});

/** Inserts a user; a taken email (any case) throws `ConflictError` on `users_email_lower_key`. */
export async function createUser(
  db: Database,
  values: { email: string; passwordHash: string; displayName: string; roles: Role[] },
): Promise<UserRecord> {
  const [row] = await withConflicts(() => db.insert(users).values(values).returning());
  return toRecord(row!);
}

export async function findUserByEmail(db: Database, email: string): Promise<UserRecord | undefined> {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
  return row && toRecord(row);
}

export async function findUserById(db: Database, id: string): Promise<UserRecord | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row && toRecord(row);
}

/** Adds roles (a set union, so granting twice is a no-op); undefined if there is no such user. */
export async function addRoles(db: Database, id: string, roles: readonly Role[], staffOf?: string): Promise<UserRecord | undefined> {
  const [row] = await db
    .update(users)
    .set({
      roles: sql`array(select distinct r from unnest(${users.roles} || ${sql.param([...roles])}::text[]) r order by r)`,
      ...(staffOf ? { staffOrganizerId: staffOf } : {}),
    })
    .where(eq(users.id, id))
    .returning();
  return row && toRecord(row);
}

export async function removeRole(db: Database, id: string, role: Role): Promise<UserRecord | undefined> {
  const [row] = await db
    .update(users)
    .set({ roles: sql`array_remove(${users.roles}, ${role})`, ...(role === "staff" ? { staffOrganizerId: null } : {}) })
    .where(eq(users.id, id))
    .returning();
  return row && toRecord(row);
}
