/** One line of the final table. */
export interface Row {
  benchmark: string;
  result: string;
  limit: string;
  target: string;
  /** undefined for limit rows (no target). */
  met?: boolean;
}

export function markdownTable(rows: Row[]): string {
  const head = ['benchmark', 'result', 'limit measured here', 'target'];
  const cells = rows.map((r) => [
    r.benchmark,
    r.result,
    r.limit,
    r.met === undefined ? r.target : `${r.target} (${r.met ? 'met' : 'MISSED'})`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.map(line)].join('\n');
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
