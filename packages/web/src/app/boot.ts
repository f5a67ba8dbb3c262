import { BOOT_ELEMENT_ID, type BootData } from "../boot-data.ts";

let boot: BootData | null | undefined;

function read(): BootData | null {
  if (boot !== undefined) return boot;
  boot = null;
  const text = document.getElementById(BOOT_ELEMENT_ID)?.textContent;
  if (!text) return boot;
  try {
    const parsed = JSON.parse(text) as BootData;
    if (typeof parsed?.sessionId === "string") boot = parsed;
  } catch {
    // A page without usable data loads it over the network, as every page did before.
  }
  return boot;
}

/**
 * What the page's HTML carried for this session (see `boot-data.ts`), handed out once: it is
 * as fresh as the page load, so a later visit in the same tab reads from the network again.
 */
export function takeBoot<K extends "session" | "seats" | "venueSeatMap">(key: K, sessionId: string): BootData[K] | undefined {
  const data = read();
  if (!data || data.sessionId !== sessionId) return undefined;
  const value = data[key];
  delete data[key];
  return value;
}
