/**
 * The sends one instance has in flight at once, shared by the claims it is delivering: the next
 * claim is taken while the current one still sends (so the rate never waits for a store round
 * trip), and its messages wait here for a sender instead of adding to the sends booked ahead.
 */
export class SenderPool {
  private inUse = 0;
  private readonly waiting: ((granted: boolean) => void)[] = [];

  constructor(private size: number) {}

  /**
   * Sends booked ahead are bounded by this (about a claim's worth at the instance's share), so a
   * claimed message reaches the wire within a few seconds at any share, well inside its lease.
   */
  resize(size: number): void {
    this.size = Math.max(1, size);
    this.grant();
  }

  /** Resolves true with a sender (give it back with `release`), or false when `refuseWaiting` ran. */
  acquire(): Promise<boolean> {
    if (this.inUse < this.size) {
      this.inUse++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    this.inUse--;
    this.grant();
  }

  /** A stop: whatever waits for a sender gets none (its message is handed back unsent). */
  refuseWaiting(): void {
    for (const w of this.waiting.splice(0)) w(false);
  }

  private grant(): void {
    while (this.inUse < this.size && this.waiting.length) {
      this.inUse++;
      this.waiting.shift()!(true);
    }
  }
}
