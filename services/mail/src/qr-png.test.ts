import { crc32, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { qrModules, qrPng } from "./qr-png.ts";

/** The PNG's chunks, each CRC checked, as a decoder reads them. */
function chunks(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const found: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const typed = png.subarray(at + 4, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(typed));
    found.push({ type: typed.subarray(0, 4).toString("ascii"), data: typed.subarray(4) });
    at += 12 + length;
  }
  return found;
}

/** The scanlines' pixels, as a decoder undoes their filters (none and Up are all a QR needs; any other fails). */
function unfilter(data: Buffer, width: number): Buffer {
  const stride = width + 1;
  expect(data.length).toBe(stride * width);
  const pixels = Buffer.alloc(stride * width);
  for (let y = 0; y < width; y++) {
    const filter = data[y * stride];
    expect([0, 2]).toContain(filter);
    for (let x = 1; x < stride; x++) {
      const above = y > 0 && filter === 2 ? pixels[(y - 1) * stride + x]! : 0;
      pixels[y * stride + x] = (data[y * stride + x]! + above) & 0xff;
    }
  }
  return pixels;
}

describe("qr png", () => {
  it.each(["RT2.short", `RT2.${"a1".repeat(120)}`])("qr png: a valid grayscale PNG whose pixels are the QR's modules, each a whole square (%#)", (payload) => {
    const found = chunks(qrPng(payload));
    expect(found.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    const header = found[0]!.data;
    const width = header.readUInt32BE(0);
    expect(header.readUInt32BE(4)).toBe(width);
    expect([...header.subarray(8)]).toEqual([8, 0, 0, 0, 0]); // 8-bit grayscale, deflate, no interlace
    const modules = qrModules(payload);
    const side = modules.size + 4;
    const scale = width / side;
    expect(Number.isInteger(scale)).toBe(true);
    expect(Math.abs(width - 440)).toBeLessThanOrEqual(side / 2);
    const raw = unfilter(inflateSync(found[1]!.data), width);
    let wrong = 0;
    for (let y = 0; y < width; y++) {
      for (let x = 0; x < width; x++) {
        const row = Math.floor(y / scale) - 2;
        const col = Math.floor(x / scale) - 2;
        const dark = row >= 0 && col >= 0 && row < modules.size && col < modules.size && modules.get(row, col) === 1;
        if (raw[y * (width + 1) + 1 + x] !== (dark ? 0 : 255)) wrong++;
      }
    }
    expect(wrong).toBe(0);
  });
});
