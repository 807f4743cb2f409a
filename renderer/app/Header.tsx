import { useTranslation } from 'react-i18next';
import type { Actor } from '../../shared/model/organization.ts';
import { useApiQuery } from '../api/hooks.ts';
import { SampleBadge, TypeBadge } from '../components/Badge.tsx';
import type { OrgIndex } from '../organizations/org-index.ts';
import { usePanels, useSession } from '../state/session.ts';
import { SyncStatusBar } from '../sync/SyncStatusBar.tsx';

interface HeaderProps {
  index: OrgIndex;
  currentId: string | null;
  profile: Actor;
}

export function Header({ index, currentId, profile }: HeaderProps) {
  const { t } = useTranslation();
  const openPalette = usePanels((s) => s.openPalette);
  const openProfile = usePanels((s) => s.openProfile);
  const openMail = usePanels((s) => s.openMail);
  const mail = useApiQuery('mail.settings.get', {});
  const selectOrg = useSession((s) => s.selectOrg);
  const current = currentId ? index.byId.get(currentId) : undefined;
  // The core's path (OrgDetail.path) once loaded; the client-side tree meanwhile.
  const detail = useApiQuery('org.get', { id: currentId ?? '' }, { enabled: Boolean(currentId) });
  const path = detail.data && detail.data.id === currentId
    ? detail.data.path
    : current ? [...index.ancestors(current.id).map((id) => index.byId.get(id)!), current] : [];
  const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

  return (
    <header className="header">
      <div className="header-brand" aria-hidden="true">
        <span className="logo-mark">O</span>
        <span className="brand-name">{t('ui.app.name')}</span>
      </div>
      {index.size > 0 && (
        <button type="button" className="switcher" onClick={() => openPalette(true)} aria-keyshortcuts="Control+K Meta+K">
          <span className="switcher-label">{current?.name ?? t('ui.header.switchOrg')}</span>
          <span className="visually-hidden">— {t('ui.header.switchOrg')}</span>
          <kbd className="kbd" aria-hidden="true">{isMac ? '⌘K' : t('ui.header.switchHint')}</kbd>
        </button>
      )}
      {current && (
        <div className="header-context">
          <nav aria-label={t('ui.header.breadcrumb')} className="breadcrumb">
            <ol>
              {path.map((node, i) => (
                <li key={node.id}>
                  {i < path.length - 1 ? (
                    <button type="button" className="crumb" title={node.name} onClick={() => selectOrg(node.id)}>{node.name}</button>
                  ) : (
                    <span className="crumb crumb-current" title={node.name} aria-current="page">{node.name}</span>
                  )}
                </li>
              ))}
            </ol>
          </nav>
          <TypeBadge type={current.type} />
          {current.isSample && <SampleBadge />}
        </div>
      )}
      <div className="header-spacer" />
      <SyncStatusBar />
      <button
        type="button"
        className="header-tool"
        onClick={() => openMail('settings')}
        title={mail.data && !mail.data.configured ? t('ui.mail.notConfiguredShort') : undefined}
      >
        <span className="header-tool-icon" aria-hidden="true">✉</span>
        <span className="header-tool-label">{t('ui.mail.title')}</span>
        {mail.data && !mail.data.configured && (
          <span className="header-tool-dot"><span className="visually-hidden">— {t('ui.mail.notConfiguredShort')}</span></span>
        )}
      </button>
      <button type="button" className="profile-button" onClick={() => openProfile(true)} aria-label={`${t('ui.header.profile')}: ${profile.name}`}>
        <span className="avatar" aria-hidden="true">{profile.name.slice(0, 1).toUpperCase()}</span>
        <span className="profile-text">
          <span className="profile-name">{profile.name}</span>
          <span className="profile-email">{profile.email || t('ui.header.noEmail')}</span>
        </span>
      </button>
    </header>
  );
}
