/**
 * A lean HTTP/1.1 load client for the benches, in the way wrk and autocannon are lean: one
 * keep-alive socket per loopback source address (127.0.0.2–127.0.0.250, so per-IP limits stay on
 * and out of the way), each request written as one prebuilt string, each answer read with a
 * minimal parser (status, Content-Length or chunked body). On this 2-core machine the client
 * shares the cores with the stack it measures: node:http's agent and parser cost ~150 µs per
 * request, a tenth of a whole hold, which a buyer's own machine pays in real life. Same `Client`
 * interface as `http-client.ts`; the bare route is measured with the same client.
 */
import { type Socket, connect } from "node:net";
import type { Answer, Call, Client } from "./http-client.ts";

interface Pending {
  text: string;
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

const CRLF = "\r\n";
const HEADER_END = Buffer.from("\r\n\r\n");

/** One keep-alive connection: requests one at a time, in order (no pipelining, like a browser). */
class Connection {
  readonly #host: string;
  readonly #port: number;
  readonly #localAddress: string;
  #socket: Socket | undefined;
  #queue: Pending[] = [];
  #current: Pending | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #closed = false;

  constructor(host: string, port: number, localAddress: string) {
    this.#host = host;
    this.#port = port;
    this.#localAddress = localAddress;
  }

  get load(): number {
    return this.#queue.length + (this.#current ? 1 : 0);
  }

  send(text: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ text, resolve, reject });
      if (!this.#current) this.#next();
    });
  }

  close(): void {
    this.#closed = true;
    this.#socket?.destroy();
  }

  #open(): Socket {
    const socket = connect({ host: this.#host, port: this.#port, localAddress: this.#localAddress, noDelay: true });
    socket.on("data", (chunk: Buffer) => this.#read(chunk));
    const fail = (error: Error) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#buffer = Buffer.alloc(0);
      const current = this.#current;
      this.#current = undefined;
      current?.reject(error);
      if (!this.#closed && this.#queue.length > 0) this.#next();
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("connection closed")));
    this.#socket = socket;
    return socket;
  }

  #next(): void {
    const pending = this.#queue.shift();
    if (!pending || this.#closed) return;
    this.#current = pending;
    (this.#socket ?? this.#open()).write(pending.text);
  }

  #read(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const answer = parseAnswer(this.#buffer);
    if (!answer) return;
    this.#buffer = this.#buffer.subarray(answer.consumed);
    const current = this.#current;
    this.#current = undefined;
    const { consumed: _, close: __, ...read } = answer;
    current?.resolve(read);
    if (answer.close) {
      this.#socket?.destroy();
      this.#socket = undefined;
      this.#buffer = Buffer.alloc(0);
    }
    this.#next();
  }
}

/** One complete answer at the start of `data`, or undefined until it has all arrived (`serverTiming` only if it has one). */
export function parseAnswer(data: Buffer): (Answer & { consumed: number; close: boolean }) | undefined {
  const end = data.indexOf(HEADER_END);
  if (end < 0) return undefined;
  const head = data.toString("latin1", 0, end);
  const status = Number(head.slice(9, 12));
  let length = -1;
  let chunked = false;
  let close = false;
  let serverTiming: string | undefined;
  for (const line of head.split(CRLF)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).toLowerCase();
    if (name === "server-timing") serverTiming = line.slice(colon + 1).trim();
    const value = line.slice(colon + 1).trim().toLowerCase();
    if (name === "content-length") length = Number(value);
    else if (name === "transfer-encoding") chunked = value.includes("chunked");
    else if (name === "connection") close = value === "close";
  }
  const start = end + HEADER_END.length;
  if (!chunked) {
    const size = Math.max(0, length);
    if (data.length < start + size) return undefined;
    return { status, body: data.toString("utf8", start, start + size), consumed: start + size, close, ...(serverTiming ? { serverTiming } : {}) };
  }
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = data.indexOf(CRLF, at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(data.toString("latin1", at, lineEnd), 16);
    const from = lineEnd + 2;
    if (data.length < from + size + 2) return undefined;
    if (size === 0) return { status, body: Buffer.concat(parts).toString("utf8"), consumed: from + 2, close, ...(serverTiming ? { serverTiming } : {}) };
    parts.push(data.subarray(from, from + size));
    at = from + size + 2;
  }
}

export function createRawClient(baseUrl: string, addresses = 249): Client {
  const url = new URL(baseUrl);
  const host = url.hostname;
  const port = Number(url.port || 80);
  const connections = Array.from({ length: addresses }, (_, i) => new Connection(host, port, `127.0.0.${i + 2}`));
  const hostHeader = `Host: ${url.host}${CRLF}`;
  let cursor = 0;
  return {
    post({ path, headers, body }: Call) {
      // The next idle connection after the last one used, round the ring: every address gets its
      // share, as 249 buyers would (scanning from the first, 16 in flight used ~17 addresses, each
      // over the gate's per-address hold limit once the stack passed ~500 holds/s). None idle:
      // the least busy.
      let best: Connection | undefined;
      for (let i = 0; i < connections.length && !best; i++) {
        const connection = connections[(cursor + i) % connections.length]!;
        if (connection.load === 0) {
          best = connection;
          cursor = (cursor + i + 1) % connections.length;
        }
      }
      if (!best) {
        best = connections[0]!;
        for (const connection of connections) if (connection.load < best.load) best = connection;
      }
      let text = `POST ${path} HTTP/1.1${CRLF}${hostHeader}content-type: application/json${CRLF}content-length: ${Buffer.byteLength(body)}${CRLF}`;
      for (const name in headers) text += `${name}: ${headers[name]}${CRLF}`;
      return best.send(`${text}${CRLF}${body}`);
    },
    close() {
      for (const connection of connections) connection.close();
    },
  };
}
