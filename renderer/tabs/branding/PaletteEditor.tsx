import { useTranslation } from 'react-i18next';
import { HEX_COLOUR_RE, PALETTE_ROLES } from '../../../shared/model/branding.ts';
import { Field } from '../../components/Field.tsx';

export type PaletteRole = (typeof PALETTE_ROLES)[number];
export type PaletteDraft = Record<PaletteRole, string>;

interface PaletteEditorProps {
  draft: PaletteDraft;
  errors: Partial<Record<PaletteRole, string>>;
  onChange(role: PaletteRole, value: string): void;
}

/** Each colour: the native picker and a #RRGGBB text field, kept in step. */
export function PaletteEditor({ draft, errors, onChange }: PaletteEditorProps) {
  const { t } = useTranslation();
  return (
    <div className="palette-editor">
      {PALETTE_ROLES.map((role) => {
        const roleName = t(`ui.branding.${role}`);
        const valid = HEX_COLOUR_RE.test(draft[role].trim());
        return (
          <Field key={role} label={roleName} error={errors[role]}>
            {(a) => (
              <div className="colour-row">
                <input
                  type="color"
                  className="colour-swatch"
                  aria-label={t('ui.branding.colourPicker', { role: roleName })}
                  value={valid ? draft[role].trim().toLowerCase() : '#000000'}
                  onChange={(e) => onChange(role, e.target.value.toUpperCase())}
                />
                <input
                  {...a}
                  type="text"
                  className="input input-mono"
                  value={draft[role]}
                  maxLength={16}
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => onChange(role, e.target.value)}
                />
              </div>
            )}
          </Field>
        );
      })}
    </div>
  );
}
