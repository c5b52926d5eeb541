// The desktop window's security settings as plain data (tested without Electron): an isolated, sandboxed renderer
// with no Node, loaded only from the app:// scheme, which cannot navigate away, open windows or ask for permissions.
import { cspHeader, securityHeaders } from '../core/serve/csp.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'localrag';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  sandbox: true,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
} as const;

export function windowOptions(preloadPath: string) {
  return {
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'LocalRAG',
    autoHideMenuBar: true,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath, spellcheck: false },
  };
}

/** The app:// scheme is standard and secure (so `'self'`, fetch and module scripts work) but not CORS-enabled. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

export const RENDERER_CSP = cspHeader();
export const RENDERER_HEADERS = securityHeaders();

/** Only the app's own pages may load in the window; everything else (links in answers too) is refused. */
export function isAllowedNavigation(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** IPC is answered only for frames showing the app itself. */
export function isTrustedSender(frameUrl: string | null | undefined): boolean {
  return !!frameUrl && isAllowedNavigation(frameUrl);
}

/** No camera, microphone, geolocation, notifications, ...: a local document search needs none. */
export const GRANTED_PERMISSIONS: readonly string[] = [];
export function isPermissionGranted(permission: string): boolean {
  return GRANTED_PERMISSIONS.includes(permission);
}

export const WINDOW_OPEN_DECISION = { action: 'deny' } as const;
