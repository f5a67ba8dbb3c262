import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { solveProofOfWork } from "./proof-of-work.ts";
import { leadingZeroBits, prefixHasher, sha256Hex } from "./sha256.ts";

const nodeSha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("proof of work", () => {
  it("sha256: matches node's digest for every length around the block boundaries", () => {
    for (let n = 0; n < 200; n++) {
      const text = "é-".repeat(n).slice(0, n) + String(n);
      expect(sha256Hex(text)).toBe(nodeSha(text));
    }
  });

  it("sha256: the prefix hasher (midstate) equals hashing the whole string", () => {
    const token = `p1.${"u".repeat(36)}.${"s".repeat(36)}.18.1893456000000.abcdefghijkl.${"m".repeat(43)}`;
    const hash = prefixHasher(`${token}:`);
    for (const nonce of ["0", "z", "1a2b", "zzzzzz"]) {
      const words = Array.from(hash(nonce), (w) => (w >>> 0).toString(16).padStart(8, "0")).join("");
      expect(words).toBe(nodeSha(`${token}:${nonce}`));
    }
  });

  it("proof of work: the nonce found has the leading zero bits the gate checks", () => {
    const token = "p1.user.session.12.1893456000000.salt.mac";
    const nonce = solveProofOfWork(token, 12)!;
    const digest = createHash("sha256").update(`${token}:${nonce}`).digest();
    const words = new Uint32Array(8).map((_, i) => digest.readUInt32BE(i * 4));
    expect(leadingZeroBits(words)).toBeGreaterThanOrEqual(12);
    expect(solveProofOfWork(token, 40, 1000)).toBeUndefined();
  });
});
