import { appendFileSync, existsSync, readFileSync } from 'node:fs';

type RunState = 'started' | 'done';

/**
 * What an import has finished, per run, as an append-only log of JSON lines (one `{run, state}` per
 * change, written before the next step begins), so an interrupted import continues where it stopped
 * and a run caught half-written is recognised as ours and written again.
 */
export class Checkpoint {
  private readonly runs = new Map<string, RunState>();

  constructor(readonly path: string) {
    if (!existsSync(path)) return;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const entry = JSON.parse(line) as { run?: string; state?: RunState };
        if (entry.run && entry.state) this.runs.set(entry.run, entry.state);
      } catch {
        // A line cut short by the interruption: the step it recorded had not finished.
      }
    }
  }

  state(runUuid: string): RunState | undefined {
    return this.runs.get(runUuid);
  }

  mark(runUuid: string, state: RunState): void {
    this.runs.set(runUuid, state);
    appendFileSync(this.path, `${JSON.stringify({ run: runUuid, state })}\n`);
  }

  get doneCount(): number {
    let n = 0;
    for (const s of this.runs.values()) if (s === 'done') n++;
    return n;
  }
}
