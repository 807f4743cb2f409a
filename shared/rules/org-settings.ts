/**
 * Pure rules of the Microservices, Reports and Modules tabs (issue #5): the end-user folder name,
 * module URLs, and the order the Portal's Home shows modules in. The core enforces them; the
 * renderer uses the same functions to say what is wrong before a round trip.
 */

export const DEFAULT_MICROSERVICES_FOLDER = 'Flexxible';
export const FOLDER_NAME_MIN = 3;
export const FOLDER_NAME_MAX = 50;
const FOLDER_NAME = /^[A-Za-z0-9_-]+$/;

/** The i18n key of what is wrong with a folder name, or null when it is fine. */
export function folderNameProblem(name: string): string | null {
  if (name.length < FOLDER_NAME_MIN || name.length > FOLDER_NAME_MAX || !FOLDER_NAME.test(name)) return 'microservices.folder_invalid';
  return null;
}

/**
 * A module's URL must be an absolute https:// URL with a host: the Portal opens it for end users,
 * and a plain-http or javascript: link would be a downgrade or a script.
 */
export function moduleUrlProblem(url: string): string | null {
  if (url.trim() === '') return 'modules.url_required';
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return 'modules.url_invalid';
  }
  if (parsed.protocol !== 'https:') return 'modules.url_https';
  if (!parsed.hostname) return 'modules.url_invalid';
  if (parsed.username || parsed.password) return 'modules.url_credentials';
  return null;
}

export const MODULE_VISIBILITIES = ['featured', 'secondary'] as const;
export type ModuleVisibility = (typeof MODULE_VISIBILITIES)[number];

/** The Home page: featured modules first (shown), secondary ones under "View more"; each by label. */
export function homeLayout<T extends { label: string; visibility: ModuleVisibility }>(modules: readonly T[]): { featured: T[]; more: T[] } {
  const byLabel = (a: T, b: T) => a.label.localeCompare(b.label, undefined, { sensitivity: 'base' });
  return {
    featured: modules.filter((m) => m.visibility === 'featured').sort(byLabel),
    more: modules.filter((m) => m.visibility === 'secondary').sort(byLabel),
  };
}

/** Report queries are typed one per line; blank lines and surrounding spaces are not queries. */
export function queryLines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
}
