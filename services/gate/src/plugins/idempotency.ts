import { hash } from "node:crypto";
import { IDEMPOTENCY_KEY_HEADER, commandIdFor } from "@rush/contracts";
import type { FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Redis } from "ioredis";
import { problems } from "../problems.ts";
import { canonicalJson } from "./canonical-json.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * The route takes an `Idempotency-Key`: same key and body → same answer; other body → 422.
     * `"route"`: the plugin prepares the record (`request.idempotency`) and the handler begins
     * it in its own script (`IDEMPOTENCY_BEGIN_LUA`), then calls `replayOrGoOn`.
     */
    idempotent?: boolean | "route";
  }
  interface FastifyRequest {
    idempotency?: Idempotency;
  }
}

export interface Idempotency {
  /** The command id this key maps to (the same in every gate, for every retry). */
  readonly commandId: string;
  readonly recordKey: string;
  /** Method, route, params and body, hashed: what a replay must match. */
  readonly fingerprint: string;
  /** Set by the handler when its answer is final (an engine decision): only then is it replayed. */
  final: boolean;
}

interface StoredResponse {
  statusCode: number;
  body: string;
  contentType: string;
}

/** A final answer as its record keeps it, for a replay to send again. */
export const storedResponse = (statusCode: number, body: string, contentType: string): string =>
  JSON.stringify({ statusCode, body, contentType } satisfies StoredResponse);

/** Records the fingerprint unless the key has one: `created, fingerprint, response`. */
export const IDEMPOTENCY_BEGIN_LUA = `
local function idempotencyBegin(key, fingerprint, ttlMs)
  local created = redis.call('HSETNX', key, 'fingerprint', fingerprint)
  if created == 1 then redis.call('PEXPIRE', key, ttlMs) end
  local stored = redis.call('HMGET', key, 'fingerprint', 'response')
  return created, stored[1], stored[2]
end
`;

const BEGIN = `${IDEMPOTENCY_BEGIN_LUA}
local created, fingerprint, response = idempotencyBegin(KEYS[1], ARGV[1], ARGV[2])
return {created, fingerprint, response}
`;

/** What beginning a record found: whether this request created it, and what the first one stored. */
export interface Begun {
  created: boolean;
  fingerprint: string | null;
  response: string | null;
}

/**
 * After the record is begun: 422 when the key was used with another request, the stored answer
 * when there is one (returns the reply, sent), else undefined: go on (first attempt, or a retry
 * of one whose answer was not final, which is safe to run again).
 */
export function replayOrGoOn(state: Idempotency, reply: FastifyReply, begun: Begun): FastifyReply | undefined {
  if (begun.created) return undefined;
  if (begun.fingerprint !== state.fingerprint) throw problems.idempotencyMismatch();
  if (!begun.response) return undefined;
  const { statusCode, body, contentType } = JSON.parse(begun.response) as StoredResponse;
  return reply.code(statusCode).type(contentType).header("idempotent-replayed", "true").send(body);
}

/** For a request refused before its record was begun: the stored answer to its key, if any (sent). */
export async function replayIfStored(redis: Redis, state: Idempotency, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const [fingerprint, response] = await redis.hmget(state.recordKey, "fingerprint", "response");
  if (fingerprint !== state.fingerprint || !response) return undefined;
  return replayOrGoOn(state, reply, { created: false, fingerprint, response });
}

/** Records outlive the command result store: a day. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

const sha256 = (text: string) => hash("sha256", text, "base64url");

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
    const prepare = (request: FastifyRequest): Idempotency => {
      const userId = request.principal?.sub;
      const key = request.headers[IDEMPOTENCY_KEY_HEADER];
      if (!userId || typeof key !== "string") throw new Error("idempotent route without auth or key schema");
      const fingerprint = sha256(canonicalJson([request.method, request.routeOptions.url, request.params, request.body]));
      const state = { commandId: commandIdFor(userId, key), recordKey: `idem:{${userId}}:${sha256(key)}`, fingerprint, final: false };
      request.idempotency = state;
      return state;
    };
    const begin = async (request: FastifyRequest, reply: FastifyReply) => {
      const state = prepare(request);
      const [created, fingerprint, response] = await scripted.rushIdempotencyBegin(state.recordKey, state.fingerprint, ttlMs);
      return replayOrGoOn(state, reply, { created: created === 1, fingerprint, response });
    };
    const prepareOnly = async (request: FastifyRequest) => {
      prepare(request);
    };

    app.addHook("onRoute", (route) => {
      const mode = route.config?.idempotent;
      if (!mode) return;
      route.preHandler = [...(route.preHandler ? [route.preHandler].flat() : []), mode === "route" ? prepareOnly : begin];
    });

    app.addHook("onSend", async (request, reply, payload) => {
      const state = request.idempotency;
      if (!state?.final || typeof payload !== "string") return payload;
      const response = storedResponse(reply.statusCode, payload, String(reply.getHeader("content-type") ?? "application/json"));
      // Not awaited: until it lands, a replay runs the command again, which the engine dedupes
      // into the same answer. The answer does not wait for a write it does not need.
      redis.hset(state.recordKey, "response", response).catch((error) => {
        request.log.warn({ err: error }, "could not store an idempotent response");
      });
      return payload;
    });
  },
  { name: "rush-idempotency", dependencies: ["rush-auth"] },
);
