import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../api/hooks.ts';
import { errorText } from '../components/errors.ts';
import { TABS, useSession, type TabId } from '../state/session.ts';
import { AuditTab } from '../tabs/audit/AuditTab.tsx';
import { AuthenticationTab } from '../tabs/authentication/AuthenticationTab.tsx';
import { BrandingTab } from '../tabs/branding/BrandingTab.tsx';
import { GeneralTab } from '../tabs/general/GeneralTab.tsx';
import { UsersTab } from '../tabs/users/UsersTab.tsx';
import { MicroservicesTab } from '../tabs/microservices/MicroservicesTab.tsx';
import { ReportsTab } from '../tabs/reports/ReportsTab.tsx';
import { ProductsTab } from '../tabs/products/ProductsTab.tsx';
import { ModulesTab } from '../tabs/modules/ModulesTab.tsx';
import { DomainsTab } from '../tabs/domains/DomainsTab.tsx';
import { SsoTab } from '../tabs/sso/SsoTab.tsx';
import { SsoCertificateFlag } from '../tabs/sso/SsoCertificateFlag.tsx';
import { ScimProvisioningTab } from '../tabs/scim-provisioning/ScimProvisioningTab.tsx';
import { ApiKeysTab } from '../tabs/api-keys/ApiKeysTab.tsx';
import { DirectoriesTab } from '../tabs/directories/DirectoriesTab.tsx';
import { useScimTabVisible } from '../tabs/scim-provisioning/use-scim-tab-visible.ts';

/** The current organization: its tabs and the selected tab's panel. */
export function OrgWorkspace({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const storedTab = useSession((s) => s.tab);
  const setTab = useSession((s) => s.setTab);
  const detail = useApiQuery('org.get', { id: orgId });
  const tabRefs = useRef<Partial<Record<TabId, HTMLButtonElement | null>>>({});
  // SCIM Provisioning appears once the identity manager has pushed groups.
  const scimVisible = useScimTabVisible(orgId);
  const tabs = TABS.filter((id) => id !== 'scim' || scimVisible);
  const tab: TabId = tabs.includes(storedTab) ? storedTab : 'general';

  const onKeyDown = (e: KeyboardEvent) => {
    const i = tabs.indexOf(tab);
    let next: TabId | undefined;
    if (e.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
    else if (e.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (e.key === 'Home') next = tabs[0];
    else if (e.key === 'End') next = tabs[tabs.length - 1];
    if (!next) return;
    e.preventDefault();
    setTab(next);
    tabRefs.current[next]?.focus();
  };

  if (detail.isPending) return <p className="muted pad">{t('ui.app.loading')}</p>;
  if (detail.isError) return <p className="alert alert-error pad" role="alert">{errorText(t, detail.error)}</p>;
  const org = detail.data;

  return (
    // The Users tab fills the window (its table scrolls inside); the others scroll with the page.
    <div className={`workspace ${tab === 'users' ? 'workspace-fill' : ''}`}>
      <div className="workspace-header">
        <h1 className="workspace-title">{org.name}</h1>
        <SsoCertificateFlag orgId={org.id} />
        <div role="tablist" aria-label={t('ui.tabs.label')} className="tabs" onKeyDown={onKeyDown}>
          {tabs.map((id) => (
            <button
              key={id}
              ref={(el) => {
                tabRefs.current[id] = el;
              }}
              type="button"
              role="tab"
              id={`tab-${id}`}
              aria-selected={tab === id}
              aria-controls={`panel-${id}`}
              tabIndex={tab === id ? 0 : -1}
              className={`tab ${tab === id ? 'is-selected' : ''}`}
              onClick={() => setTab(id)}
            >
              {t(`ui.tabs.${id}`)}
            </button>
          ))}
        </div>
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className={`tabpanel ${tab === 'users' ? 'tabpanel-fill' : ''}`}>
        {tab === 'general' && <GeneralTab org={org} onReload={() => detail.refetch()} />}
        {tab === 'branding' && <BrandingTab orgId={org.id} orgName={org.name} />}
        {tab === 'authentication' && <AuthenticationTab orgId={org.id} />}
        {tab === 'users' && <UsersTab orgId={org.id} orgName={org.name} />}
        {tab === 'audit' && <AuditTab orgId={org.id} />}
        {tab === 'microservices' && <MicroservicesTab orgId={org.id} />}
        {tab === 'reports' && <ReportsTab orgId={org.id} />}
        {tab === 'products' && <ProductsTab orgId={org.id} />}
        {tab === 'modules' && <ModulesTab orgId={org.id} />}
        {tab === 'domains' && <DomainsTab orgId={org.id} />}
        {tab === 'sso' && <SsoTab orgId={org.id} />}
        {tab === 'scim' && <ScimProvisioningTab orgId={org.id} />}
        {tab === 'apiKeys' && <ApiKeysTab orgId={org.id} />}
        {tab === 'directories' && <DirectoriesTab orgId={org.id} />}
      </div>
    </div>
  );
}
