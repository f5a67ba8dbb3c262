/**
 * SHA-256 (FIPS 180-4) for the waiting room's proof of work, where a Web Worker hashes
 * `token:nonce` a few hundred thousand times: the token's whole 64-byte blocks are compressed
 * once (the "midstate") and each nonce costs one or two more blocks. WebCrypto's digest is
 * async per call, far slower for this.
 */
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const w = new Uint32Array(64);

/** Compresses the 64-byte block at `bytes[offset…]` into `h`. */
function compress(h: Uint32Array, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let f = h[5]!;
  let g = h[6]!;
  let hh = h[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + hh) | 0;
}

const encoder = new TextEncoder();

/**
 * A hasher for `prefix + suffix` with the prefix's whole blocks done once. Returns the digest
 * as eight big-endian 32-bit words (reused between calls: copy what you keep).
 */
export function prefixHasher(prefix: string): (suffix: string) => Uint32Array {
  const head = encoder.encode(prefix);
  const whole = head.length - (head.length % 64);
  const mid = new Uint32Array(INITIAL);
  for (let offset = 0; offset < whole; offset += 64) compress(mid, head, offset);
  const tail = head.subarray(whole);
  const h = new Uint32Array(8);
  const buffer = new Uint8Array(256);
  return (suffix) => {
    const rest = encoder.encode(suffix);
    const length = tail.length + rest.length;
    const blocks = Math.ceil((length + 9) / 64);
    const block = blocks * 64 <= buffer.length ? buffer.subarray(0, blocks * 64) : new Uint8Array(blocks * 64);
    block.fill(0);
    block.set(tail, 0);
    block.set(rest, tail.length);
    block[length] = 0x80;
    const bits = (whole + length) * 8;
    const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
    view.setUint32(block.length - 8, Math.floor(bits / 2 ** 32));
    view.setUint32(block.length - 4, bits >>> 0);
    h.set(mid);
    for (let offset = 0; offset < block.length; offset += 64) compress(h, block, offset);
    return h;
  };
}

/** SHA-256 of a string, as hex. */
export function sha256Hex(text: string): string {
  return Array.from(prefixHasher("")(text), (word) => (word >>> 0).toString(16).padStart(8, "0")).join("");
}

/** Leading zero bits of a digest given as words. */
export function leadingZeroBits(digest: Uint32Array): number {
  let bits = 0;
  for (const word of digest) {
    if (word === 0) {
      bits += 32;
      continue;
    }
    return bits + Math.clz32(word);
  }
  return bits;
}
