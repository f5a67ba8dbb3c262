/** Load only ever goes to this machine: 127.0.0.0/8, localhost or [::1]. */
export function assertLoopback(baseUrl: string): URL {
  const url = new URL(baseUrl);
  const host = url.hostname;
  if (host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return url;
  throw new Error(`refusing to load ${baseUrl}: only loopback addresses are allowed`);
}
