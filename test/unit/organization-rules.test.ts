import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { GeneralFields, isValidEmail, normalizeLanguage } from '../../shared/model/organization.ts';
import { HexColour, Palette } from '../../shared/model/branding.ts';
import { checkPlacement } from '../../shared/rules/hierarchy.ts';
import { translate } from '../../shared/i18n/index.ts';
import { COUNTRY_CODES, LANGUAGE_CODES } from '../../shared/model/iso-codes.ts';

const valid = { name: 'Contoso', email: 'it@contoso.example', language: 'en', country: 'US', sector: 'retail', description: '' };

/** The English messages a person sees, per field, for an input. */
function messages(schema: z.ZodType, input: unknown): Record<string, string[]> {
  const r = schema.safeParse(input);
  if (r.success) return {};
  const out: Record<string, string[]> = {};
  for (const issue of r.error.issues) (out[issue.path.join('.') || '_'] ??= []).push(translate(issue.message));
  return out;
}

describe('General fields', () => {
  it('accepts a complete valid organization and normalizes it', () => {
    const r = GeneralFields.parse({ ...valid, name: '  Contoso  ', email: 'IT@Contoso.Example', language: 'pt_br', country: 'br' });
    expect(r).toMatchObject({ name: 'Contoso', email: 'it@contoso.example', language: 'pt-BR', country: 'BR' });
  });

  it('name: required, 2 to 100 characters', () => {
    expect(messages(GeneralFields, { ...valid, name: ' ' })).toEqual({ name: ['The name must be at least 2 characters long.'] });
    expect(messages(GeneralFields, { ...valid, name: 'x'.repeat(101) })).toEqual({ name: ['The name can be at most 100 characters long.'] });
    expect(messages(GeneralFields, { ...valid, name: undefined })).toEqual({ name: ['Enter a name.'] });
  });

  it('email: must be a valid address', () => {
    for (const bad of ['bad', 'a@b', 'a@@b.com', 'a b@c.com', '.a@b.com', 'a..b@c.com', 'a@-b.com', `${'a'.repeat(65)}@b.com`]) {
      expect(messages(GeneralFields, { ...valid, email: bad }), bad).toEqual({ email: ['Enter a valid email address, like name@example.com.'] });
    }
    expect(messages(GeneralFields, { ...valid, email: '' })).toEqual({ email: ['Enter an email address.'] });
    expect(messages(GeneralFields, { ...valid, email: `${'a'.repeat(60)}@${'b'.repeat(200)}.com` }).email).toContain(
      'The email address can be at most 254 characters long.');
    for (const good of ['a@b.co', 'first.last+tag@sub.example.org', "o'brien@example.ie", 'x_y@xn--bcher-kva.example']) {
      expect(isValidEmail(good), good).toBe(true);
    }
  });

  it('language: ISO 639-1 with an optional ISO 3166-1 region (BCP 47)', () => {
    expect(normalizeLanguage('ES')).toBe('es');
    expect(normalizeLanguage('pt-br')).toBe('pt-BR');
    expect(normalizeLanguage('xx')).toBeNull();
    expect(normalizeLanguage('en-ZZ')).toBeNull();
    expect(normalizeLanguage('eng')).toBeNull();
    expect(messages(GeneralFields, { ...valid, language: 'klingon' })).toEqual({ language: ['Choose a language from the list.'] });
    expect(LANGUAGE_CODES).toHaveLength(183);
  });

  it('country: ISO 3166-1 alpha-2 only', () => {
    expect(messages(GeneralFields, { ...valid, country: 'XK' })).toEqual({ country: ['Choose a country from the list.'] });
    expect(messages(GeneralFields, { ...valid, country: 'UK' })).toEqual({ country: ['Choose a country from the list.'] });
    expect(COUNTRY_CODES).toHaveLength(249);
  });

  it('sector: from the list', () => {
    expect(messages(GeneralFields, { ...valid, sector: 'piracy' })).toEqual({ sector: ['Choose a sector from the list.'] });
  });

  it('description: at most 1000 characters', () => {
    expect(messages(GeneralFields, { ...valid, description: 'x'.repeat(1001) })).toEqual({
      description: ['The description can be at most 1000 characters long.'] });
    expect(messages(GeneralFields, { ...valid, description: 'x'.repeat(1000) })).toEqual({});
  });
});

describe('Branding palette', () => {
  it('accepts #RRGGBB and stores it upper-case', () => {
    expect(HexColour.parse('#1f5eff')).toBe('#1F5EFF');
  });
  it('refuses anything else with the format in the message', () => {
    for (const bad of ['1F5EFF', '#FFF', '#GGGGGG', 'red', '#1F5EFF00']) {
      expect(messages(Palette, { primary: bad, secondary: '#000000', accent: '#FFFFFF' }), bad).toEqual({
        primary: ['Use a colour in the form #RRGGBB, for example #1F5EFF.'] });
    }
  });
});

describe('Organization tree placement', () => {
  it('allows partner at the top, client under partner, sub-organizations under client or sub-organization', () => {
    expect(checkPlacement('partner', null, 0)).toBeNull();
    expect(checkPlacement('client', 'partner', 0)).toBeNull();
    expect(checkPlacement('suborg', 'client', 1)).toBeNull();
    expect(checkPlacement('suborg', 'suborg', 2)).toBeNull();
  });
  it('refuses the other placements with a message saying what is allowed', () => {
    expect(translate(checkPlacement('client', null, 0)!)).toBe('A client organization must belong to a partner.');
    expect(translate(checkPlacement('client', 'client', 0)!)).toBe('A client organization must belong to a partner.');
    expect(translate(checkPlacement('partner', 'partner', 0)!)).toBe(
      'A partner is at the top of the tree and cannot be placed under another organization.');
    expect(translate(checkPlacement('suborg', 'partner', 1)!)).toBe(
      'A sub-organization must be placed under a client or another sub-organization.');
    expect(translate(checkPlacement('suborg', 'suborg', 6)!)).toBe('Sub-organizations can be nested at most 5 levels deep.');
  });
});
