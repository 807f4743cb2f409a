import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PortalModule } from '../../../shared/model/org-settings.ts';
import { homeLayout } from '../../../shared/rules/org-settings.ts';

/** The end users' Home as the Portal lays it out: featured modules, then the secondary ones under "View more". */
export function HomePreview({ modules }: { modules: PortalModule[] }) {
  const { t } = useTranslation();
  const [more, setMore] = useState(false);
  const layout = homeLayout(modules);
  const tile = (m: PortalModule) => (
    <li key={m.id} className="home-tile">
      <span className="home-tile-icon" aria-hidden="true">{m.label.slice(0, 1).toUpperCase()}</span>
      <span className="home-tile-label">{m.label}</span>
    </li>
  );
  return (
    <section className="panel" aria-labelledby="modules-preview-title">
      <h2 id="modules-preview-title" className="panel-title">{t('ui.modules.previewTitle')}</h2>
      <p className="muted small">{t('ui.modules.previewHelp')}</p>
      <div className="home-preview" data-testid="home-preview">
        {layout.featured.length === 0 ? (
          <p className="muted small">{t('ui.modules.previewEmpty')}</p>
        ) : (
          <ul className="home-tiles" aria-label={t('ui.modules.featured')}>{layout.featured.map(tile)}</ul>
        )}
        {layout.more.length > 0 && (
          <>
            <button type="button" className="button button-small home-more" aria-expanded={more} aria-controls="home-more-list" onClick={() => setMore((v) => !v)}>
              {more ? t('ui.modules.viewLess') : t('ui.modules.viewMore', { count: layout.more.length })}
            </button>
            {more && <ul id="home-more-list" className="home-tiles home-tiles-more" aria-label={t('ui.modules.secondary')}>{layout.more.map(tile)}</ul>}
          </>
        )}
      </div>
    </section>
  );
}
