import { describe, expect, it } from 'vitest';
import { base64ToBytes, checkImage, IMAGE_LIMITS } from '../../shared/rules/image.ts';
import { translate } from '../../shared/i18n/index.ts';
import { jpegHeader, pngImage, SVG_WITH_SCRIPT, webpHeader } from '../fixtures/images.ts';

const message = (r: ReturnType<typeof checkImage>) => (r.ok ? 'ok' : translate(r.error, r.params));

describe('branding images are checked by content', () => {
  it('accepts PNG, JPEG and WebP and reads their size', () => {
    expect(checkImage(pngImage(3, 2), 'logo')).toEqual({ ok: true, info: { mime: 'image/png', width: 3, height: 2 } });
    expect(checkImage(jpegHeader(640, 480), 'logo')).toEqual({ ok: true, info: { mime: 'image/jpeg', width: 640, height: 480 } });
    expect(checkImage(webpHeader(300, 100), 'cover')).toEqual({ ok: true, info: { mime: 'image/webp', width: 300, height: 100 } });
  });

  it('refuses SVG, even with a leading BOM or whitespace, saying why', () => {
    expect(message(checkImage(SVG_WITH_SCRIPT, 'logo'))).toBe(
      'SVG images are not accepted because they can contain scripts. Use PNG, JPEG or WebP.');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('  \n<svg onload="x()"></svg>')]);
    expect(checkImage(bom, 'logo')).toMatchObject({ ok: false, error: 'branding.svg_refused' });
  });

  it('refuses a file that only pretends to be an image', () => {
    expect(message(checkImage(Buffer.from('GIF89a not allowed'), 'logo'))).toBe('This file is not a PNG, JPEG or WebP image.');
    expect(message(checkImage(Buffer.from('%PDF-1.7 ...'), 'cover'))).toBe('This file is not a PNG, JPEG or WebP image.');
    // A PNG signature with a broken header is not a PNG.
    expect(checkImage(pngImage(2, 2).subarray(0, 20), 'logo')).toMatchObject({ ok: false, error: 'branding.image_format' });
  });

  it('refuses empty and oversized files with the limit in the message', () => {
    expect(message(checkImage(new Uint8Array(), 'logo'))).toBe('The file is empty.');
    const big = Buffer.concat([pngImage(2, 2), Buffer.alloc(IMAGE_LIMITS.logo.maxBytes)]);
    expect(message(checkImage(big, 'logo'))).toBe('The image is too large: the limit is 1 MB.');
    expect(checkImage(big, 'cover').ok).toBe(true); // the cover allows 3 MB
  });

  it('refuses absurd dimensions', () => {
    expect(message(checkImage(jpegHeader(5000, 10), 'logo'))).toBe('The image is too big: at most 4096 pixels on each side.');
  });

  it('decodes base64 strictly', () => {
    expect(Array.from(base64ToBytes('AQID')!)).toEqual([1, 2, 3]);
    expect(base64ToBytes('not base64!')).toBeNull();
    expect(base64ToBytes('AQI')).toBeNull();
  });
});
