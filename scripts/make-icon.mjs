// Draws the extension icon (images/icon.png, 128x128) without an image library:
// a rounded indigo tile with three "YAML lines" and a green check. Run it again
// only to change the icon; the PNG is committed.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const px = new Uint8Array(N * N * 4);

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** Coverage of a pixel by a shape given as a signed distance (negative inside), for soft edges. */
const cover = (d) => Math.max(0, Math.min(1, 0.5 - d));
function blend(x, y, [r, g, b], a) {
  const i = (y * N + x) * 4;
  const keep = 1 - a;
  px[i] = px[i] * keep + r * a;
  px[i + 1] = px[i + 1] * keep + g * a;
  px[i + 2] = px[i + 2] * keep + b * a;
  px[i + 3] = Math.min(255, px[i + 3] + 255 * a);
}
function roundRect(x0, y0, x1, y1, rad, colour) {
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) {
    const qx = Math.max(x0 + rad - (x + 0.5), 0, x + 0.5 - (x1 - rad));
    const qy = Math.max(y0 + rad - (y + 0.5), 0, y + 0.5 - (y1 - rad));
    const a = cover(Math.hypot(qx, qy) - rad);
    if (a > 0) blend(x, y, typeof colour === 'function' ? colour(x, y) : colour, a);
  }
}
function segment(ax, ay, bx, by, width, colour) {
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) {
    const px_ = x + 0.5 - ax, py_ = y + 0.5 - ay, dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, (px_ * dx + py_ * dy) / (dx * dx + dy * dy)));
    const a = cover(Math.hypot(px_ - t * dx, py_ - t * dy) - width / 2);
    if (a > 0) blend(x, y, colour, a);
  }
}

roundRect(4, 4, 124, 124, 22, (x, y) => [48 + (x + y) * 0.12, 42 + y * 0.1, 140 + x * 0.35]);
const white = [240, 242, 255];
const amber = [255, 190, 70];
for (const [i, len] of [[0, 52], [1, 70], [2, 40]]) {
  const y = 34 + i * 22;
  roundRect(22, y, 22 + 12, y + 10, 5, amber);
  roundRect(40, y, 40 + len, y + 10, 5, white);
}
segment(70, 98, 84, 110, 10, [70, 210, 120]);
segment(84, 110, 108, 80, 10, [70, 210, 120]);

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0;
  Buffer.from(px.buffer, y * N * 4, N * 4).copy(raw, y * (N * 4 + 1) + 1);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(N, 0);
header.writeUInt32BE(N, 4);
header.set([8, 6, 0, 0, 0], 8);
mkdirSync('images', { recursive: true });
writeFileSync('images/icon.png', Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]));
