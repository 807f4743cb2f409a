/** Case- and accent-insensitive form of a name, for search: "São Paulo" -> "sao paulo". */
export function fold(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/** Escape LIKE wildcards so a user's "50%" matches "50%" literally (with ESCAPE '\'). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
