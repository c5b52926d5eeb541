// Model management: what is installed, how to get what is missing, downloads (on request only) and imports.
export { defaultDataDir, defaultModelsDir } from './paths.js';
export { assertValidModelId, howToGet, isValidModelId, listModels, missingModelError, modelStatus, resolveModelDir } from './registry.js';
export { ALL_FILES, downloadModel, type DownloadOptions } from './download.js';
export { importModel, type ImportOptions } from './import.js';
export { ModelError, appErrorOf } from './model-error.js';
export { SYNTH_PROVENANCE } from './marker.js';
export { HUB_SOURCES } from './hub-sources.js';
