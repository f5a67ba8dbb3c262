import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("logger-test", "info", { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe("logger", () => {
  it("logger: an error given as text stays text; an Error keeps its message and type", () => {
    const { logger, lines } = capture();
    logger.error({ error: "not JSON: Unexpected end of JSON input" }, "message parked");
    logger.error({ err: new TypeError("boom") }, "failed");
    expect(lines[0]!.error).toBe("not JSON: Unexpected end of JSON input");
    expect(lines[1]!.err).toMatchObject({ type: "TypeError", message: "boom" });
  });
});
