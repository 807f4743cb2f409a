import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiQuery, useCoreEvents } from '../api/hooks.ts';
import { errorText } from '../components/errors.ts';
import { useFormat } from '../i18n/format.ts';
import { Toasts } from '../components/Toasts.tsx';
import { CommandPalette } from '../organizations/CommandPalette.tsx';
import { CreateOrgDialog } from '../organizations/CreateOrgDialog.tsx';
import { OrgTree } from '../organizations/OrgTree.tsx';
import { useCurrentOrgId, useOrgIndex } from '../organizations/use-orgs.ts';
import { usePanels, useSession } from '../state/session.ts';
import { EmptyState } from './EmptyState.tsx';
import { Header } from './Header.tsx';
import { MailDialog } from '../mail/MailDialog.tsx';
import { OrgWorkspace } from './OrgWorkspace.tsx';
import { ProfileDialog } from './ProfileDialog.tsx';
import { SampleBanner } from './SampleBanner.tsx';

export function App() {
  const { t } = useTranslation();
  const format = useFormat();
  useCoreEvents();
  const info = useApiQuery('app.info', {});
  const tree = useOrgIndex();
  const index = tree.data;
  const currentId = useCurrentOrgId(index, tree.isFetching);
  const selectOrg = useSession((s) => s.selectOrg);
  const panels = usePanels();

  // Ctrl+K / Cmd+K opens the organization switcher from anywhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        if (usePanels.getState().create || usePanels.getState().profile || usePanels.getState().mail) return;
        usePanels.getState().openPalette(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (tree.isError || info.isError) {
    return (
      <div className="app-error" role="alert">
        <h1>{t('ui.app.loadFailed')}</h1>
        <p>{errorText(t, tree.error ?? info.error)}</p>
        <button type="button" className="button button-primary" onClick={() => void Promise.all([tree.refetch(), info.refetch()])}>
          {t('ui.app.retry')}
        </button>
      </div>
    );
  }
  if (!index || !info.data) {
    return <div className="app-loading" role="status">{t('ui.app.loading')}</div>;
  }

  const hasOrgs = index.size > 0;

  return (
    <div className="app">
      <a className="skip-link" href="#main">{t('ui.app.skipToContent')}</a>
      <Header index={index} currentId={currentId} profile={info.data.profile} />
      {info.data.sampleOrganizations > 0 && <SampleBanner count={info.data.sampleOrganizations} />}
      {hasOrgs ? (
        <div className="app-body">
          <nav className="sidebar" aria-label={t('ui.sidebar.label')}>
            <div className="sidebar-header">
              <span className="sidebar-title">{t('ui.sidebar.label')}</span>
              <span className="muted small">{t('ui.sidebar.count', { count: index.size, n: format.number(index.size) })}</span>
            </div>
            <OrgTree index={index} currentId={currentId} onSelect={selectOrg} />
            <div className="sidebar-footer">
              <button
                type="button"
                className="button button-block"
                onClick={() => {
                  const cur = currentId ? index.byId.get(currentId) : undefined;
                  panels.openCreate(
                    !cur ? { type: 'partner', parentId: null }
                      : cur.type === 'partner' ? { type: 'client', parentId: cur.id }
                        : { type: 'suborg', parentId: cur.id },
                  );
                }}
              >
                + {t('ui.sidebar.new')}
              </button>
            </div>
          </nav>
          <main id="main" className="main" tabIndex={-1}>
            {currentId && <OrgWorkspace key={currentId} orgId={currentId} />}
          </main>
        </div>
      ) : (
        <main id="main" className="main main-empty" tabIndex={-1}>
          <EmptyState onCreate={() => panels.openCreate({ type: 'partner', parentId: null })} />
        </main>
      )}
      {panels.palette && hasOrgs && (
        <CommandPalette index={index} onSelect={selectOrg} onClose={() => panels.openPalette(false)} />
      )}
      {panels.create && (
        <CreateOrgDialog
          index={index}
          initialType={hasOrgs ? panels.create.type : 'partner'}
          initialParentId={panels.create.parentId}
          lockType={!hasOrgs}
          onClose={() => panels.openCreate(null)}
        />
      )}
      {panels.mail && <MailDialog />}
      {panels.profile && <ProfileDialog profile={info.data.profile} onClose={() => panels.openProfile(false)} />}
      <Toasts />
    </div>
  );
}
