import { z } from 'zod';
import { Actor } from './organization.ts';

export const HEX_COLOUR_RE = /^#[0-9A-Fa-f]{6}$/;
export const HexColour = z
  .string({ error: 'branding.colour_invalid' })
  .trim()
  .regex(HEX_COLOUR_RE, { error: 'branding.colour_invalid' })
  .transform((v) => v.toUpperCase());

export const PALETTE_ROLES = ['primary', 'secondary', 'accent'] as const;
export const Palette = z.object({ primary: HexColour, secondary: HexColour, accent: HexColour });
export type Palette = z.output<typeof Palette>;
export { DEFAULT_PALETTE } from './branding-values.ts';

export const StoredImage = z.object({
  mime: z.enum(['image/png', 'image/jpeg', 'image/webp']),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string(),
  /** data: URL, so the renderer can show it under a CSP that allows only 'self' and data: images. */
  dataUrl: z.string(),
});
export type StoredImage = z.output<typeof StoredImage>;

export const BrandingView = z.object({
  orgId: z.string(),
  logo: StoredImage.nullable(),
  cover: StoredImage.nullable(),
  palette: Palette,
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  updatedBy: Actor.nullable(),
});
export type BrandingView = z.output<typeof BrandingView>;

/** An image change: new bytes (base64), or null to remove it. Absent = unchanged. */
export const ImageUpload = z.object({ base64: z.string().max(6 * 1024 * 1024, { error: 'branding.image_too_large' }) }).nullable();
