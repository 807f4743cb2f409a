import { useApiQuery } from '../../api/hooks.ts';

/** Whether the SCIM Provisioning tab shows for an organization: once its identity manager has pushed groups. */
export function useScimTabVisible(orgId: string): boolean {
  const overview = useApiQuery('scim.overview', { orgId }, { select: (o) => o.groups.length > 0 });
  return overview.data === true;
}
