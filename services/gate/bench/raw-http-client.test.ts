import type { AddressInfo } from "node:net";
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { durationsOf } from "./http-client.ts";
import { createRawClient, parseAnswer } from "./raw-http-client.ts";

const bytes = (text: string) => Buffer.from(text, "utf8");

describe("the bench's raw HTTP client", () => {
  it("raw client: reads a Content-Length answer only once all of it has arrived, and leaves the next one's bytes", () => {
    const answer = 'HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":"é"}';
    expect(parseAnswer(bytes(answer.slice(0, 40)))).toBeUndefined();
    expect(parseAnswer(bytes(answer.slice(0, -2)))).toBeUndefined();
    const next = "HTTP/1.1 200 OK\r\n";
    expect(parseAnswer(bytes(answer + next))).toEqual({ status: 201, body: '{"ok":"é"}', consumed: Buffer.byteLength(answer), close: false });
  });

  it("raw client: reads a chunked answer, and sees Connection: close", () => {
    const answer = "HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    expect(parseAnswer(bytes(answer.slice(0, -3)))).toBeUndefined();
    expect(parseAnswer(bytes(answer))).toEqual({ status: 429, body: "hello world", consumed: answer.length, close: true });
  });

  it("raw client: keeps an answer's Server-Timing as sent, and its durations read in order", () => {
    const answer = "HTTP/1.1 201 Created\r\nServer-Timing: pre;dur=1.5, begin;dur=0.8, engine;dur=12.0, total;dur=14.9\r\nContent-Length: 2\r\n\r\n{}";
    const parsed = parseAnswer(bytes(answer));
    expect(parsed?.serverTiming).toBe("pre;dur=1.5, begin;dur=0.8, engine;dur=12.0, total;dur=14.9");
    expect(durationsOf(parsed!.serverTiming!)).toEqual(["1.5", "0.8", "12.0", "14.9"]);
    expect(durationsOf("cache, db;dur=2;desc=\"x\"")).toEqual(["-", "2"]);
    // The engine's hops are differences of processes' clocks in whole milliseconds: one may be -1.
    expect(durationsOf("stream;dur=-1, delivery;dur=3")).toEqual(["-1", "3"]);
  });

  it("raw client: an answer with no body (204) is complete at its blank line", () => {
    const answer = "HTTP/1.1 204 No Content\r\nDate: x\r\n\r\n";
    expect(parseAnswer(bytes(answer))).toEqual({ status: 204, body: "", consumed: answer.length, close: false });
  });
});

describe("raw client: source addresses", () => {
  it("raw client: calls one at a time go out from a new source address each, round the 249", async () => {
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(request.socket.remoteAddress ?? "");
      request.resume();
      request.on("end", () => response.end("{}"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = createRawClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      for (let i = 0; i < 300; i++) await client.post({ path: "/", headers: {}, body: "{}" });
      // A burst of few in flight must not pile on the first addresses (each has its own rate limit).
      expect(new Set(seen.slice(0, 249)).size).toBe(249);
      expect(seen[249]).toBe(seen[0]);
    } finally {
      client.close();
      server.close();
    }
  });
});
