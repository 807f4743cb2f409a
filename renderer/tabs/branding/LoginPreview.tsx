import { useTranslation } from 'react-i18next';
import type { Palette } from '../../../shared/model/branding.ts';

interface LoginPreviewProps {
  orgName: string;
  palette: Palette;
  logoUrl: string | null;
  coverUrl: string | null;
}

/** A small mock of the end-user sign-in page in the chosen colours (style props go through CSSOM: CSP-safe). */
export function LoginPreview({ orgName, palette, logoUrl, coverUrl }: LoginPreviewProps) {
  const { t } = useTranslation();
  return (
    <figure className="login-preview" aria-label={t('ui.branding.preview')}>
      <div
        className="login-preview-cover"
        style={{ backgroundColor: palette.secondary, backgroundImage: coverUrl ? `url("${coverUrl}")` : undefined }}
      >
        <div className="login-preview-card">
          <div className="login-preview-logo">
            {logoUrl ? <img src={logoUrl} alt="" /> : <span className="login-preview-initial" style={{ background: palette.primary }}>{orgName.slice(0, 1)}</span>}
          </div>
          <div className="login-preview-title" style={{ color: palette.secondary }}>{t('ui.branding.previewTitle', { name: orgName })}</div>
          <div className="login-preview-input">{t('ui.branding.previewEmail')}</div>
          <div className="login-preview-input">{t('ui.branding.previewPassword')}</div>
          <div className="login-preview-button" style={{ background: palette.primary }}>{t('ui.branding.previewButton')}</div>
          <div className="login-preview-link" style={{ color: palette.accent }}>{t('ui.branding.previewLink')}</div>
        </div>
      </div>
      <figcaption className="login-preview-swatches">
        <span style={{ background: palette.primary }} title={palette.primary} />
        <span style={{ background: palette.secondary }} title={palette.secondary} />
        <span style={{ background: palette.accent }} title={palette.accent} />
      </figcaption>
    </figure>
  );
}
