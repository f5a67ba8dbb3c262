// Shared by the k6 scripts. ES2015 that k6 v0.48 compiles: no object spread, no `?.`, no `??`.

/** What a browser sends, so the gate's bot score sees a person (the Node runner sends the same). */
export const BROWSER_HEADERS = {
  accept: "application/json",
  "accept-language": "en-GB,en;q=0.9",
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 rush-loadtest",
};

/** Load only ever goes to this machine: 127.0.0.0/8, localhost or [::1]. */
export function assertLoopback(base) {
  if (!/^https?:\/\/(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(:\d+)?\/?$/.test(base)) {
    throw new Error(`BASE_URL must be a loopback address, got ${base}`);
  }
  return base.replace(/\/$/, "");
}
