import { leadingZeroBits, prefixHasher } from "./sha256.ts";

/**
 * The gate's bot check (428 on a queue join): find `nonce` such that
 * sha256(token + ":" + nonce) starts with `difficulty` zero bits. Nonces count up in base 36.
 */
export function solveProofOfWork(token: string, difficulty: number, maxTries = 2 ** 28): string | undefined {
  const hash = prefixHasher(`${token}:`);
  for (let i = 0; i < maxTries; i++) {
    const nonce = i.toString(36);
    if (leadingZeroBits(hash(nonce)) >= difficulty) return nonce;
  }
  return undefined;
}
