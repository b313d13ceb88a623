/**
 * Errors that reach a user. Each carries the exit code the CLI returns and a message that says where
 * (file, line, field), what was expected and what was found. The CLI prints `message` alone, never a
 * stack trace; anything that is not a ServesimError is a bug and is reported as such.
 */
export type ExitCode = 1 | 2;

export class ServesimError extends Error {
  override readonly name: string = 'ServesimError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = 1,
  ) {
    super(message);
  }
}

/** Bad input from the user: a flag, a scenario, a profile, a measurement file. Exit code 2. */
export class InputError extends ServesimError {
  override readonly name = 'InputError';
  constructor(message: string) {
    super(message, 2);
  }
}

/** A setup that cannot exist (model does not fit, TP does not divide heads...). Exit code 1. */
export class InfeasibleError extends ServesimError {
  override readonly name = 'InfeasibleError';
  constructor(
    message: string,
    readonly reasons: readonly string[] = [message],
  ) {
    super(message, 1);
  }
}

/** Levenshtein distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/**
 * Names the user probably meant: every known name that extends what they typed ("h200" → h200-sxm,
 * h200-nvl) comes first, since a short form is the commonest slip; otherwise the nearest by edit distance.
 */
export function suggestions(word: string, candidates: readonly string[]): string[] {
  const w = word.toLowerCase();
  const prefixed = w.length >= 2 ? candidates.filter((c) => c.toLowerCase().startsWith(w)) : [];
  if (prefixed.length > 0) return [...prefixed].sort().slice(0, 4);
  const near = didYouMean(word, candidates);
  return near === undefined ? [] : [near];
}

export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

export function unknownName(kind: string, name: string, known: readonly string[]): InputError {
  const guesses = suggestions(name, known).map((g) => `"${g}"`);
  const guess = guesses.length > 1 ? `${guesses.slice(0, -1).join(', ')} or ${guesses.at(-1)}` : guesses[0];
  return new InputError(`unknown ${kind} "${name}"${guess ? ` (did you mean ${guess}?)` : ''}; known: ${known.join(', ')}`);
}
