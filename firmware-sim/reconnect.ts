/**
 * How a real charger comes back after losing its connection: it tries again after a delay, doubling the delay up
 * to 30 s, until a try works or it no longer wants to (closed, or already back online).
 */
export class Reconnector {
  private timer?: NodeJS.Timeout;

  constructor(private readonly attempt: () => Promise<void>, private readonly stillWanted: () => boolean, private readonly onBack: () => void) {}

  after(delayMs: number): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.attempt().then(this.onBack, () => {
        if (this.stillWanted()) this.after(Math.min(delayMs * 2, 30_000));
      });
    }, delayMs);
  }

  cancel(): void {
    clearTimeout(this.timer);
  }
}
