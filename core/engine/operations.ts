// Long operations by id: each runs with an AbortSignal that fires when it is cancelled by id, when the caller's
// own signal fires (its window, connection or command went away), or when the engine closes.
export class Operations {
  private readonly running = new Map<string, AbortController>();

  async run<T>(id: string, outer: AbortSignal | undefined, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.running.get(id)?.abort();
    this.running.set(id, controller);
    const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
    try {
      return await task(signal);
    } finally {
      if (this.running.get(id) === controller) this.running.delete(id);
    }
  }

  cancel(id: string): boolean {
    const c = this.running.get(id);
    c?.abort();
    return Boolean(c);
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }
}
