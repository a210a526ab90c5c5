interface Logger {
  error(obj: unknown, msg?: string): void;
}

/**
 * A background job run every `intervalMs` after the previous run ends, so two runs never overlap;
 * `stop` waits for the run in progress. Errors are logged and the next run goes ahead: the work is
 * kept in the database, so a failed run loses nothing.
 */
export function createPollLoop(options: {
  name: string;
  intervalMs: number;
  log: Logger;
  run: () => Promise<void>;
  /** Whether the timer alone keeps the process alive (a job whose work is optional should not). */
  unref?: boolean;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopping = false;

  function schedule(): void {
    if (stopping) return;
    timer = setTimeout(() => {
      running = options
        .run()
        .catch((err) => {
          if (!stopping) options.log.error({ err }, `${options.name} failed`);
        })
        .finally(schedule);
    }, options.intervalMs);
    if (options.unref) timer.unref();
  }

  return {
    start: schedule,
    get stopping() {
      return stopping;
    },
    async stop(): Promise<void> {
      stopping = true;
      clearTimeout(timer);
      await running;
    },
  };
}
