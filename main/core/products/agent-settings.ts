/**
 * Agent settings of a product and the overrides of its reporting groups. The role rule (settings
 * hidden from the Organization Administrator) and the cross-setting rules are enforced here, not
 * only in the UI.
 */
import type { CoreDeps } from '../handlers/context.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import { AppError, fieldError } from '../errors.ts';
import { newId } from '../ids.ts';
import { fold } from '../../../shared/rules/text.ts';
import {
  AGENT_SETTING_KEYS, LIMITS_PRODUCTS, UNINSTALL_PROTECTION_MIN_AGENT_VERSION,
  type AgentSettings, type AgentSettingsView, type PartialAgentSettings,
} from '../../../shared/model/products.ts';
import {
  agentSettingsIssues, differingSettings, hiddenSettingsFor, hiddenSettingsTouched, mergeSettings, visibleSettings,
} from '../../../shared/rules/products.ts';
import type { ProductStore } from './store.ts';

export function createAgentSettings(deps: CoreDeps, store: ProductStore) {
  const view = (productId: string): AgentSettingsView => {
    const product = store.product(productId);
    const role = store.role();
    const settings = store.settings(productId);
    const hidden = hiddenSettingsFor(role);
    return {
      productId, productVersion: product.version, role,
      settings: visibleSettings(role, settings),
      hidden,
      minAgentVersion: UNINSTALL_PROTECTION_MIN_AGENT_VERSION,
      groups: store.groups(productId).map((g) => ({
        id: g.id, version: g.version, name: g.name,
        overrides: visibleSettings(role, g.overrides),
        effective: visibleSettings(role, mergeSettings(settings, g.overrides)),
        differs: differingSettings(settings, g.overrides).filter((k) => !hidden.includes(k)),
      })),
    };
  };

  /** An Organization Administrator may not change (or even name) a hidden setting. */
  const refuseHidden = (keys: readonly string[]) => {
    const touched = hiddenSettingsTouched(store.role(), keys);
    if (touched.length > 0) throw new AppError('FORBIDDEN', 'products.hidden_setting', { settings: touched.join(', ') });
  };

  const refuseInvalid = (s: AgentSettings, prefix = '') => {
    const issues = agentSettingsIssues(s);
    const first = Object.entries(issues)[0];
    if (!first) return;
    const fields = Object.fromEntries(Object.entries(issues).map(([k, v]) => [`${prefix}${k}`, v]));
    throw new AppError('BAD_INPUT', first[1][0]!.key, first[1][0]!.params, fields);
  };

  /** Every group must still make sense on top of the product's new settings. */
  const refuseBrokenGroups = (productId: string, next: AgentSettings) => {
    for (const g of store.groups(productId)) {
      if (Object.keys(agentSettingsIssues(mergeSettings(next, g.overrides))).length > 0) {
        throw new AppError('BAD_INPUT', 'products.group_invalid', { name: g.name });
      }
    }
  };

  return {
    view,

    update(productId: string, baseVersion: number, changes: PartialAgentSettings, actor: Actor): AgentSettingsView {
      const keys = Object.keys(changes).filter((k) => changes[k as keyof PartialAgentSettings] !== undefined);
      refuseHidden(keys);
      const current = store.settings(productId);
      const next = mergeSettings(current, changes);
      refuseInvalid(next);
      refuseBrokenGroups(productId, next);
      deps.mutations.run('products.updateAgentSettings', actor, (w) => {
        w.update('product', productId, { agentSettings: next }, baseVersion);
      });
      return view(productId);
    },

    createGroup(productId: string, name: string, actor: Actor): AgentSettingsView {
      const product = store.product(productId);
      if (store.groupIdByName(productId, fold(name))) throw fieldError('name', 'products.group_name_taken', { name });
      if (store.groups(productId).length >= LIMITS_PRODUCTS.groupsPerProduct) throw fieldError('name', 'products.groups_too_many');
      deps.mutations.run('products.createReportingGroup', actor, (w) => {
        w.create('reportingGroup', newId(), { orgId: product.orgId, productId, name, overrides: {} });
      });
      return view(productId);
    },

    updateGroup(
      input: { id: string; baseVersion: number; name?: string | undefined; set: PartialAgentSettings; inherit: string[] },
      actor: Actor,
    ): AgentSettingsView {
      const group = store.group(input.id);
      const setKeys = Object.keys(input.set).filter((k) => input.set[k as keyof PartialAgentSettings] !== undefined);
      refuseHidden([...setKeys, ...input.inherit]);
      const overrides: Record<string, unknown> = { ...group.overrides, ...input.set };
      for (const k of input.inherit) delete overrides[k];
      for (const k of Object.keys(overrides)) if (!(AGENT_SETTING_KEYS as string[]).includes(k)) delete overrides[k];
      refuseInvalid(mergeSettings(store.settings(group.productId), overrides as PartialAgentSettings));
      const patch: Record<string, unknown> = { overrides };
      if (input.name !== undefined && input.name !== group.name) {
        const other = store.groupIdByName(group.productId, fold(input.name));
        if (other && other !== group.id) throw fieldError('name', 'products.group_name_taken', { name: input.name });
        patch.name = input.name;
      }
      deps.mutations.run('products.updateReportingGroup', actor, (w) => {
        w.update('reportingGroup', group.id, patch, input.baseVersion);
      });
      return view(group.productId);
    },

    deleteGroup(id: string, actor: Actor): AgentSettingsView {
      const group = store.group(id);
      // Deleting a group that overrides a hidden setting would drop that override: not for this role.
      refuseHidden(Object.keys(group.overrides));
      deps.mutations.run('products.deleteReportingGroup', actor, (w) => w.delete('reportingGroup', id));
      return view(group.productId);
    },
  };
}
