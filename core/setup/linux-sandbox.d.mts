// Types for linux-sandbox.mjs.
export const SANDBOX_ABORT_PATTERN: RegExp;
export interface SandboxProblem { why: string; fix: string[] }
export function linuxSandboxProblem(electronBin: string, opts?: {
  platform?: NodeJS.Platform;
  uid?: number;
  sysctl?: (name: string) => string | null;
  sandboxStat?: (path: string) => { uid: number; mode: number } | null;
}): SandboxProblem | null;
