/** Import progress on stderr: one redrawn line on a terminal, a line every few seconds otherwise (logs, CI). */
export class Progress {
  runs = 0;
  points = 0;
  bytes = 0;
  private readonly started = Date.now();
  private lastLine = 0;

  constructor(
    /** null: silent. */
    private readonly out: NodeJS.WriteStream | null = process.stderr,
    private readonly everyMs = 5000,
  ) {}

  tick(force = false): void {
    if (!this.out) return;
    const now = Date.now();
    const tty = this.out.isTTY === true;
    if (!force && now - this.lastLine < (tty ? 200 : this.everyMs)) return;
    this.lastLine = now;
    const secs = Math.max((now - this.started) / 1000, 0.001);
    const line =
      `imported ${this.runs} runs, ${this.points.toLocaleString('en')} metric points, ` +
      `${(this.bytes / 1e6).toFixed(1)} MB artifacts (${(this.runs / secs).toFixed(1)} runs/s)`;
    if (tty) this.out.write(`\r\x1b[2K${line}${force ? '\n' : ''}`);
    else this.out.write(`${line}\n`);
  }
}
