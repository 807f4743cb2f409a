/**
 * Image checks for Branding uploads, by content and never by file name or declared type.
 * Only raster formats browsers render without running code are accepted; SVG is refused
 * because it can carry script and external references.
 */
export const IMAGE_LIMITS = {
  logo: { maxBytes: 1024 * 1024, maxSide: 4096 },
  cover: { maxBytes: 3 * 1024 * 1024, maxSide: 8192 },
} as const;
export type ImageSlot = keyof typeof IMAGE_LIMITS;

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp';
export interface ImageInfo { mime: ImageMime; width: number; height: number }
export type ImageCheck = { ok: true; info: ImageInfo } | { ok: false; error: string; params?: Record<string, number | string> };

const u16be = (b: Uint8Array, o: number) => ((b[o]! << 8) | b[o + 1]!) >>> 0;
const u32be = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
const u16le = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8)) >>> 0;
const u24le = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) >>> 0;
const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));

function pngInfo(b: Uint8Array): ImageInfo | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 33 || !sig.every((v, i) => b[i] === v) || ascii(b, 12, 4) !== 'IHDR') return null;
  return { mime: 'image/png', width: u32be(b, 16), height: u32be(b, 20) };
}

function jpegInfo(b: Uint8Array): ImageInfo | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return null;
  let o = 2;
  while (o + 9 < b.length) {
    if (b[o] !== 0xff) return null;
    const marker = b[o + 1]!;
    if (marker === 0xff) { o += 1; continue; }
    // Standalone markers carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) { o += 2; continue; }
    const len = u16be(b, o + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) hold the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { mime: 'image/jpeg', height: u16be(b, o + 5), width: u16be(b, o + 7) };
    }
    if (len < 2) return null;
    o += 2 + len;
  }
  return null;
}

function webpInfo(b: Uint8Array): ImageInfo | null {
  if (b.length < 30 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return { mime: 'image/webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return null;
    const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0;
    return { mime: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    return { mime: 'image/webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  }
  return null;
}

function looksLikeSvgOrHtml(b: Uint8Array): boolean {
  const head = ascii(b, 0, Math.min(b.length, 1024)).replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  return head.startsWith('<') && (head.includes('<svg') || head.startsWith('<?xml') || head.includes('<html') || head.includes('<script'));
}

export function checkImage(bytes: Uint8Array, slot: ImageSlot): ImageCheck {
  const limits = IMAGE_LIMITS[slot];
  if (bytes.length === 0) return { ok: false, error: 'branding.image_empty' };
  if (bytes.length > limits.maxBytes) {
    return { ok: false, error: 'branding.image_too_large', params: { max: Math.round(limits.maxBytes / 1024 / 1024) } };
  }
  if (looksLikeSvgOrHtml(bytes)) return { ok: false, error: 'branding.svg_refused' };
  const info = pngInfo(bytes) ?? jpegInfo(bytes) ?? webpInfo(bytes);
  if (!info) return { ok: false, error: 'branding.image_format' };
  if (info.width < 1 || info.height < 1) return { ok: false, error: 'branding.image_format' };
  if (info.width > limits.maxSide || info.height > limits.maxSide) {
    return { ok: false, error: 'branding.image_dimensions', params: { max: limits.maxSide } };
  }
  return { ok: true, info };
}

/** Decode standard base64 without Node's Buffer (this folder runs in the browser too). */
export function base64ToBytes(b64: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return null;
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
