/** Minimal PNG decoder for tests (8-bit RGB/RGBA/grey, non-interlaced), enough to count ink pixels. */
import { inflateSync } from 'node:zlib';

export interface Decoded {
  readonly width: number;
  readonly height: number;
  /** RGBA, 4 bytes per pixel */
  readonly rgba: Uint8Array;
}

export function decodePng(buf: Buffer): Decoded {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs');
      colorType = data[9] as number;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType as 0 | 2 | 4 | 6];
  if (channels === undefined) throw new Error(`colour type ${colorType} not supported`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const src = y * (stride + 1) + 1;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (out[y * stride + x - channels] as number) : 0;
      const b = y > 0 ? (out[(y - 1) * stride + x] as number) : 0;
      const c = x >= channels && y > 0 ? (out[(y - 1) * stride + x - channels] as number) : 0;
      const v = raw[src + x] as number;
      let r: number;
      switch (filter) {
        case 0: r = v; break;
        case 1: r = v + a; break;
        case 2: r = v + b; break;
        case 3: r = v + ((a + b) >> 1); break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          r = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default: throw new Error(`bad filter ${filter}`);
      }
      out[y * stride + x] = r & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = out.subarray(i * channels, i * channels + channels);
    const grey = channels <= 2;
    rgba[i * 4] = s[0] as number;
    rgba[i * 4 + 1] = (grey ? s[0] : s[1]) as number;
    rgba[i * 4 + 2] = (grey ? s[0] : s[2]) as number;
    rgba[i * 4 + 3] = channels === 4 ? (s[3] as number) : channels === 2 ? (s[1] as number) : 255;
  }
  return { width, height, rgba };
}

/** Pixels darker than `threshold` (luma, 0..255) inside the rectangle [x0, x1) × [y0, y1). */
export function inkPixels(img: Decoded, x0 = 0, y0 = 0, x1 = img.width, y1 = img.height, threshold = 110): number {
  let n = 0;
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(img.width, x1); x++) {
      const i = (y * img.width + x) * 4;
      const luma = 0.299 * (img.rgba[i] as number) + 0.587 * (img.rgba[i + 1] as number) + 0.114 * (img.rgba[i + 2] as number);
      if ((img.rgba[i + 3] as number) > 128 && luma < threshold) n++;
    }
  }
  return n;
}
