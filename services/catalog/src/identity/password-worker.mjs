// A piscina worker: scrypt runs here, synchronously, so hashing never touches the event loop
// nor the libuv thread pool (which fs and dns share). Plain JavaScript because worker threads
// load it without the TypeScript loader (vitest workers have none).
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { performance } from "node:perf_hooks";

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const R = 8;
const P = 1;

/** @param {string} password @param {Buffer} salt @param {number} logN @param {number} r @param {number} p */
function derive(password, salt, logN, r, p) {
  const N = 2 ** logN;
  return scryptSync(password.normalize("NFKC"), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r });
}

/**
 * `{op: "hash", password, logN}` → `$scrypt$ln=<logN>,r=8,p=1$<salt>$<key>` (base64, PHC style);
 * `{op: "verify", password, hash}` → boolean; either as `{value, ms}` with the time it took (the
 * pool admits work by it). The stored hash carries its own cost, so a raised `logN` applies to
 * new hashes while old ones keep verifying.
 * @param {{op: "hash", password: string, logN: number} | {op: "verify", password: string, hash: string}} task
 */
export default function run(task) {
  const start = performance.now();
  const value = compute(task);
  return { value, ms: performance.now() - start };
}

/** @param {{op: "hash", password: string, logN: number} | {op: "verify", password: string, hash: string}} task */
function compute(task) {
  if (task.op === "hash") {
    const salt = randomBytes(SALT_LENGTH);
    const key = derive(task.password, salt, task.logN, R, P);
    return `$scrypt$ln=${task.logN},r=${R},p=${P}$${salt.toString("base64")}$${key.toString("base64")}`;
  }
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(task.hash);
  if (match === null) return false;
  const [, logN, r, p, salt, key] = match;
  const expected = Buffer.from(key, "base64");
  const actual = derive(task.password, Buffer.from(salt, "base64"), Number(logN), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
