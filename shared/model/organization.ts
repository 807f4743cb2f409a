import { z } from 'zod';
import { COUNTRY_CODES, LANGUAGE_CODES } from './iso-codes.ts';
import { LIMITS, isValidEmail } from './organization-values.ts';

// Validation messages are i18n keys (see shared/i18n): the core reports them in English,
// the renderer shows them in the user's language.

export const ORG_TYPES = ['partner', 'client', 'suborg'] as const;
export type OrgType = (typeof ORG_TYPES)[number];

export const SECTORS = [
  'agriculture', 'construction', 'education', 'energy', 'finance', 'government', 'healthcare',
  'hospitality', 'insurance', 'legal', 'logistics', 'manufacturing', 'media', 'nonprofit',
  'professional_services', 'real_estate', 'retail', 'technology', 'telecommunications', 'other',
] as const;
export type Sector = (typeof SECTORS)[number];

export { LIMITS, isValidEmail };

const countrySet: ReadonlySet<string> = new Set(COUNTRY_CODES);
const languageSet: ReadonlySet<string> = new Set(LANGUAGE_CODES);

export const Id = z.string().uuid({ error: 'common.id_invalid' });

export const OrgName = z
  .string({ error: 'org.name_required' })
  .trim()
  .min(LIMITS.nameMin, { error: 'org.name_too_short' })
  .max(LIMITS.nameMax, { error: 'org.name_too_long' });

export const Email = z
  .string({ error: 'org.email_required' })
  .trim()
  // abort: one message per problem, not "required" and "invalid" together.
  .min(1, { error: 'org.email_required', abort: true })
  .max(LIMITS.emailMax, { error: 'org.email_too_long', abort: true })
  .refine(isValidEmail, { error: 'org.email_invalid' })
  .transform((v) => v.toLowerCase());

/** Language: an ISO 639-1 code, optionally with an ISO 3166-1 region (BCP 47 "pt-BR"). */
export function normalizeLanguage(value: string): string | null {
  const m = /^([A-Za-z]{2})(?:[-_]([A-Za-z]{2}))?$/.exec(value.trim());
  if (!m) return null;
  const lang = m[1]!.toLowerCase();
  const region = m[2]?.toUpperCase();
  if (!languageSet.has(lang)) return null;
  if (region !== undefined && !countrySet.has(region)) return null;
  return region ? `${lang}-${region}` : lang;
}

export const Language = z
  .string({ error: 'org.language_invalid' })
  .transform((v, ctx) => {
    const n = normalizeLanguage(v);
    if (n === null) {
      ctx.addIssue({ code: 'custom', message: 'org.language_invalid' });
      return z.NEVER;
    }
    return n;
  });

export const Country = z
  .string({ error: 'org.country_invalid' })
  .transform((v) => v.trim().toUpperCase())
  .refine((v) => countrySet.has(v), { error: 'org.country_invalid' });

export const SectorSchema = z.enum(SECTORS, { error: 'org.sector_invalid' });

export const Description = z
  .string()
  .trim()
  .max(LIMITS.descriptionMax, { error: 'org.description_too_long' });

/** The editable General fields. */
export const GeneralFields = z.object({
  name: OrgName,
  email: Email,
  language: Language,
  country: Country,
  sector: SectorSchema,
  description: Description,
});
export type GeneralFields = z.output<typeof GeneralFields>;

export const OrgSummary = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(ORG_TYPES),
  parentId: z.string().nullable(),
  isSample: z.boolean(),
});
export type OrgSummary = z.output<typeof OrgSummary>;

export const Actor = z.object({ id: z.string(), name: z.string(), email: z.string() });
export type Actor = z.output<typeof Actor>;

export const OrgDetail = z.object({
  id: z.string(),
  type: z.enum(ORG_TYPES),
  parentId: z.string().nullable(),
  name: z.string(),
  email: z.string(),
  language: z.string(),
  country: z.string(),
  sector: z.enum(SECTORS),
  description: z.string(),
  isSample: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: Actor.nullable(),
  updatedAt: z.string(),
  updatedBy: Actor.nullable(),
  facts: z.object({
    members: z.number().int(),
    products: z.number().int(),
    subOrganizations: z.number().int(),
  }),
  /** For client organizations: the partner they belong to. */
  partner: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Path from the top of the tree, for breadcrumbs. */
  path: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type OrgDetail = z.output<typeof OrgDetail>;
