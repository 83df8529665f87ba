import type { TextOutput } from "./cli-context.ts";

/** Progress of a batch: a redrawn bar on a terminal, one plain line per item otherwise. */
export class ProgressReporter {
  readonly #out: TextOutput;
  readonly #total: number;
  readonly #tty: boolean;
  #done = 0;
  #lastDraw = 0;

  constructor(out: TextOutput, total: number) {
    this.#out = out;
    this.#total = total;
    this.#tty = out.isTTY === true;
  }

  /** One item finished with `status`; `label` names it (a file name, never health data). */
  tick(label: string, status: string): void {
    this.#done += 1;
    if (!this.#tty) {
      this.#out.write(`[${this.#done}/${this.#total}] ${status.padEnd(11)} ${label}\n`);
      return;
    }
    const now = Date.now();
    if (this.#done < this.#total && now - this.#lastDraw < 50) return;
    this.#lastDraw = now;
    const width = Math.max(10, Math.min(40, (this.#out.columns ?? 80) - 40));
    const filled = Math.round((this.#done / Math.max(1, this.#total)) * width);
    const percent = Math.floor((this.#done / Math.max(1, this.#total)) * 100);
    this.#out.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(percent).padStart(3)}% ${this.#done}/${this.#total} files`);
  }

  /** Ends the bar (a newline on a terminal). */
  finish(): void {
    if (this.#tty) this.#out.write("\n");
  }
}
