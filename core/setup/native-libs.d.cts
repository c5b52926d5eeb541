// Types for native-libs.cjs.
export const SYSTEM_LIBRARIES: RegExp[];
export function isSystemLibrary(name: string): boolean;
export function isNativeName(name: string): boolean;
export function isElf(file: string): boolean;
export function nativeFiles(dir: string): string[];
export function resolvedLibraries(file: string): Map<string, string | null>;
export function neededLibraries(file: string): string[];
export function libraryProblems(unpackedDir: string): string[];
export function bundleLibraries(unpackedDir: string, log?: (line: string) => void): string[];
export function folderBytes(dir: string): number;
