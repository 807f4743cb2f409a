/** An organization's sync state in the switcher: nothing for a local-only one. */
import { useTranslation } from 'react-i18next';
import { useSyncStatus } from './use-sync.ts';

export function OrgSyncDot({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const org = status.data?.orgs.find((o) => o.orgId === orgId);
  if (!org) return null;
  const state = org.pending > 0 ? 'pending' : org.state;
  const label = t('ui.sync.orgState', {
    state: org.pending > 0 ? t('ui.sync.pending', { count: org.pending }) : t(`ui.sync.orgStates.${org.state}`),
  });
  return <span className={`sync-org-dot sync-org-${state}`} title={label} role="img" aria-label={label} />;
}
