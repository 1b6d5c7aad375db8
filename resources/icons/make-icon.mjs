// Draws the app icon (512×512 PNG, anti-aliased) without image libraries: node resources/icons/make-icon.mjs
// A dark rounded tile with a red tyre ring and a white "P". electron-builder derives .icns/.ico from icon.png.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const S = 512;
const clamp = (x) => Math.max(0, Math.min(1, x));
const cover = (d) => clamp(0.5 - d); // signed distance (px) → pixel coverage
const box = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const ring = (x, y, cx, cy, r0, r1) => {
  const d = Math.hypot(x - cx, y - cy);
  return Math.max(r0 - d, d - r1);
};
const layers = [
  { color: [13, 16, 23], sdf: (x, y) => box(x, y, 256, 256, 240, 240, 96) },
  { color: [225, 6, 0], sdf: (x, y) => ring(x, y, 256, 256, 168, 206) },
  { color: [60, 68, 88], sdf: (x, y) => ring(x, y, 256, 256, 150, 158) },
  { color: [240, 242, 246], sdf: (x, y) => box(x, y, 214, 245, 26, 125, 8) },
  { color: [240, 242, 246], sdf: (x, y) => Math.max(ring(x, y, 262, 206, 34, 86), 214 - x) },
];
const rows = [];
for (let y = 0; y < S; y++) {
  const row = Buffer.alloc(1 + S * 4);
  for (let x = 0; x < S; x++) {
    let [r, g, b, a] = [0, 0, 0, 0];
    for (const l of layers) {
      const c = cover(l.sdf(x + 0.5, y + 0.5));
      if (c <= 0) continue;
      const na = c + a * (1 - c);
      [r, g, b] = [0, 1, 2].map((k) => (l.color[k] * c + [r, g, b][k] * a * (1 - c)) / na);
      a = na;
    }
    row.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], 1 + x * 4);
  }
  rows.push(row);
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(S, 0);
ihdr.writeUInt32BE(S, 4);
ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
