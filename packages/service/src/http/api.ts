import type { Role } from "@rush/contracts";
import type { FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { authPlugin } from "./auth.ts";
import { installProblemHandlers } from "./problem.ts";

/**
 * Turns a service app into an API: zod validation of requests and responses (schemas from
 * `@rush/contracts`), problem+json errors, and JWT auth by route option. Register routes after.
 */
export async function installApi(app: FastifyInstance, options: { jwtSecret: string; secondFactorRoles?: readonly Role[] }): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app);
  await app.register(authPlugin, { secret: options.jwtSecret, secondFactorRoles: options.secondFactorRoles ?? [] });
}
