/**
 * The clipboard, for ordinary values (URLs, DNS records) and for a secret (the SCIM token), which
 * is cleared after a while if the clipboard still holds it: another value copied since is left alone.
 */
export async function copyText(text: string): Promise<void> {
  await navigator.clipboard.writeText(text);
}

const pending = new Map<string, ReturnType<typeof setTimeout>>();

/** Copy `secret`; after `seconds`, empty the clipboard if it still holds it. Resolves once copied. */
export async function copySecret(secret: string, seconds: number, onCleared?: () => void): Promise<void> {
  await navigator.clipboard.writeText(secret);
  const key = 'secret';
  const previous = pending.get(key);
  if (previous) clearTimeout(previous);
  pending.set(key, setTimeout(() => {
    pending.delete(key);
    void (async () => {
      try {
        // Reading tells us whether the user copied something else since; if we may not read, we do
        // not know, and overwriting someone's clipboard would be worse than leaving it.
        if ((await navigator.clipboard.readText()) !== secret) return;
        await navigator.clipboard.writeText('');
        onCleared?.();
      } catch {
        // No permission to read the clipboard, or the window lost focus: leave it.
      }
    })();
  }, seconds * 1000));
}
