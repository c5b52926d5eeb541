// Types for spawn.mjs (plain JavaScript: set-up runs before TypeScript tooling is installed).
import type { SpawnSyncOptions, SpawnSyncReturns } from 'node:child_process';

export interface Command { command: string; args: string[]; shell: boolean }
export function npmCommand(args: string[], opts?: { env?: Record<string, string | undefined>; platform?: NodeJS.Platform; execPath?: string; exists?: (p: string) => boolean }): Command;
export function binCommand(fromDir: string, pkg: string, args?: string[], opts?: { bin?: string; execPath?: string }): Command;
export function runCommand(cmd: Command, opts?: SpawnSyncOptions): SpawnSyncReturns<Buffer>;
export function exitCodeFor(code: number | null, signal: NodeJS.Signals | null): number;
