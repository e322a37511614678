// Lets a reset or a clock move happen between requests, never during one: requests pass the gate side by side;
// an exclusive task waits for those in flight, holds new ones back, runs alone, then lets them through. A
// request therefore sees the state before a reset or after it, never a mix (one request may use several store
// transactions).

export class RequestGate {
  #inFlight = 0;
  /** Set while an exclusive task waits or runs: new requests queue behind it. */
  #exclusive: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  /**
   * Enters the gate: undefined when entered at once (the fast path allocates nothing), otherwise a promise that
   * resolves once entered. Every entry must be paired with one `leave()`.
   */
  enter(): Promise<void> | undefined {
    if (this.#exclusive === undefined) {
      this.#inFlight++;
      return undefined;
    }
    return this.#waitAndEnter();
  }

  leave(): void {
    this.#inFlight--;
    if (this.#inFlight === 0 && this.#drained !== undefined) {
      const drained = this.#drained;
      this.#drained = undefined;
      drained();
    }
  }

  /** Runs `task` once no request is in flight, holding new requests until it settles. */
  async exclusive<T>(task: () => Promise<T>): Promise<T> {
    while (this.#exclusive !== undefined) await this.#exclusive;
    let release!: () => void;
    this.#exclusive = new Promise<void>((resolve) => (release = resolve));
    try {
      if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
      return await task();
    } finally {
      this.#exclusive = undefined;
      release();
    }
  }

  async #waitAndEnter(): Promise<void> {
    while (this.#exclusive !== undefined) await this.#exclusive;
    this.#inFlight++;
  }
}
