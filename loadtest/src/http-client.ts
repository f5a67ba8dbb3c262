import { Agent, request } from "node:http";
import { BROWSER_HEADERS } from "../k6/lib/common.js";
import type { Recorder } from "./recorder.ts";

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

export interface Client {
  call(
    step: string,
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; /** Read and drop the body (a 20,000-seat map costs the client CPU the gate needs). */ discard?: boolean },
  ): Promise<Answer>;
  close(): void;
}

/**
 * HTTP/1.1 with keep-alive from one source address (`localAddress`): the gate sees each
 * address as its own client, as it would real buyers. node:http rather than fetch because
 * fetch cannot choose the source address without an extra dependency. Every answer is recorded
 * under its step; a request that gets no answer is recorded as status 0 and rethrown.
 * `maxSockets`: 6 for one buyer's browser (its connections to one origin over HTTP/1.1).
 */
export function createClient(base: URL, localAddress: string, recorder: Recorder, timeoutMs: number, maxSockets = 64): Client {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    call(step, method, path, options = {}) {
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
      const started = performance.now();
      return new Promise<Answer>((resolve, reject) => {
        const req = request(
          {
            host: base.hostname.replace(/^\[|\]$/g, ""),
            port: base.port,
            method,
            path,
            agent,
            localAddress,
            timeout: timeoutMs,
            headers: {
              ...BROWSER_HEADERS,
              ...(payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
              ...options.headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => {
              if (!options.discard) chunks.push(c);
            });
            res.on("error", reject);
            res.on("end", () => {
              const status = res.statusCode ?? 0;
              recorder.record(step, status, performance.now() - started);
              const text = Buffer.concat(chunks).toString("utf8");
              let body: Record<string, unknown> = {};
              try {
                body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
              } catch {
                body = { text };
              }
              resolve({ status, body, headers: res.headers });
            });
          },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)));
        req.on("error", (error) => {
          recorder.record(step, 0, performance.now() - started);
          reject(error);
        });
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
