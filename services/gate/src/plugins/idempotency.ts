import { createHash } from "node:crypto";
import { IDEMPOTENCY_KEY_HEADER, commandIdFor } from "@rush/contracts";
import type { FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Redis } from "ioredis";
import { problems } from "../problems.ts";
import { canonicalJson } from "./canonical-json.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route takes an `Idempotency-Key`: same key and body → same answer; other body → 422. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency?: Idempotency;
  }
}

export interface Idempotency {
  /** The command id this key maps to (the same in every gate, for every retry). */
  readonly commandId: string;
  readonly recordKey: string;
  /** Set by the handler when its answer is final (an engine decision): only then is it replayed. */
  final: boolean;
}

interface StoredResponse {
  statusCode: number;
  body: string;
  contentType: string;
}

/** Records the fingerprint unless the key has one: `{created, fingerprint, response}` in one round trip. */
const BEGIN = `
local created = redis.call('HSETNX', KEYS[1], 'fingerprint', ARGV[1])
if created == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local stored = redis.call('HMGET', KEYS[1], 'fingerprint', 'response')
return {created, stored[1], stored[2]}
`;

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64url");

/**
 * `Idempotency-Key` handling by route option (`config.idempotent`), after auth: the first
 * request with a key records its fingerprint (method, route, params, body); a replay with the
 * same fingerprint gets the stored final answer (or runs again, which is safe: the command id
 * is derived from the key, so the engine dedupes it); a replay with another body gets 422.
 * Records (a hash: fingerprint, response) live `ttlMs` in Redis under the user's hash tag.
 */
export const idempotency = fp<{ redis: Redis; ttlMs: number }>(
  async (app, { redis, ttlMs }) => {
    type Scripted = Redis & { rushIdempotencyBegin(key: string, fingerprint: string, ttlMs: number): Promise<[number, string | null, string | null]> };
    if (!("rushIdempotencyBegin" in redis)) redis.defineCommand("rushIdempotencyBegin", { numberOfKeys: 1, lua: BEGIN });
    const scripted = redis as Scripted;
    const begin = async (request: FastifyRequest, reply: FastifyReply) => {
      const userId = request.principal?.sub;
      const key = request.headers[IDEMPOTENCY_KEY_HEADER];
      if (!userId || typeof key !== "string") throw new Error("idempotent route without auth or key schema");
      const fingerprint = sha256(canonicalJson([request.method, request.routeOptions.url, request.params, request.body]));
      const recordKey = `idem:{${userId}}:${sha256(key)}`;
      const [created, firstFingerprint, response] = await scripted.rushIdempotencyBegin(recordKey, fingerprint, ttlMs);
      if (created !== 1) {
        if (firstFingerprint !== fingerprint) throw problems.idempotencyMismatch();
        if (response) {
          const { statusCode, body, contentType } = JSON.parse(response) as StoredResponse;
          return reply.code(statusCode).type(contentType).header("idempotent-replayed", "true").send(body);
        }
      }
      request.idempotency = { commandId: commandIdFor(userId, key), recordKey, final: false };
    };

    app.addHook("onRoute", (route) => {
      if (!route.config?.idempotent) return;
      route.preHandler = [...(route.preHandler ? [route.preHandler].flat() : []), begin];
    });

    app.addHook("onSend", async (request, reply, payload) => {
      const state = request.idempotency;
      if (!state?.final || typeof payload !== "string") return payload;
      const response: StoredResponse = {
        statusCode: reply.statusCode,
        body: payload,
        contentType: String(reply.getHeader("content-type") ?? "application/json"),
      };
      // Not awaited: until it lands, a replay runs the command again, which the engine dedupes
      // into the same answer. The answer does not wait for a write it does not need.
      redis.hset(state.recordKey, "response", JSON.stringify(response)).catch((error) => {
        request.log.warn({ err: error }, "could not store an idempotent response");
      });
      return payload;
    });
  },
  { name: "rush-idempotency", dependencies: ["rush-auth"] },
);
