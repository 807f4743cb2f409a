/**
 * Daily consumption: the chart's series and the CSV import of daily figures. Figures are entities
 * (`consumption`, one per product and day) written through the pipeline, so they sync like anything
 * else; a Portal-synced figure and an imported one are the same row, told apart by `source`.
 */
import type { CoreDeps } from '../handlers/context.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import { readFileSync } from 'node:fs';
import { AppError } from '../errors.ts';
import { LIMITS_PRODUCTS } from '../../../shared/model/products.ts';
import { v5 } from 'uuid';
import type { LongOp } from '../mutations/long-mutation.ts';
import { writeOps } from '../mutations/write-ops.ts';
import type { ConsumptionImportResult, ConsumptionSeries, CsvRowIssue } from '../../../shared/model/products.ts';
import { addDays, checkRange, dayOf, parseConsumptionCsv } from '../../../shared/rules/products.ts';
import type { ProductStore } from './store.ts';
import type { TransferStore } from '../transfers/transfer-store.ts';

/** Errors listed in full; beyond that they are only counted (the summary stays readable). */
const LISTED_ERRORS = 200;

/** A fixed namespace for the ids of daily figures (UUIDv5, RFC 9562). */
const CONSUMPTION_NAMESPACE = '6f1d3c2a-5b7e-4d8f-9a0b-1c2d3e4f5a6b';

/**
 * The id of a product's figure for a day is derived from both: two consoles that import (or a Portal
 * that syncs) the same product and day make the same row, which sync merges, instead of two rows
 * that the (product, day) uniqueness would refuse.
 */
export const consumptionId = (productId: string, day: string): string => v5(`${productId}|${day}`, CONSUMPTION_NAMESPACE);

export function createConsumption(deps: CoreDeps, store: ProductStore, transfers: TransferStore) {
  const { db } = deps;
  const q = {
    range: db.prepare('SELECT day, figure, source FROM product_consumption WHERE product_id = ? AND day BETWEEN ? AND ? ORDER BY day'),
    existing: db.prepare(`SELECT id, product_id, day, figure FROM product_consumption
      WHERE product_id IN (SELECT value FROM json_each(?)) AND day BETWEEN ? AND ?`),
    codes: db.prepare('SELECT id, code FROM products WHERE org_id = ?'),
  };

  const today = () => dayOf(deps.clock.now());

  const api = {
    series(productId: string, from: string, to: string): ConsumptionSeries {
      store.product(productId);
      const range = checkRange(from, to, '9999-12-31');
      if (!range.ok) throw new AppError('BAD_INPUT', range.key, range.params, { [range.field]: [{ key: range.key, ...(range.params ? { params: range.params } : {}) }] });
      const rows = q.range.all(productId, from, to) as { day: string; figure: number; source: string }[];
      const byDay = new Map(rows.map((r) => [r.day, r.figure]));
      const sources = [...new Set(rows.map((r) => r.source))].sort();
      const points: { day: string; figure: number | null }[] = [];
      for (let day = from; day <= to; day = addDays(day, 1)) points.push({ day, figure: byDay.get(day) ?? null });
      let total = 0;
      let peak: { day: string; figure: number } | null = null;
      for (const [day, figure] of byDay) {
        total += figure;
        if (!peak || figure > peak.figure) peak = { day, figure };
      }
      return {
        productId, from, to, points, total, peak, daysWithData: byDay.size, sources,
        average: byDay.size > 0 ? Math.round((total / byDay.size) * 100) / 100 : null,
      };
    },

    /** The uploaded file as text: at most 4 MB of UTF-8 (a daily-figures file is far smaller); discarded once read. */
    readUpload(fileId: string): string {
      const file = transfers.completed(fileId);
      try {
        if (file.bytes > LIMITS_PRODUCTS.csvMaxBytes) throw new AppError('BAD_INPUT', 'products.csv_too_large');
        const bytes = readFileSync(file.path);
        try {
          return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          throw new AppError('BAD_INPUT', 'products.csv_not_text');
        }
      } finally {
        transfers.discard(fileId);
      }
    },

    async importCsv(orgId: string, csv: string, actor: Actor): Promise<ConsumptionImportResult> {
      store.requireOrg(orgId);
      if (csv.includes('\u0000')) throw new AppError('BAD_INPUT', 'products.csv_not_text');
      const { rows, errors, total } = parseConsumptionCsv(csv, today());
      const productByCode = new Map((q.codes.all(orgId) as { id: string; code: string }[]).map((p) => [p.code.toLowerCase(), p.id]));
      const known: typeof rows = [];
      for (const row of rows) {
        if (productByCode.has(row.code.toLowerCase())) known.push(row);
        else errors.push({ line: row.line, column: 'product', key: 'products.csv_unknown_product', params: { code: row.code } });
      }
      errors.sort((a, b) => a.line - b.line);
      const days = known.map((r) => r.day).sort();
      const from = days[0] ?? null;
      const to = days[days.length - 1] ?? null;
      const result: ConsumptionImportResult = {
        applied: false, rows: total, created: 0, updated: 0, unchanged: 0,
        products: new Set(known.map((r) => r.code.toLowerCase())).size, from, to,
        errors: errors.slice(0, LISTED_ERRORS) as CsvRowIssue[], errorCount: errors.length,
      };
      // All or nothing: one bad row and nothing is written, so a corrected file can simply be sent again.
      if (errors.length > 0 || known.length === 0) return result;
      const productIds = [...new Set(known.map((r) => productByCode.get(r.code.toLowerCase())!))];
      const existing = new Map(
        (q.existing.all(JSON.stringify(productIds), from, to) as { id: string; product_id: string; day: string; figure: number }[])
          .map((r) => [`${r.product_id}|${r.day}`, r]),
      );
      const ops: LongOp[] = [];
      for (const row of known) {
        const productId = productByCode.get(row.code.toLowerCase())!;
        const stored = existing.get(`${productId}|${row.day}`);
        if (!stored) {
          ops.push({ op: 'create', entity: 'consumption', id: consumptionId(productId, row.day), values: { orgId, productId, day: row.day, figure: row.figure, source: 'import' } });
          result.created++;
        } else if (stored.figure !== row.figure) {
          ops.push({ op: 'update', entity: 'consumption', id: stored.id, patch: { figure: row.figure, source: 'import' } });
          result.updated++;
        } else result.unchanged++;
      }
      await writeOps(deps, 'products.importConsumption', actor, ops);
      result.applied = true;
      return result;
    },
  };
  return api;
}
