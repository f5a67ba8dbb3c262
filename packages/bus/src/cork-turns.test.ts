import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { corkTurns, sendTurnNow } from "./cork-turns.ts";

/** A stream that logs each write it is given: `write x` alone, `writev x,y` together. */
function loggedStream(log: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      log.push(`write ${chunk}`);
      done();
    },
    writev(chunks, done) {
      log.push(`writev ${chunks.map(({ chunk }) => String(chunk)).join(",")}`);
      done();
    },
  });
}

const nextIteration = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/** Runs `body` inside an immediate, then logs that the immediate ended and, a loop iteration on, that the next began. */
const inAnImmediate = (log: string[], body: () => void) =>
  new Promise<void>((resolve) =>
    setImmediate(() => {
      body();
      log.push("end of the immediate");
      setImmediate(() => {
        log.push("next iteration");
        resolve();
      });
    }),
  );

describe("corkTurns", () => {
  it("a turn's writes leave together when the turn ends", async () => {
    const log: string[] = [];
    const stream = loggedStream(log);
    corkTurns(stream);
    stream.write("a");
    stream.write("b");
    expect(log).toEqual([]);
    await nextIteration();
    expect(log).toEqual(["writev a,b"]);
  });

  it("writes made in an immediate leave at sendTurnNow, not a loop iteration later; the next write corks anew", async () => {
    const log: string[] = [];
    const stream = loggedStream(log);
    corkTurns(stream);
    await inAnImmediate(log, () => {
      stream.write("a");
      stream.write("b");
      sendTurnNow(stream);
      log.push("released");
      stream.write("c");
      stream.write("d");
    });
    expect(log).toEqual(["writev a,b", "released", "end of the immediate", "writev c,d", "next iteration"]);
  });

  it("without sendTurnNow, what an immediate writes waits for the next iteration's immediates", async () => {
    const log: string[] = [];
    const stream = loggedStream(log);
    corkTurns(stream);
    await inAnImmediate(log, () => stream.write("a"));
    expect(log).toEqual(["end of the immediate", "write a", "next iteration"]);
  });

  it("sendTurnNow on a stream with nothing corked, or never corked, does nothing", () => {
    const log: string[] = [];
    const stream = loggedStream(log);
    sendTurnNow(stream);
    corkTurns(stream);
    sendTurnNow(stream);
    stream.write("a");
    sendTurnNow(stream);
    expect(log).toEqual(["write a"]);
  });
});
