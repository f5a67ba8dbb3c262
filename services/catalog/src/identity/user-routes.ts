import { GrantRolesRequest, UserIdParams, UserList, UserLookupQuery, UserRoleParams, UserView } from "@rush/contracts";
import type { Database } from "@rush/db";
import { HttpProblem } from "@rush/service";
import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { TwoFactorStore } from "./two-factor.ts";
import { addRoles, findUserByEmail, findUserById, removeRole, toUserView } from "./users.ts";

const noSuchUser = (id: string) => new HttpProblem(404, "user_not_found", "Not Found", `no user ${id}`);

/**
 * `GET /v1/me`, and the admin's user management: look an account up by email, grant or take
 * away `organizer` / `staff`. New roles reach the user's tokens at the next login or refresh.
 */
export const userRoutes: FastifyPluginAsync<{ db: Database; twoFactor: TwoFactorStore }> = async (parent, { db, twoFactor }) => {
  const app = parent.withTypeProvider<ZodTypeProvider>();

  app.get("/v1/me", { config: { auth: {} }, schema: { response: { 200: UserView } } }, async (request) => {
    const user = await findUserById(db, request.principal!.sub);
    if (!user) throw new HttpProblem(401, "unauthorized", "Unauthorized", "the account no longer exists");
    return { ...toUserView(user), twoFactor: await twoFactor.enrolled(user.id) };
  });

  app.get(
    "/v1/users",
    { config: { auth: { roles: ["admin"] } }, schema: { querystring: UserLookupQuery, response: { 200: UserList } } },
    async (request) => {
      const user = await findUserByEmail(db, request.query.email);
      return { items: user ? [toUserView(user)] : [] };
    },
  );

  app.post(
    "/v1/users/:id/roles",
    { config: { auth: { roles: ["admin"] } }, schema: { params: UserIdParams, body: GrantRolesRequest, response: { 200: UserView } } },
    async (request) => {
      const { roles, staffOf } = request.body;
      if (staffOf && !roles.includes("staff")) throw new HttpProblem(400, "staff_of_without_staff", "Bad Request", "staffOf goes with the staff role");
      if (staffOf && !(await findUserById(db, staffOf))?.roles.includes("organizer")) {
        throw new HttpProblem(422, "unknown_organizer", "Unknown organizer", `no organizer ${staffOf}`);
      }
      const user = await addRoles(db, request.params.id, roles, staffOf);
      if (!user) throw noSuchUser(request.params.id);
      request.log.info({ userId: user.id, granted: request.body.roles, by: request.principal!.sub }, "roles granted");
      return toUserView(user);
    },
  );

  app.delete(
    "/v1/users/:id/roles/:role",
    { config: { auth: { roles: ["admin"] } }, schema: { params: UserRoleParams, response: { 200: UserView } } },
    async (request) => {
      const user = await removeRole(db, request.params.id, request.params.role);
      if (!user) throw noSuchUser(request.params.id);
      request.log.info({ userId: user.id, revoked: request.params.role, by: request.principal!.sub }, "role revoked");
      return toUserView(user);
    },
  );
};
