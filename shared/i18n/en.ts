// Messages the core and the renderer share: validation rules and errors.
// UI strings live in renderer/i18n. Keys are stable; {{name}} is interpolated.
export const en = {
  common: {
    id_invalid: 'This identifier is not valid.',
    required: 'This field is required.',
    bad_input: 'Some fields need attention.',
    not_found: 'It no longer exists. It may have been deleted.',
    conflict: 'Someone changed {{fields}} since you opened it. Reload to see their change, then try again.',
    internal: 'Something went wrong on our side. Your data is safe; try again, and if it keeps happening, restart Orgdesk.',
    unknown_method: 'The console asked for something this version does not know ({{method}}). Update Orgdesk.',
    forbidden: 'You are not allowed to do this.',
    unauthorized: 'Your session is not valid. Restart the console.',
  },
  org: {
    name_taken: 'Another organization at the same place already has this name.',
    name_required: 'Enter a name.',
    name_too_short: 'The name must be at least 2 characters long.',
    name_too_long: 'The name can be at most 100 characters long.',
    email_required: 'Enter an email address.',
    email_invalid: 'Enter a valid email address, like name@example.com.',
    email_too_long: 'The email address can be at most 254 characters long.',
    language_invalid: 'Choose a language from the list.',
    country_invalid: 'Choose a country from the list.',
    sector_invalid: 'Choose a sector from the list.',
    description_too_long: 'The description can be at most 1000 characters long.',
    partner_has_no_parent: 'A partner is at the top of the tree and cannot be placed under another organization.',
    client_needs_partner: 'A client organization must belong to a partner.',
    suborg_needs_client: 'A sub-organization must be placed under a client or another sub-organization.',
    too_deep: 'Sub-organizations can be nested at most 5 levels deep.',
    partner_only_for_clients: 'Only client organizations have a partner.',
    partner_not_partner: 'Choose a partner organization.',
    has_children: 'Delete or move its {{count}} sub-organizations first.',
    has_clients: 'Move or delete its {{count}} client organizations first.',
    not_found: 'This organization no longer exists.',
  },
  branding: {
    colour_invalid: 'Use a colour in the form #RRGGBB, for example #1F5EFF.',
    image_empty: 'The file is empty.',
    image_too_large: 'The image is too large: the limit is {{max}} MB.',
    image_format: 'This file is not a PNG, JPEG or WebP image.',
    image_dimensions: 'The image is too big: at most {{max}} pixels on each side.',
    svg_refused: 'SVG images are not accepted because they can contain scripts. Use PNG, JPEG or WebP.',
    image_base64: 'The image data is damaged. Choose the file again.',
  },
  audit: {
    date_invalid: 'Enter a date like 2026-11-23.',
    range_invalid: 'The end date is before the start date.',
  },
  profile: {
    name_required: 'Enter your name.',
  },
};
export type Messages = typeof en;
