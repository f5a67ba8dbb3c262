import { TotpCodeRequest, TotpEnrollment, TotpRecoveryCodes } from "@rush/contracts";
import { HttpProblem } from "@rush/service";
import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { otpauthUri } from "./totp.ts";
import type { TwoFactorStore } from "./two-factor.ts";

export interface TwoFactorRoutesOptions {
  twoFactor: TwoFactorStore;
  /** The name authenticator apps show beside the account. */
  issuer: string;
  clock?: () => number;
}

const wrongCode = () => new HttpProblem(422, "invalid_otp", "Unprocessable Content", "that code is not the authenticator's current code: check the phone's clock and try the next one");

/**
 * `/v1/auth/totp/*`: enrol an authenticator app (TOTP), confirm it with a first code (which
 * puts it in force and hands out recovery codes once), and turn it off with a current code.
 */
export const twoFactorRoutes: FastifyPluginAsync<TwoFactorRoutesOptions> = async (parent, options) => {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { twoFactor } = options;
  const clock = options.clock ?? Date.now;

  app.post(
    "/v1/auth/totp/enroll",
    { config: { auth: {} }, schema: { response: { 200: TotpEnrollment } } },
    async (request) => {
      const { sub, email } = request.principal!;
      const secret = await twoFactor.enroll(sub);
      if (!secret) throw new HttpProblem(409, "two_factor_enrolled", "Conflict", "two-factor sign-in is already on: turn it off with a current code to enrol another app");
      return { secret, otpauthUri: otpauthUri(secret, email, options.issuer) };
    },
  );

  app.post(
    "/v1/auth/totp/confirm",
    { config: { auth: {} }, schema: { body: TotpCodeRequest, response: { 200: TotpRecoveryCodes } } },
    async (request) => {
      const outcome = await twoFactor.confirm(request.principal!.sub, request.body.otp, clock());
      if (outcome === "no_enrollment") throw new HttpProblem(409, "no_enrollment", "Conflict", "nothing to confirm: enrol first (POST /v1/auth/totp/enroll)");
      if (outcome === "invalid_otp") throw wrongCode();
      request.log.info({ userId: request.principal!.sub }, "two-factor sign-in turned on");
      return outcome;
    },
  );

  app.post(
    "/v1/auth/totp/disable",
    { config: { auth: {} }, schema: { body: TotpCodeRequest, response: { 204: z.null() } } },
    async (request, reply) => {
      const userId = request.principal!.sub;
      if (!(await twoFactor.enrolled(userId))) throw new HttpProblem(409, "no_enrollment", "Conflict", "two-factor sign-in is not on");
      if (!(await twoFactor.disable(userId, request.body.otp, clock()))) throw wrongCode();
      request.log.info({ userId }, "two-factor sign-in turned off");
      return reply.code(204).send(null);
    },
  );
};
