// Ctrl-C in a terminal: the first SIGINT cancels the command's work (an index run stops at the next file, an answer
// stops streaming) so it can print what it did and exit 130; a second SIGINT exits at once.
import { EXIT } from './args.js';

let controller: AbortController | null = null;

/** The signal a command passes to its long operations; SIGINT is handled from the first call on. */
export function interruptSignal(): AbortSignal {
  if (!controller) {
    const c = new AbortController();
    controller = c;
    process.on('SIGINT', () => {
      if (c.signal.aborted) process.exit(EXIT.interrupted);
      process.stderr.write('\nlocalrag: stopping (Ctrl-C again to quit at once)\n');
      c.abort();
    });
  }
  return controller.signal;
}

/** True once Ctrl-C was pressed during this command. */
export function interrupted(): boolean {
  return controller?.signal.aborted ?? false;
}
