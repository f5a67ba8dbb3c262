import { readFileSync } from "node:fs";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Stripe's API at the HTTP boundary, for tests: a real local HTTP server that the real Stripe
 * SDK talks to (`STRIPE_API_BASE`), answering with responses recorded from Stripe's test mode
 * (`providers/stripe-fixtures/*.json`). stripe-mock cannot be installed here; this replays what
 * Stripe said instead, and keeps every request for assertions. It decides nothing: each test
 * scripts the answers its story needs.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The form-encoded body, decoded. */
  form: URLSearchParams;
  idempotencyKey: string | undefined;
}

export interface RecordedAnswer {
  /** A file in `providers/stripe-fixtures` (without `.json`). */
  fixture: string;
  status?: number;
  /** Text replaced in the recorded body, e.g. the recorded intent id by this test's own. */
  replace?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface RecordedStripe {
  /** For `STRIPE_API_BASE`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /**
   * Scripts the answers to `"<METHOD> <path>"`, in turn (the last one repeats). `when` narrows
   * it to requests whose form has these fields (e.g. the refund of one PaymentIntent).
   */
  answer(route: string, answers: RecordedAnswer[], when?: Record<string, string>): void;
  close(): Promise<void>;
}

/** The PaymentIntent id the recordings carry; tests replace it by their own. */
export const RECORDED_INTENT = "pi_3QxRush000000000001";

export const stripeFixture = (name: string): string =>
  readFileSync(new URL(`../providers/stripe-fixtures/${name}.json`, import.meta.url), "utf8");

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
    });
    request.on("end", () => resolve(text));
    request.on("error", reject);
  });

export async function startRecordedStripe(): Promise<RecordedStripe> {
  const requests: RecordedRequest[] = [];
  const scripts: { route: string; when?: Record<string, string>; answers: RecordedAnswer[] }[] = [];
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://stripe.local");
    const form = new URLSearchParams(await readBody(request));
    const header = request.headers["idempotency-key"];
    requests.push({ method: request.method ?? "GET", path: url.pathname, form, idempotencyKey: typeof header === "string" ? header : undefined });
    const route = `${request.method} ${url.pathname}`;
    // The most specific script wins: one narrowed by `when` before the route's general one.
    const script = scripts
      .filter((s) => s.route === route && Object.entries(s.when ?? {}).every(([k, v]) => form.get(k) === v))
      .sort((a, b) => Object.keys(b.when ?? {}).length - Object.keys(a.when ?? {}).length)[0];
    const answer = script && (script.answers.length > 1 ? script.answers.shift() : script.answers[0]);
    if (!answer) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { type: "invalid_request_error", code: "resource_missing", message: `not recorded: ${route}` } }));
      return;
    }
    let body = stripeFixture(answer.fixture);
    for (const [from, to] of Object.entries(answer.replace ?? {})) body = body.replaceAll(from, to);
    response.writeHead(answer.status ?? 200, { "content-type": "application/json", "request-id": `req_rush_${requests.length}`, ...answer.headers });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(route, answers, when) {
      scripts.push({ route, answers: [...answers], ...(when ? { when } : {}) });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
