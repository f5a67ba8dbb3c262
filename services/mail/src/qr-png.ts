import { crc32, deflateSync } from "node:zlib";
import QRCode from "qrcode";

/** About this many pixels a side: sized for a phone held to a scanner. */
const TARGET_WIDTH = 440;
/** Light modules around the code, as a scanner wants them. */
const MARGIN = 2;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A ticket's QR code as a grayscale PNG, error correction M (survives a cracked screen), each
 * module a whole number of pixels. Written here from qrcode's module matrix rather than by
 * qrcode's PNG renderer: that one maps every pixel of a 440×440 RGBA image back to its module
 * and pngjs then tries five filters on every row, ~40 ms of CPU per ticket. In a 2,000-buyer
 * flash sale (~4,500 tickets) that made the mail worker the largest CPU user of the stack, on
 * the cores the gate needs. Here a row of modules is one scanline, repeated: ~1 ms.
 */
export function qrPng(payload: string): Buffer {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: "M" });
  const side = modules.size + 2 * MARGIN;
  const scale = Math.max(1, Math.round(TARGET_WIDTH / side));
  const width = side * scale;
  // Scanlines of 1 filter byte (0: none) + 1 byte per pixel: 0 dark, 255 light.
  const stride = width + 1;
  const raw = Buffer.alloc(stride * width, 255);
  for (let y = 0; y < width; y++) raw[y * stride] = 0;
  for (let row = 0; row < modules.size; row++) {
    const first = (row + MARGIN) * scale * stride;
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      const start = first + 1 + (col + MARGIN) * scale;
      raw.fill(0, start, start + scale);
    }
    for (let copy = 1; copy < scale; copy++) raw.copy(raw, first + copy * stride, first, first + stride);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  return Buffer.concat([PNG_SIGNATURE, chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}
