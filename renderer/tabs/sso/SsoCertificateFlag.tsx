import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/hooks.ts';
import { useFormat } from '../../i18n/format.ts';
import { useSession } from '../../state/session.ts';

/**
 * The organization's flag for an SSO signing certificate that expired or expires within 30 days
 * (shown beside the organization's name); it opens the SSO Integrations tab.
 */
export function SsoCertificateFlag({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const alerts = useApiQuery('sso.alerts', { orgId });
  const setTab = useSession((s) => s.setTab);
  const first = alerts.data?.items[0];
  if (!first) return null;
  const expired = alerts.data!.items.some((a) => a.status === 'expired');
  return (
    <button
      type="button"
      className={`badge cert-flag ${expired ? 'cert-expired' : 'cert-expiring'} org-cert-flag`}
      data-testid="org-cert-flag"
      title={t(first.status === 'expired' ? 'ui.sso.alertExpired' : 'ui.sso.alertExpiring', { name: first.name, date: first.expiresAt ? format.date(first.expiresAt) : '' })}
      onClick={() => setTab('sso')}
    >
      {t(expired ? 'ui.sso.orgFlagExpired' : 'ui.sso.orgFlagExpiring', { count: alerts.data!.items.length })}
    </button>
  );
}
