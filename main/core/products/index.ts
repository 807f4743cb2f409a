/** Every contract method of Products, agent settings and consumption (issue #5) (shared/contract-products.ts). */
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import { AppError, fieldError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { LongOp } from '../mutations/long-mutation.ts';
import { writeOps } from '../mutations/write-ops.ts';
import { callScope } from '../mutations/pipeline.ts';
import { DEFAULT_AGENT_SETTINGS } from '../../../shared/model/products.ts';
import { maskLicenseKey } from '../../../shared/rules/products.ts';
import { createProductStore, CONSOLE_ROLE_KEY } from './store.ts';
import { createAgentSettings } from './agent-settings.ts';
import { createConsumption } from './consumption.ts';
import type { TransferStore } from '../transfers/transfer-store.ts';

/** The keychain account of a product's license key. */
export const licenseAccount = (productId: string) => `product-license:${productId}`;

/** The Portal re-running a console's pushed call (sync): the key stayed in that console's keychain. */
const replaying = () => callScope.getStore()?.replay !== undefined;

/**
 * Sync keeps each call's input in its outbox, in SQLite, to re-run it on the Portal: record what the
 * Portal needs (the license's mask and reference, an upload's text) instead of the key or a file id.
 */
/** On the Portal's re-run the Writer gives a created row the console's id: read it back by that one. */
const createdId = (id: string): string => callScope.getStore()?.replay?.idMap.get(id) ?? id;

function recordInputAs(input: Record<string, unknown>): void {
  const scope = callScope.getStore();
  if (scope) scope.input = input;
}

export function createProductsHandlers(deps: CoreDeps, io: { transfers: TransferStore }) {
  const { db, mutations, secrets } = deps;
  const store = createProductStore(db);
  const agent = createAgentSettings(deps, store);
  const consumption = createConsumption(deps, store, io.transfers);
  const q = {
    children: db.prepare(`SELECT 'reportingGroup' AS entity, id FROM product_reporting_groups WHERE product_id = @id
      UNION ALL SELECT 'consumption' AS entity, id FROM product_consumption WHERE product_id = @id`),
    setRole: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
  };
  const now = () => deps.clock.now().toISOString();

  return {
    'products.list': (input: ParsedIn<'products.list'>): Out<'products.list'> => {
      store.requireOrg(input.orgId);
      return { items: store.list(input.orgId) };
    },
    'products.get': (input: ParsedIn<'products.get'>): Out<'products.get'> => store.product(input.id),

    'products.create': async (input: ParsedIn<'products.create'>, ctx: CallContext): Promise<Out<'products.create'>> => {
      store.requireOrg(input.orgId);
      if (store.idByCode(input.orgId, input.code)) throw fieldError('code', 'products.code_taken', { code: input.code });
      const id = newId();
      let license: { masked: string; ref: string } | null = null;
      if (input.licenseKey) {
        license = { masked: maskLicenseKey(input.licenseKey), ref: newId() };
        // The key goes to the keychain first; if the row cannot be written, the key is taken back out.
        await secrets.set(licenseAccount(id), input.licenseKey);
        recordInputAs({ ...Object.fromEntries(Object.entries(input).filter(([k]) => k !== 'licenseKey')), recordedLicense: license });
      } else if (input.recordedLicense) {
        if (!replaying()) throw fieldError('licenseKey', 'products.license_required');
        license = input.recordedLicense;
      }
      try {
        mutations.run('products.create', ctx.actor, (w) => {
          w.create('product', id, {
            orgId: input.orgId, environment: input.environment, productType: input.productType, code: input.code,
            region: input.region, state: 'enabled', serviceNowEnvironment: input.serviceNowEnvironment,
            licenseKeyMasked: license?.masked ?? '',
            licenseKeyRef: license?.ref ?? null,
            digitalActivity: false, agentSettings: DEFAULT_AGENT_SETTINGS,
          });
        });
      } catch (e) {
        if (input.licenseKey) await secrets.delete(licenseAccount(id)).catch(() => false);
        throw e;
      }
      return store.product(createdId(id));
    },

    'products.update': (input: ParsedIn<'products.update'>, ctx: CallContext): Out<'products.update'> => {
      store.product(input.id);
      const patch = Object.fromEntries(Object.entries(input.changes).filter(([, v]) => v !== undefined));
      mutations.run('products.update', ctx.actor, (w) => {
        w.update('product', input.id, patch, input.baseVersion);
      });
      return store.product(input.id);
    },

    'products.setLicenseKey': async (input: ParsedIn<'products.setLicenseKey'>, ctx: CallContext): Promise<Out<'products.setLicenseKey'>> => {
      store.product(input.id);
      const write = (license: { masked: string; ref: string }) => mutations.run('products.setLicenseKey', ctx.actor, (w) => {
        w.update('product', input.id, { licenseKeyMasked: license.masked, licenseKeyRef: license.ref });
      });
      if (input.licenseKey === undefined) {
        if (!input.recordedLicense || !replaying()) throw fieldError('licenseKey', 'products.license_required');
        write(input.recordedLicense);
        return store.product(input.id);
      }
      const license = { masked: maskLicenseKey(input.licenseKey), ref: newId() };
      const account = licenseAccount(input.id);
      const previous = await secrets.get(account);
      await secrets.set(account, input.licenseKey);
      recordInputAs({ id: input.id, recordedLicense: license });
      try {
        write(license);
      } catch (e) {
        await (previous === null ? secrets.delete(account) : secrets.set(account, previous)).catch(() => undefined);
        throw e;
      }
      return store.product(input.id);
    },

    'products.revealLicenseKey': async (input: ParsedIn<'products.revealLicenseKey'>, ctx: CallContext): Promise<Out<'products.revealLicenseKey'>> => {
      const product = store.product(input.id);
      if (!product.licenseKeyMasked) throw new AppError('NOT_FOUND', 'products.license_missing');
      // On the Portal's re-run only the record of the reveal is written; the key is not here.
      const key = replaying() ? '' : await secrets.get(licenseAccount(input.id));
      if (key === null) throw new AppError('NOT_FOUND', 'products.license_unavailable');
      // Who saw the key, and when: the reveal is a change of the product, so it is in changes and audit.
      mutations.run('products.revealLicenseKey', ctx.actor, (w) => {
        const reveals = (w.read('product', input.id)?.licenseKeyReveals as number | undefined) ?? 0;
        w.update('product', input.id, { licenseKeyReveals: reveals + 1, licenseKeyRevealedAt: now() });
      });
      return { licenseKey: key };
    },

    'products.delete': async (input: ParsedIn<'products.delete'>, ctx: CallContext): Promise<Out<'products.delete'>> => {
      const product = store.product(input.id);
      if (input.confirm.trim() !== product.code) throw fieldError('confirm', 'products.delete_confirm', { code: product.code });
      // Groups and figures are deleted through the pipeline too (one mutation), so sync ships each deletion.
      const ops: LongOp[] = (q.children.all({ id: input.id }) as { entity: 'reportingGroup' | 'consumption'; id: string }[])
        .map((c) => ({ op: 'delete', entity: c.entity, id: c.id }));
      ops.push({ op: 'delete', entity: 'product', id: input.id });
      await writeOps(deps, 'products.delete', ctx.actor, ops);
      if (!replaying()) await secrets.delete(licenseAccount(input.id)).catch(() => false);
      return { ok: true };
    },

    'products.consumption': (input: ParsedIn<'products.consumption'>): Out<'products.consumption'> =>
      consumption.series(input.productId, input.from, input.to),
    'products.importConsumption': (input: ParsedIn<'products.importConsumption'>, ctx: CallContext): Promise<Out<'products.importConsumption'>> => {
      if (input.fileId !== undefined) {
        const csv = consumption.readUpload(input.fileId);
        recordInputAs({ orgId: input.orgId, csv });
        return consumption.importCsv(input.orgId, csv, ctx.actor);
      }
      if (input.csv !== undefined) return consumption.importCsv(input.orgId, input.csv, ctx.actor);
      throw fieldError('fileId', 'products.csv_empty');
    },

    'products.consoleRole': (): Out<'products.consoleRole'> => ({ role: store.role() }),
    // A local setting of this console, like the operator profile (not an organization entity: not synced).
    'products.setConsoleRole': (input: ParsedIn<'products.setConsoleRole'>): Out<'products.setConsoleRole'> => {
      q.setRole.run(CONSOLE_ROLE_KEY, input.role);
      deps.committed({ orgIds: new Set(), entities: new Set(['consoleRole']) });
      return { role: store.role() };
    },

    'products.agentSettings': (input: ParsedIn<'products.agentSettings'>): Out<'products.agentSettings'> => agent.view(input.productId),
    'products.updateAgentSettings': (input: ParsedIn<'products.updateAgentSettings'>, ctx: CallContext): Out<'products.updateAgentSettings'> =>
      agent.update(input.productId, input.baseVersion, input.changes, ctx.actor),
    'products.createReportingGroup': (input: ParsedIn<'products.createReportingGroup'>, ctx: CallContext): Out<'products.createReportingGroup'> =>
      agent.createGroup(input.productId, input.name, ctx.actor),
    'products.updateReportingGroup': (input: ParsedIn<'products.updateReportingGroup'>, ctx: CallContext): Out<'products.updateReportingGroup'> =>
      agent.updateGroup(input, ctx.actor),
    'products.deleteReportingGroup': (input: ParsedIn<'products.deleteReportingGroup'>, ctx: CallContext): Out<'products.deleteReportingGroup'> =>
      agent.deleteGroup(input.id, ctx.actor),
  };
}
