// Generates build/icon.png (512x512 RGBA): a shield with a keyhole on a rounded blue square.
// electron-builder derives the .ico/.icns/Linux sizes from it. Run: node build/make-icon.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4; // supersampling per axis, for smooth edges

const BACKGROUND = [27, 94, 160]; // blue
const SHIELD = [245, 247, 250]; // near white
const KEYHOLE = [27, 94, 160];

function insideRoundedSquare(x, y) {
  const margin = 16;
  const radius = 96;
  const lo = margin + radius;
  const hi = SIZE - margin - radius;
  const cx = Math.min(Math.max(x, lo), hi);
  const cy = Math.min(Math.max(y, lo), hi);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function insideShield(x, y) {
  const top = 104;
  const shoulder = 168;
  const bottom = 424;
  const half = 148;
  const cx = SIZE / 2;
  if (y < top || y > bottom) return false;
  if (y <= shoulder) {
    // a gently curved top edge
    const dx = Math.abs(x - cx);
    const edge = top + ((shoulder - top) * 0.35 * dx) / half;
    return dx <= half && y >= edge;
  }
  // the sides narrow to a point along a curve
  const t = (y - shoulder) / (bottom - shoulder);
  const width = half * Math.sqrt(Math.max(0, 1 - t * t));
  return Math.abs(x - cx) <= width;
}

function insideKeyhole(x, y) {
  const cx = SIZE / 2;
  const cy = 236;
  if ((x - cx) ** 2 + (y - cy) ** 2 <= 36 ** 2) return true;
  // the slot widens slightly towards the bottom
  if (y >= cy && y <= 336) {
    const halfWidth = 14 + ((y - cy) / (336 - cy)) * 10;
    return Math.abs(x - cx) <= halfWidth;
  }
  return false;
}

function pixel(x, y) {
  let r = 0;
  let g = 0;
  let b = 0;
  let a = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const px = x + (sx + 0.5) / SAMPLES;
      const py = y + (sy + 0.5) / SAMPLES;
      if (!insideRoundedSquare(px, py)) continue;
      let colour = BACKGROUND;
      if (insideShield(px, py)) colour = insideKeyhole(px, py) ? KEYHOLE : SHIELD;
      r += colour[0];
      g += colour[1];
      b += colour[2];
      a += 255;
    }
  }
  const n = SAMPLES * SAMPLES;
  if (a === 0) return [0, 0, 0, 0];
  const covered = a / 255;
  return [r / covered, g / covered, b / covered, a / n].map(Math.round);
}

const raw = Buffer.alloc(SIZE * (1 + SIZE * 4));
for (let y = 0; y < SIZE; y++) {
  const row = y * (1 + SIZE * 4);
  raw[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const [r, g, b, a] = pixel(x, y);
    raw.set([r, g, b, a], row + 1 + x * 4);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // colour type: RGBA
header[10] = 0; // compression
header[11] = 0; // filter
header[12] = 0; // no interlace

const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png');
fs.writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
