/** What worker threads need of branding.ts, without zod (see organization-values.ts). */
import type { Palette } from './branding.ts';

export const DEFAULT_PALETTE: Palette = { primary: '#1F5EFF', secondary: '#0B1F44', accent: '#12B886' };
