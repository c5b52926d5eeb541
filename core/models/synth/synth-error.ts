// Errors the synthesiser shows the user: a code, a sentence, and what to do (toAppError reads these fields).

export class SynthError extends Error {
  constructor(readonly code: string, message: string, readonly action: string) {
    super(message);
    this.name = 'SynthError';
  }
}
