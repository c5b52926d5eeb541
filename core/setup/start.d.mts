// Types for start.mjs (what tests import from it).
export function findElectron(): { bin: string } | { why: string };
export function onnxRuntimeMissing(platform?: NodeJS.Platform, arch?: string): string | null;
