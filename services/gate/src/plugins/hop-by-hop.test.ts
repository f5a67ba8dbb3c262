import { describe, expect, it } from "vitest";
import { endToEndHeaders } from "./hop-by-hop.ts";

describe("hop-by-hop headers", () => {
  it("proxy: drops hop-by-hop headers, Expect and whatever Connection names; keeps the rest", () => {
    const kept = endToEndHeaders({
      host: "gate.example",
      connection: "keep-alive, X-Hop",
      "keep-alive": "timeout=5",
      "x-hop": "1",
      expect: "100-continue",
      te: "trailers",
      "transfer-encoding": "chunked",
      "proxy-authorization": "Basic x",
      upgrade: "h2c",
      authorization: "Bearer t",
      "content-type": "application/json",
      "x-request-id": "abc",
    });
    expect(kept).toEqual({ authorization: "Bearer t", "content-type": "application/json", "x-request-id": "abc" });
  });
});
