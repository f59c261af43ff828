// The time budget every phase of the engine charges: loops over text, trees and the IR call
// tick(), which looks at the clock every few hundred steps and throws once the deadline has passed.
// performance.now() is sub-millisecond, so even tiny budgets bind deterministically.

export class BudgetExceeded extends Error {
  constructor(readonly phase: string) { super(`time budget exceeded while ${phase}`); }
}

export class Budget {
  private count = 0;
  /** What the engine is doing, for the notice when the budget runs out. */
  phase = 'analysing';
  constructor(readonly deadline: number) {}

  static unlimited(): Budget { return new Budget(Number.POSITIVE_INFINITY); }
  static fromNow(ms: number): Budget { return new Budget(performance.now() + ms); }

  tick(steps = 1): void {
    this.count += steps;
    if (this.count < 256) return;
    this.count = 0;
    if (performance.now() > this.deadline) throw new BudgetExceeded(this.phase);
  }

  /** Checks the clock now (at phase boundaries). */
  check(): void {
    this.count = 0;
    if (performance.now() > this.deadline) throw new BudgetExceeded(this.phase);
  }

  expired(): boolean { return performance.now() > this.deadline; }
}
