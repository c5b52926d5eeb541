// Types for electron-native.mjs.
import type { SpawnSyncOptions, SpawnSyncReturns } from 'node:child_process';
import type { Command } from './spawn.mjs';

export function electronSqliteBinding(opts: {
  root: string;
  version: string;
  platform?: NodeJS.Platform;
  arch?: string;
  run?: (cmd: Command, opts: SpawnSyncOptions) => Pick<SpawnSyncReturns<Buffer>, 'status' | 'signal'>;
  cacheDir?: string;
  sourceDir?: string;
}): { binding: string; how: 'cached' | 'prebuilt' | 'compiled' } | { error: string };
