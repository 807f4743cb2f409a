import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { COUNTRY_CODES, LANGUAGE_CODES } from '../../shared/model/iso-codes.ts';

/** Regional variants people commonly pick for an organization's language (BCP 47). */
export const REGIONAL_LANGUAGES = [
  'en-US', 'en-GB', 'en-AU', 'en-CA', 'en-IE', 'en-IN', 'es-ES', 'es-MX', 'es-AR', 'es-CO', 'es-CL', 'es-US',
  'pt-BR', 'pt-PT', 'fr-FR', 'fr-CA', 'fr-BE', 'fr-CH', 'de-DE', 'de-AT', 'de-CH', 'it-IT', 'nl-NL', 'nl-BE',
  'zh-CN', 'zh-TW', 'zh-HK', 'sv-SE', 'ar-SA', 'ar-EG',
] as const;

function displayNames(lang: string, type: 'language' | 'region') {
  try {
    return new Intl.DisplayNames([lang], { type, fallback: 'code' });
  } catch {
    return null;
  }
}

/** Dates, numbers and ISO names in the UI language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long' });
    const shortDate = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
    const number = new Intl.NumberFormat(lang);
    const languages = displayNames(lang, 'language');
    const regions = displayNames(lang, 'region');
    const collator = new Intl.Collator(lang, { sensitivity: 'base' });
    const safe = (v: string, f: (x: Date) => string) => {
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? v : f(d);
    };
    // Spanish and Portuguese names come lower-case ("portugués de Brasil"); as list labels they start upper-case.
    const capital = (s: string) => s.charAt(0).toLocaleUpperCase(lang) + s.slice(1);
    const languageName = (code: string) => {
      try {
        return capital(languages?.of(code) ?? code);
      } catch {
        return code;
      }
    };
    const countryName = (code: string) => {
      try {
        return regions?.of(code) ?? code;
      } catch {
        return code;
      }
    };
    const bytes = (n: number) => {
      if (n < 1024) return `${number.format(n)} B`;
      if (n < 1024 * 1024) return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(n / 1024)} KB`;
      return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(n / 1024 / 1024)} MB`;
    };
    return {
      lang,
      dateTime: (iso: string) => safe(iso, (d) => dateTime.format(d)),
      date: (iso: string) => safe(iso, (d) => date.format(d)),
      shortDate: (iso: string) => safe(iso, (d) => shortDate.format(d)),
      number: (n: number) => number.format(n),
      bytes,
      languageName,
      countryName,
      /** Language options: every ISO 639-1 code, common regional variants, and `extra` (a stored value). */
      languageOptions(extra?: string) {
        const codes = new Set<string>([...LANGUAGE_CODES, ...REGIONAL_LANGUAGES]);
        if (extra) codes.add(extra);
        return [...codes]
          .map((code) => { const name = languageName(code); return { value: code, label: name.toLowerCase() === code.toLowerCase() ? code : `${name} (${code})` }; })
          .sort((a, b) => collator.compare(a.label, b.label));
      },
      countryOptions() {
        return COUNTRY_CODES.map((code) => ({ value: code as string, label: countryName(code) })).sort((a, b) =>
          collator.compare(a.label, b.label),
        );
      },
    };
  }, [lang]);
}
