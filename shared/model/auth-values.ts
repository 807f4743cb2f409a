/** What worker threads need of auth.ts, without zod (see organization-values.ts). */
import type { LinkPurpose } from './auth.ts';

/** How long a one-time link lives. */
export const LINK_TTL_HOURS: Record<LinkPurpose, number> = { welcome: 72, reset: 1 };
