// Electron on Linux sandboxes its renderers with user namespaces, or else with the setuid `chrome-sandbox` helper.
// Ubuntu 23.10+/24.04 restrict unprivileged user namespaces through AppArmor, and a chrome-sandbox installed by npm
// is not owned by root with mode 4755: Electron then aborts at start (electron/electron#42510). Detected here
// before it happens, with the fix to print; the caller offers serve mode meanwhile.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const readSysctl = (name) => {
  try {
    return readFileSync(`/proc/sys/kernel/${name}`, 'utf8').trim();
  } catch {
    return null;
  }
};

/** Electron's own abort message when this happens (also matched on its stderr after the fact). */
export const SANDBOX_ABORT_PATTERN = /SUID sandbox helper binary was found, but is not configured correctly|setuid sandbox|Running as root without --no-sandbox/i;

/**
 * null when Electron's sandbox will start, else `{ why, fix: string[] }`. Everything it reads is injectable (tests
 * give each case): `sysctl(name)` returns a /proc/sys/kernel value or null, `sandboxStat` the helper's stat or null.
 */
export function linuxSandboxProblem(electronBin, {
  platform = process.platform,
  uid = process.getuid?.() ?? -1,
  sysctl = readSysctl,
  sandboxStat = (p) => (existsSync(p) ? statSync(p) : null),
} = {}) {
  if (platform !== 'linux') return null;
  if (uid === 0) {
    return {
      why: 'Electron does not run as root with its sandbox on',
      fix: ['Start LocalRAG as your normal user (not with sudo or as root).'],
    };
  }
  const helper = path.join(path.dirname(electronBin), 'chrome-sandbox');
  const stat = sandboxStat(helper);
  // 1 means unprivileged user namespaces need an AppArmor profile (Ubuntu 23.10+); 0 means they are off (older Debian).
  const restricted = sysctl('apparmor_restrict_unprivileged_userns') === '1' || sysctl('unprivileged_userns_clone') === '0';
  if (!restricted || !stat) return null;
  const suidOk = stat.uid === 0 && (stat.mode & 0o4000) !== 0 && (stat.mode & 0o111) !== 0;
  if (suidOk) return null;
  return {
    why: 'this Linux restricts unprivileged user namespaces (Ubuntu 23.10 and later do) and Electron\'s chrome-sandbox helper is not setuid root',
    fix: [
      'Either make the sandbox helper setuid root (once per Electron install):',
      `  sudo chown root:root "${helper}" && sudo chmod 4755 "${helper}"`,
      'or allow user namespaces for this Electron with an AppArmor profile:',
      `  printf 'abi <abi/4.0>,\\ninclude <tunables/global>\\nprofile localrag-electron "${electronBin}" flags=(unconfined) {\\n  userns,\\n}\\n' | sudo tee /etc/apparmor.d/localrag-electron && sudo apparmor_parser -r /etc/apparmor.d/localrag-electron`,
      'then run `npm start` again.',
    ],
  };
}
