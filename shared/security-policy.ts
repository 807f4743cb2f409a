/**
 * The renderer's Content-Security-Policy, sent by both the Electron app:// protocol handler and the
 * loopback web host. No inline script, no remote anything; images may be data: URLs (branding
 * previews) and blob: URLs (local file previews before upload).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/**
 * The same policy for renderer/index.html's <meta> fallback: browsers ignore frame-ancestors in a
 * meta tag (and say so in the console), so it is left out there; the HTTP header carries it.
 */
export const CONTENT_SECURITY_POLICY_META = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');
