/**
 * Products of an organization, their agent settings (per product, overridable per reporting group)
 * and their daily consumption. Validation messages are i18n keys (shared/i18n/products.ts).
 */
import { z } from 'zod';

export const PRODUCT_ENVIRONMENTS = ['Production', 'Pre-production', 'Test', 'Development'] as const;
export const PRODUCT_TYPES = ['Workspaces', 'Analyzer'] as const;
export const PRODUCT_STATES = ['enabled', 'disabled'] as const;
export type ProductState = (typeof PRODUCT_STATES)[number];

export const EVENT_LOG_LEVELS = ['critical', 'error', 'warning', 'information'] as const;
export type EventLogLevel = (typeof EVENT_LOG_LEVELS)[number];
export const REMOTE_ASSISTANCE_TYPES = ['none', 'interactive', 'interactive_unattended', 'dynamic'] as const;
/** Who may run applications as SYSTEM during a remote session: nobody, or this role and the ones above it. */
export const RUN_AS_SYSTEM_ROLES = ['nobody', 'partner_administrators', 'organization_administrators', 'operators'] as const;
export const SECURITY_MODES = ['default', 'simplified'] as const;
export const ANALYZER_PROXY_MODES = ['system', 'agent_detected'] as const;

/**
 * The role of the person at the console. Standalone, it is a setting of this console (the operator
 * profile has no role); connected to a Portal it is the signed-in user's role.
 */
export const CONSOLE_ROLES = ['partner_administrator', 'organization_administrator'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** The agent version from which uninstallation protection is enforced on devices. */
export const UNINSTALL_PROTECTION_MIN_AGENT_VERSION = '10.2.0';

/**
 * Settings an Organization Administrator neither sees nor changes: they weaken the protection of
 * the end users' devices (removing the agent, SYSTEM rights, sessions nobody is told about), so
 * they are the partner's decision.
 */
export const ORG_ADMIN_HIDDEN_SETTINGS = ['uninstallProtection', 'runAsSystemRole', 'silentUnattended'] as const;

export const LIMITS_PRODUCTS = {
  eventIdMin: 1,
  eventIdMax: 65535,
  eventIdsPerLevel: 50,
  codeMax: 40,
  regionMax: 60,
  serviceNowMax: 100,
  groupNameMin: 2,
  groupNameMax: 60,
  groupsPerProduct: 200,
  licenseMin: 8,
  licenseMax: 128,
  figureMax: 1_000_000_000,
  csvMaxBytes: 4 * 1024 * 1024,
  csvMaxRows: 100_000,
  rangeMaxDays: 731,
} as const;

const EventId = z
  .number({ error: 'products.event_id_invalid' })
  .int({ error: 'products.event_id_invalid' })
  .min(LIMITS_PRODUCTS.eventIdMin, { error: 'products.event_id_range' })
  .max(LIMITS_PRODUCTS.eventIdMax, { error: 'products.event_id_range' });
const EventIds = z.array(EventId).max(LIMITS_PRODUCTS.eventIdsPerLevel, { error: 'products.event_ids_too_many' });

export const EventLogIds = z.object({
  critical: EventIds,
  error: EventIds,
  warning: EventIds,
  information: EventIds,
});
export type EventLogIds = z.output<typeof EventLogIds>;

export const AgentSettings = z.object({
  uninstallProtection: z.boolean(),
  eventLogIds: EventLogIds,
  remoteAssistance: z.enum(REMOTE_ASSISTANCE_TYPES, { error: 'products.choose_from_list' }),
  runAsSystemRole: z.enum(RUN_AS_SYSTEM_ROLES, { error: 'products.choose_from_list' }),
  securityMode: z.enum(SECURITY_MODES, { error: 'products.choose_from_list' }),
  silentUnattended: z.boolean(),
  analyzerProxy: z.enum(ANALYZER_PROXY_MODES, { error: 'products.choose_from_list' }),
});
export type AgentSettings = z.output<typeof AgentSettings>;
export type AgentSettingKey = keyof AgentSettings;
export const AGENT_SETTING_KEYS = Object.keys(AgentSettings.shape) as AgentSettingKey[];
export const PartialAgentSettings = AgentSettings.partial();
export type PartialAgentSettings = z.output<typeof PartialAgentSettings>;

export const DEFAULT_AGENT_SETTINGS: AgentSettings = {
  uninstallProtection: false,
  eventLogIds: { critical: [], error: [], warning: [], information: [] },
  remoteAssistance: 'interactive',
  runAsSystemRole: 'nobody',
  securityMode: 'default',
  // Off by default: a session the end user is not told about needs a deliberate decision.
  silentUnattended: false,
  analyzerProxy: 'system',
};

export const ProductCode = z
  .string({ error: 'products.code_required' })
  .trim()
  .min(1, { error: 'products.code_required' })
  .max(LIMITS_PRODUCTS.codeMax, { error: 'products.code_too_long' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'products.code_invalid' });

export const Region = z
  .string({ error: 'products.region_required' })
  .trim()
  .min(1, { error: 'products.region_required' })
  .max(LIMITS_PRODUCTS.regionMax, { error: 'products.region_too_long' });

export const ServiceNowEnvironment = z
  .string()
  .trim()
  .max(LIMITS_PRODUCTS.serviceNowMax, { error: 'products.servicenow_too_long' });

export const LicenseKey = z
  .string({ error: 'products.license_required' })
  .trim()
  .min(LIMITS_PRODUCTS.licenseMin, { error: 'products.license_too_short' })
  .max(LIMITS_PRODUCTS.licenseMax, { error: 'products.license_too_long' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, { error: 'products.license_invalid' });

/**
 * What sync records of a license key instead of the key (the call's input is kept in the outbox, in
 * SQLite): its mask and reference. Only the Portal's re-run of a pushed call may send it; the key
 * itself stays in the keychain of the console where it was typed.
 */
export const RecordedLicense = z.object({ masked: z.string().max(12), ref: z.string().uuid() });

export const GroupName = z
  .string({ error: 'products.group_name_required' })
  .trim()
  .min(LIMITS_PRODUCTS.groupNameMin, { error: 'products.group_name_too_short' })
  .max(LIMITS_PRODUCTS.groupNameMax, { error: 'products.group_name_too_long' });

/** A calendar day, YYYY-MM-DD (UTC). */
export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'products.day_invalid' });

