import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import fastifyCompress from "@fastify/compress";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Brotli's default (11) costs ~40× the CPU of 4 for a few percent: answers are compressed per request. */
const BROTLI_QUALITY = 4;

/**
 * br or gzip for every answer of 1 KiB or more when the client asks (the browser app's assets,
 * venue seat maps, seat states, proxied JSON). Request bodies are never decompressed here: the
 * proxied routes forward them byte for byte (signed webhooks), with their own Content-Encoding.
 */
export async function compression(app: FastifyInstance): Promise<void> {
  app.addHook("onRoute", (route) => {
    // What a buyer sends (holds, pays, queue joins) is answered in a few hundred bytes, below the
    // threshold, yet the plugin's onSend still negotiated an encoding for each: 6–8 % of the gate's
    // CPU per hold. A route that answers reads (GET, HEAD) keeps compression.
    const reads = [route.method].flat().some((method) => method === "GET" || method === "HEAD");
    const config = route.config as { compress?: unknown } | undefined;
    route.config = {
      ...(route.config as object),
      decompress: false,
      ...(reads || config?.compress !== undefined ? {} : { compress: false }),
    } as typeof route.config;
  });
  await app.register(fastifyCompress, {
    global: true,
    threshold: 1024,
    encodings: ["br", "gzip"],
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
  });
}

export type Encoding = "br" | "gzip";

/** The encoding to answer with, from `Accept-Encoding` (br first; q=0 refuses). */
export function preferredEncoding(request: FastifyRequest): Encoding | undefined {
  const header = String(request.headers["accept-encoding"] ?? "").toLowerCase();
  const accepted = new Set(
    header
      .split(",")
      .map((part) => part.trim().split(";"))
      .filter(([, q]) => !q || Number(q.trim().replace(/^q=/, "")) > 0)
      .map(([name]) => name!.trim()),
  );
  if (accepted.has("br")) return "br";
  if (accepted.has("gzip") || accepted.has("*")) return "gzip";
  return undefined;
}

/**
 * br 4 and gzip 3 for a whole seat map (~740 KB of JSON for 20,000 seats): ~10 and ~6 ms of CPU
 * for ~58 and ~73 KB; br 5 and gzip's default 6 cost ~13 and ~16 ms for ~57 and ~64 KB. In a
 * sale the map changes between most reads, so this is paid per read, not once.
 */
const SEAT_MAP_BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } };
const SEAT_MAP_GZIP = { level: 3 };

/**
 * One JSON text with its compressed forms made once and kept (a seat map read by thousands of
 * buyers is compressed once per version, not once per request).
 */
export function encodedJson(json: string): { send(request: FastifyRequest, reply: FastifyReply): FastifyReply } {
  const variants = new Map<Encoding, Buffer>();
  const bytes = (encoding: Encoding) => {
    let body = variants.get(encoding);
    if (!body) {
      body = encoding === "br" ? brotliCompressSync(json, SEAT_MAP_BROTLI) : gzipSync(json, SEAT_MAP_GZIP);
      variants.set(encoding, body);
    }
    return body;
  };
  return {
    send(request, reply) {
      reply.type("application/json").header("vary", "accept-encoding");
      const encoding = json.length >= 1024 ? preferredEncoding(request) : undefined;
      if (!encoding) return reply.send(json);
      return reply.header("content-encoding", encoding).send(bytes(encoding));
    },
  };
}
