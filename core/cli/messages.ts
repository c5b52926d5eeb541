// Engine messages on the command line. The engine's actions name the app's screens ("pick a model in Settings");
// in a terminal the same fix is a flag or a command, so for the errors a CLI user meets the action is reworded here,
// by the error's stable code and params. The message itself is the engine's.
import type { AppError } from '../contract/api.js';

/** Undefined: the engine's own action already fits a terminal. */
type Reword = (params: Record<string, string | number>) => string | undefined;

const HOST_HINT = '--host <url> (or OLLAMA_HOST)';

const CLI_ACTIONS: Record<string, Reword> = {
  'server-unreachable': () => `Start Ollama with \`ollama serve\`, or point at it with ${HOST_HINT}.`,
  'server-timeout': () => 'Ollama may be busy loading a model: try again in a moment, or restart it with `ollama serve`.',
  // Also the code of a missing embedder or cross-encoder, whose action already names the commands: no params there.
  'model-missing': (p) => {
    if (typeof p.path === 'string') return 'Give an existing GGUF file with --llm embedded --model <file.gguf>.';
    if (typeof p.model !== 'string') return undefined;
    return p.model === ''
      ? 'Choose one with --model <name> (`ollama list` shows the installed ones; `ollama pull llama3.2` gets one).'
      : `Install it with \`ollama pull ${p.model}\`, or choose an installed one with --model <name> (see \`ollama list\`).`;
  },
  'llm-not-chosen': () => 'Choose one with --model <name> (Ollama) or --llm embedded --model <file.gguf>.',
  'first-token-timeout': () => 'It may still be loading or be too large for this machine: try again, or choose a smaller model with --model.',
  'idle-timeout': () => 'Try again; if it keeps stopping, restart the LLM (for Ollama: `ollama serve`) or choose a smaller model with --model.',
  'malformed-stream': () => `Check that ${HOST_HINT} points at Ollama itself, and that Ollama is a current version.`,
  'reply-too-large': () => `Check that ${HOST_HINT} points at Ollama itself, not another server or proxy.`,
  'http-error': (p) => (p.status === 401 || p.status === 403
    ? `Ollama itself needs no password, so a proxy or another server refused the request: check ${HOST_HINT}.`
    : undefined),
  'load-failed': (p) => (typeof p.path === 'string'
    ? 'Check that the file is a complete GGUF model that fits in memory, or give another with --model <file.gguf>.'
    : undefined),
  'store-empty': () => 'Add files with `localrag index <folder>` (see `localrag status`).',
  'store-missing': () => 'Run `localrag index <folder>` first, or name another store with --store.',
  'store-too-new': () => 'Update localrag, or name another store with --store.',
  'disk-full': () => 'Free some space on that disk and run the command again: everything saved before is kept, and `localrag index` resumes where it stopped.',
  'embedder-missing': () => 'Get it with `localrag models download <id>`, or choose one with --embedder <id|folder> (see `localrag models list`).',
  'cross-encoder-missing': () => 'Get it with `localrag models download <id>`, or choose one with --cross-encoder <id|folder> (see `localrag models list`).',
};

/** The action a terminal user can follow: the CLI's wording where it has one, else the engine's. */
export function cliAction(error: AppError): string | undefined {
  return CLI_ACTIONS[error.code]?.(error.params ?? {}) ?? error.action;
}

/** "message action" on one line, as every CLI error and note is printed. */
export function describeError(error: AppError): string {
  const action = cliAction(error);
  return `${error.message}${action ? ` ${action}` : ''}`.replace(/\s*\n\s*/g, ' ');
}
