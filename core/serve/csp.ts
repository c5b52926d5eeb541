// The renderer's Content-Security-Policy, written once: serve mode sends it as a header, Electron sends it from
// its app:// protocol handler, and the Vite build writes it into index.html as a meta tag.
// No inline script, no eval, no remote anything: the renderer only talks to its own origin.
export const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
};

/** Directives a <meta> tag cannot carry (browsers ignore them there and warn). */
const HEADER_ONLY = new Set(['frame-ancestors']);

export function cspHeader(): string {
  return Object.entries(CSP_DIRECTIVES).map(([k, v]) => `${k} ${v}`).join('; ');
}

export function cspMeta(): string {
  return Object.entries(CSP_DIRECTIVES).filter(([k]) => !HEADER_ONLY.has(k)).map(([k, v]) => `${k} ${v}`).join('; ');
}

/** Headers every renderer response carries, in serve mode and in Electron. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': cspHeader(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
