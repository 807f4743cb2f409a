/**
 * The console API of Products (issue #5): the products of an organization, their details and
 * license key, their agent settings (per product, overridable per reporting group), the daily
 * consumption chart and the CSV import of daily figures.
 */
import { z } from 'zod';
import { Ok, mutation, query } from './contract-kit.ts';
import { Id } from './model/organization.ts';
import {
  AgentSettingsView, CONSOLE_ROLES, ConsumptionImportResult, ConsumptionSeries, Day, GroupName, LicenseKey,
  LIMITS_PRODUCTS, NewProduct, PartialAgentSettings, RecordedLicense, ProductChanges, ProductRow, AGENT_SETTING_KEYS,
} from './model/products.ts';

const SettingKey = z.enum(AGENT_SETTING_KEYS as [string, ...string[]], { error: 'products.choose_from_list' });

export const productsContract = {
  /** The products of one organization (not its sub-organizations), by code. */
  'products.list': query(
    z.object({ orgId: Id }),
    z.object({ items: z.array(ProductRow) }),
  ),
  'products.get': query(
    z.object({ id: Id }),
    ProductRow,
  ),
  /** Add a product; a license key given here goes to the OS keychain, SQLite keeps its last four characters. */
  'products.create': mutation(
    NewProduct.extend({ recordedLicense: RecordedLicense.optional() }),
    ProductRow,
  ),
  /** Environment, region, ServiceNow environment, status (enabled/disabled), Digital Activity. */
  'products.update': mutation(
    z.object({ id: Id, baseVersion: z.number().int().min(0), changes: ProductChanges }),
    ProductRow,
  ),
  'products.setLicenseKey': mutation(
    z.object({ id: Id, licenseKey: LicenseKey.optional(), recordedLicense: RecordedLicense.optional() }),
    ProductRow,
  ),
  /**
   * The full license key, for "copy". A mutation, not a query: every reveal is recorded (changes +
   * audit: who revealed which product's key, when), so it goes through the write path.
   */
  'products.revealLicenseKey': mutation(
    z.object({ id: Id }),
    z.object({ licenseKey: z.string() }),
  ),
  /** Delete a product with its reporting groups and consumption; `confirm` must be its code. */
  'products.delete': mutation(
    z.object({ id: Id, confirm: z.string().max(100) }),
    Ok,
  ),

  /** Daily figures of one product from `from` to `to` (both included, at most two years). */
  'products.consumption': query(
    z.object({ productId: Id, from: Day, to: Day }),
    ConsumptionSeries,
  ),
  /**
   * Import an uploaded CSV of daily figures (date, product code, figure; files.begin/append) into an
   * organization's products. Every row is checked first; if any is wrong nothing is written and
   * every problem comes back with its line. A figure already stored for that product and day is
   * replaced. The upload is discarded afterwards.
   */
  'products.importConsumption': mutation(
    z.object({
      orgId: Id,
      fileId: z.string().min(1).max(100).optional(),
      /**
       * The CSV itself instead of an upload: what sync records and the Portal re-runs (the upload
       * exists only on the console that received it); also handy for scripts.
       */
      csv: z.string().max(LIMITS_PRODUCTS.csvMaxBytes, { error: 'products.csv_too_large' }).optional(),
    }),
    ConsumptionImportResult,
  ),

  /** The role of the person at this console (standalone: a setting; with a Portal: the signed-in user's). */
  'products.consoleRole': query(
    z.object({}),
    z.object({ role: z.enum(CONSOLE_ROLES) }),
  ),
  'products.setConsoleRole': mutation(
    z.object({ role: z.enum(CONSOLE_ROLES, { error: 'products.choose_from_list' }) }),
    z.object({ role: z.enum(CONSOLE_ROLES) }),
  ),

  /** A product's agent settings and its reporting groups, as the console's role may see them. */
  'products.agentSettings': query(
    z.object({ productId: Id }),
    AgentSettingsView,
  ),
  'products.updateAgentSettings': mutation(
    z.object({ productId: Id, baseVersion: z.number().int().min(0), changes: PartialAgentSettings }),
    AgentSettingsView,
  ),
  'products.createReportingGroup': mutation(
    z.object({ productId: Id, name: GroupName }),
    AgentSettingsView,
  ),
  /** Rename a group, override settings (`set`) or go back to the product's value (`inherit`). */
  'products.updateReportingGroup': mutation(
    z.object({
      id: Id,
      baseVersion: z.number().int().min(0),
      name: GroupName.optional(),
      set: PartialAgentSettings.default({}),
      inherit: z.array(SettingKey).max(AGENT_SETTING_KEYS.length).default([]),
    }),
    AgentSettingsView,
  ),
  'products.deleteReportingGroup': mutation(
    z.object({ id: Id }),
    AgentSettingsView,
  ),
} as const;
