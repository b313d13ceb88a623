import cliProgress from 'cli-progress';

export interface ProgressHooks {
  readonly onStart: (total: number, skipped: number) => void;
  readonly onProgress: (done: number) => void;
}

/**
 * Runs `run` with a progress bar on `stream` (none when `stream` is undefined). The bar hides the cursor
 * and keeps a redraw timer alive, so it is stopped however `run` ends — an error, or SIGINT/SIGTERM — to
 * leave the terminal usable and let the process exit.
 */
export async function withProgressBar<T>(stream: NodeJS.WritableStream | undefined, label: string, run: (hooks: ProgressHooks) => Promise<T>): Promise<T> {
  let bar: cliProgress.SingleBar | undefined;
  // Ctrl-C / kill: restore the terminal, then die of the same signal (the default action, once we are gone)
  const onSignal = (signal: NodeJS.Signals) => {
    bar?.stop();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await run({
      onStart: (total, skipped) => {
        if (!stream) return;
        bar = new cliProgress.SingleBar(
          { format: `${label} {bar} {percentage}% | {value}/{total} points | ETA {eta_formatted}`, stream, hideCursor: true, etaBuffer: 50 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, skipped);
      },
      onProgress: (done) => bar?.update(done),
    });
  } finally {
    bar?.stop();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
