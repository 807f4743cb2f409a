import { useSaveShortcut } from '../../components/use-save-shortcut.ts';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HexColour, PALETTE_ROLES, type BrandingView, type Palette } from '../../../shared/model/branding.ts';
import type { In } from '../../../shared/contract.ts';
import type { ImageSlot } from '../../../shared/rules/image.ts';
import { ApiError, fieldIssues } from '../../api/client.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { errorText, issueText, zodIssue } from '../../components/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { toast } from '../../state/toasts.ts';
import { actorText } from '../general/OrgFacts.tsx';
import { ImageSlotEditor } from './ImageSlotEditor.tsx';
import { LoginPreview } from './LoginPreview.tsx';
import { PaletteEditor, type PaletteDraft, type PaletteRole } from './PaletteEditor.tsx';
import { readImageFile, type ImageDraft, type ImageProblem } from './image-file.ts';

export function BrandingTab({ orgId, orgName }: { orgId: string; orgName: string }) {
  const { t } = useTranslation();
  const query = useApiQuery('branding.get', { orgId });
  if (query.isPending) return <p className="muted">{t('ui.app.loading')}</p>;
  if (query.isError) return <p className="alert alert-error" role="alert">{errorText(t, query.error)}</p>;
  return <BrandingEditor key={orgId} view={query.data} orgName={orgName} reload={() => query.refetch()} />;
}

const paletteDraft = (p: Palette): PaletteDraft => ({ primary: p.primary, secondary: p.secondary, accent: p.accent });