export const NewProduct = z.object({
  orgId: z.string().uuid({ error: 'common.id_invalid' }),
  environment: z.enum(PRODUCT_ENVIRONMENTS, { error: 'products.choose_from_list' }),
  productType: z.enum(PRODUCT_TYPES, { error: 'products.choose_from_list' }),
  code: ProductCode,
  region: Region,
  serviceNowEnvironment: ServiceNowEnvironment.default(''),
  licenseKey: LicenseKey.optional(),
});

export const ProductChanges = z.object({
  environment: z.enum(PRODUCT_ENVIRONMENTS, { error: 'products.choose_from_list' }),
  region: Region,
  serviceNowEnvironment: ServiceNowEnvironment,
  state: z.enum(PRODUCT_STATES, { error: 'products.choose_from_list' }),
  digitalActivity: z.boolean(),
}).partial();

/** A product as the table and its details show it (the license key only masked). */
export const ProductRow = z.object({
  id: z.string(),
  orgId: z.string(),
  version: z.number().int(),
  // Strings, not enums: a product synced from a Portal may carry a value this version does not list.
  environment: z.string(),
  productType: z.string(),
  code: z.string(),
  region: z.string(),
  state: z.string(),
  createdAt: z.string(),
  serviceNowEnvironment: z.string(),
  licenseKeyMasked: z.string(),
  digitalActivity: z.boolean(),
  reportingGroups: z.number().int(),
  lastConsumptionDay: z.string().nullable(),
});
export type ProductRow = z.output<typeof ProductRow>;

export const ConsumptionPoint = z.object({ day: z.string(), figure: z.number().nullable() });
export const ConsumptionSeries = z.object({
  productId: z.string(),
  from: z.string(),
  to: z.string(),
  /** One point per day of the range; figure null = no data that day (not zero). */
  points: z.array(ConsumptionPoint),
  total: z.number(),
  average: z.number().nullable(),
  peak: ConsumptionPoint.nullable(),
  daysWithData: z.number().int(),
  /** Where the figures of the range came from (Portal sync, CSV import, sample data). */
  sources: z.array(z.string()),
});
export type ConsumptionSeries = z.output<typeof ConsumptionSeries>;

export const CONSUMPTION_SOURCES = ['portal', 'import', 'sample'] as const;

export const CsvRowIssue = z.object({
  line: z.number().int(),
  column: z.enum(['file', 'date', 'product', 'figure']),
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type CsvRowIssue = z.output<typeof CsvRowIssue>;

export const ConsumptionImportResult = z.object({
  /** False when any row was refused: then nothing at all was written. */
  applied: z.boolean(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  products: z.number().int(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  errors: z.array(CsvRowIssue),
  /** Errors beyond the first ones listed are only counted. */
  errorCount: z.number().int(),
});
export type ConsumptionImportResult = z.output<typeof ConsumptionImportResult>;

export const ReportingGroupView = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  overrides: PartialAgentSettings,
  effective: PartialAgentSettings,
  /** The settings whose effective value differs from the product's. */
  differs: z.array(z.string()),
});

export const AgentSettingsView = z.object({
  productId: z.string(),
  productVersion: z.number().int(),
  role: z.enum(CONSOLE_ROLES),
  /** Hidden settings are left out for a role that may not see them. */
  settings: PartialAgentSettings,
  hidden: z.array(z.string()),
  minAgentVersion: z.string(),
  groups: z.array(ReportingGroupView),
});
export type AgentSettingsView = z.output<typeof AgentSettingsView>;
