import { describe, expect, it } from "vitest";
import { BOOT_ELEMENT_ID, embedBootData } from "./boot-data.ts";

const PAGE = '<!doctype html><html><head><script type="module" src="/assets/a.js"></script></head><body><div id="app"></div></body></html>';

/** What a browser would read back: the data block's text, parsed. */
const readBack = (html: string) => {
  const match = new RegExp(`<script type="application/json" id="${BOOT_ELEMENT_ID}">(.*?)</script>`, "s").exec(html);
  return match ? JSON.parse(match[1]!) : undefined;
};

describe("boot data", () => {
  it("boot data: goes into the head as a data block, with the preloads before it", () => {
    const html = embedBootData(PAGE, { sessionId: "s1" }, ["/v1/venues/v1/seat-map"]);
    expect(readBack(html)).toEqual({ sessionId: "s1" });
    const head = html.slice(0, html.indexOf("</head>"));
    expect(head).toContain('<link rel="preload" as="fetch" crossorigin href="/v1/venues/v1/seat-map">');
    expect(head.indexOf("rel=\"preload\"")).toBeLessThan(head.indexOf(BOOT_ELEMENT_ID));
    expect(html.endsWith("<div id=\"app\"></div></body></html>")).toBe(true);
  });

  it("boot data: text from organizers cannot close the element or inject markup", () => {
    const eventName = '</script><script>alert(1)</script><!-- "quoted" & more';
    const html = embedBootData(PAGE, { sessionId: "s1", session: { eventName } as never }, ['/x?a="b"&c=<d>']);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain("alert(1)</script>");
    expect(html).toContain('href="/x?a=&quot;b&quot;&amp;c=&lt;d>"');
    expect(readBack(html).session.eventName).toBe(eventName);
  });
});