function BrandingEditor({ view, orgName, reload }: { view: BrandingView; orgName: string; reload(): Promise<unknown> }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [baseVersion, setBaseVersion] = useState(view.version);
  const [images, setImages] = useState<Partial<Record<ImageSlot, ImageDraft>>>({});
  const [problems, setProblems] = useState<Partial<Record<ImageSlot, ImageProblem>>>({});
  const [palette, setPalette] = useState<PaletteDraft>(() => paletteDraft(view.palette));
  const [paletteErrors, setPaletteErrors] = useState<Partial<Record<PaletteRole, string>>>({});
  const [formError, setFormError] = useState<{ text: string; conflict: boolean } | null>(null);
  const update = useApiMutation('branding.update');

  const paletteChanged = PALETTE_ROLES.filter((r) => palette[r].trim().toUpperCase() !== view.palette[r]);
  const dirty = Boolean(images.logo || images.cover || paletteChanged.length);

  // Follow changes made elsewhere while nothing is being edited.
  if (!dirty && view.version !== baseVersion && !update.isPending) {
    setBaseVersion(view.version);
    setPalette(paletteDraft(view.palette));
  }

  // Free blob: previews that are no longer shown.
  const urls = useRef(new Set<string>());
  useEffect(() => {
    const current = new Set(Object.values(images).flatMap((d) => (d?.kind === 'new' ? [d.previewUrl] : [])));
    for (const u of urls.current) if (!current.has(u)) URL.revokeObjectURL(u);
    urls.current = current;
  }, [images]);
  useEffect(() => () => {
    for (const u of urls.current) URL.revokeObjectURL(u);
  }, []);

  const onFile = async (slot: ImageSlot, file: File) => {
    const result = await readImageFile(file, slot);
    if (result.ok) {
      setImages((s) => ({ ...s, [slot]: result.draft }));
      setProblems((p) => ({ ...p, [slot]: undefined }));
    } else {
      setProblems((p) => ({ ...p, [slot]: result.problem }));
    }
  };

  const validColour = (role: PaletteRole, value: string) => zodIssue(HexColour.safeParse(value));

  const setColour = (role: PaletteRole, value: string) => {
    setPalette((p) => ({ ...p, [role]: value }));
    if (paletteErrors[role] || HexColour.safeParse(value).success) {
      const issue = validColour(role, value);
      setPaletteErrors((e) => ({ ...e, [role]: issue ? issueText(t, issue) : undefined }));
    }
  };

  const previewPalette: Palette = {
    primary: HexColour.safeParse(palette.primary).data ?? view.palette.primary,
    secondary: HexColour.safeParse(palette.secondary).data ?? view.palette.secondary,
    accent: HexColour.safeParse(palette.accent).data ?? view.palette.accent,
  };
  const shownUrl = (slot: ImageSlot) => {
    const d = images[slot];
    if (d?.kind === 'new') return d.previewUrl;
    if (d?.kind === 'remove') return null;
    return view[slot]?.dataUrl ?? null;
  };

  const save = async () => {
    if (!dirty || update.isPending) return;
    setFormError(null);
    const errs: Partial<Record<PaletteRole, string>> = {};
    for (const r of paletteChanged) {
      const issue = validColour(r, palette[r]);
      if (issue) errs[r] = issueText(t, issue);
    }
    setPaletteErrors(errs);
    if (Object.keys(errs).length) {
      setFormError({ text: t('ui.branding.fixErrors'), conflict: false });
      return;
    }
    const input: In<'branding.update'> = { orgId: view.orgId, baseVersion };
    for (const slot of ['logo', 'cover'] as const) {
      const d = images[slot];
      if (d) input[slot] = d.kind === 'remove' ? null : { base64: d.base64 };
    }
    if (paletteChanged.length) input.palette = previewPalette;
    try {
      const next = await update.mutateAsync(input);
      setBaseVersion(next.version);
      setImages({});
      setProblems({});
      setPalette(paletteDraft(next.palette));
      toast.success(t('ui.branding.saved'));
    } catch (e) {
      const issues = fieldIssues(e);
      const nextProblems: Partial<Record<ImageSlot, ImageProblem>> = {};
      for (const slot of ['logo', 'cover'] as const) if (issues[slot]) nextProblems[slot] = issues[slot];
      const nextPaletteErrors: Partial<Record<PaletteRole, string>> = {};
      for (const r of PALETTE_ROLES) if (issues[`palette.${r}`]) nextPaletteErrors[r] = issueText(t, issues[`palette.${r}`]!);
      setProblems(nextProblems);
      setPaletteErrors(nextPaletteErrors);
      setFormError({ text: errorText(t, e), conflict: e instanceof ApiError && e.code === 'CONFLICT' });
    }
  };

  const discard = () => {
    setImages({});
    setProblems({});
    setPalette(paletteDraft(view.palette));
    setPaletteErrors({});
    setFormError(null);
  };

  useSaveShortcut(save);

  return (
    <form
      className="tab-branding"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="branding-main">
        <section className="panel" aria-labelledby="images-title">
          <h2 id="images-title" className="panel-title">{t('ui.branding.title')}</h2>
          {formError && (
            <div className={`alert ${formError.conflict ? 'alert-warning' : 'alert-error'}`} role="alert">
              <span>{formError.text}</span>
              {formError.conflict && (
                <button type="button" className="button button-small" onClick={() => void reload().then(discard)}>
                  {t('ui.general.reload')}
                </button>
              )}
            </div>
          )}
          <div className="image-slots">
            {(['logo', 'cover'] as const).map((slot) => (
              <ImageSlotEditor
                key={slot}
                slot={slot}
                saved={view[slot]}
                draft={images[slot]}
                problem={problems[slot]}
                onFile={(file) => void onFile(slot, file)}
                onRemove={() => setImages((s) => ({ ...s, [slot]: view[slot] ? { kind: 'remove' } : undefined }))}
                onUndo={() => {
                  setImages((s) => ({ ...s, [slot]: undefined }));
                  setProblems((p) => ({ ...p, [slot]: undefined }));
                }}
              />
            ))}
          </div>
        </section>
        <section className="panel" aria-labelledby="palette-title">
          <h2 id="palette-title" className="panel-title">{t('ui.branding.palette')}</h2>
          <PaletteEditor
            draft={palette}
            errors={paletteErrors}
            onChange={setColour}
          />
        </section>
        <div className="form-actions form-actions-bar">
          <span className="muted small branding-updated">
            {view.updatedAt ? (
              t('ui.branding.lastUpdated', { when: format.dateTime(view.updatedAt), who: actorText(t, view.updatedBy) })
            ) : (
              t('ui.branding.neverUpdated')
            )}
          </span>
          <button type="button" className="button" onClick={discard} disabled={!dirty || update.isPending}>
            {t('ui.branding.discard')}
          </button>
          <button type="submit" className="button button-primary" disabled={!dirty || update.isPending}>
            {update.isPending ? t('ui.general.saving') : t('ui.branding.save')}
          </button>
        </div>
      </div>
      <aside className="panel branding-preview" aria-labelledby="preview-title">
        <h2 id="preview-title" className="panel-title">{t('ui.branding.preview')}</h2>
        <LoginPreview orgName={orgName} palette={previewPalette} logoUrl={shownUrl('logo')} coverUrl={shownUrl('cover')} />
      </aside>
    </form>
  );
}
