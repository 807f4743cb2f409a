import { useEffect } from 'react';
import { useApiQuery } from '../api/hooks.ts';
import { useSession } from '../state/session.ts';
import { buildOrgIndex, type OrgIndex } from './org-index.ts';
import type { Out } from '../../shared/contract.ts';

const toIndex = (data: Out<'org.tree'>) => buildOrgIndex(data.items);

/** The organization tree, loaded once and indexed client-side (select is memoized on the data). */
export function useOrgIndex() {
  return useApiQuery('org.tree', {}, { select: toIndex, staleTime: 60_000 });
}

/** The current organization id, falling back to the first partner when the stored one is gone. */
export function useCurrentOrgId(index: OrgIndex | undefined, refreshing = false): string | null {
  const currentOrgId = useSession((s) => s.currentOrgId);
  const selectOrg = useSession((s) => s.selectOrg);
  const forgetOrg = useSession((s) => s.forgetOrg);
  // While the tree is being refetched, a just-created organization may not be in it yet: keep it.
  const valid = index && currentOrgId && (index.byId.has(currentOrgId) || refreshing) ? currentOrgId : null;
  useEffect(() => {
    if (!index || valid) return;
    if (currentOrgId) forgetOrg(currentOrgId);
    if (index.firstPartner) selectOrg(index.firstPartner.id);
  }, [index, valid, currentOrgId, selectOrg, forgetOrg]);

  return valid ?? index?.firstPartner?.id ?? null;
}
