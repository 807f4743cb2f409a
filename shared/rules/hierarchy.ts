import type { OrgType } from '../model/organization.ts';

/**
 * The MSP tree: a partner at the top, its clients below, and sub-organizations below a client
 * (or below another sub-organization). Which parent type each type accepts is decided here, once,
 * for the console, the Portal and the importers.
 */
export const MAX_SUBORG_DEPTH = 5;

export function allowedParentTypes(type: OrgType): readonly (OrgType | null)[] {
  switch (type) {
    case 'partner':
      return [null];
    case 'client':
      return ['partner'];
    case 'suborg':
      return ['client', 'suborg'];
  }
}

/** The i18n key of the rule the placement breaks, or null when it is allowed. */
export function checkPlacement(type: OrgType, parentType: OrgType | null, suborgDepth: number): string | null {
  if (!allowedParentTypes(type).includes(parentType)) {
    if (type === 'partner') return 'org.partner_has_no_parent';
    if (type === 'client') return 'org.client_needs_partner';
    return 'org.suborg_needs_client';
  }
  if (type === 'suborg' && suborgDepth > MAX_SUBORG_DEPTH) return 'org.too_deep';
  return null;
}
