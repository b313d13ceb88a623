/** File names for commands that write several charts (`--chart FILE` and FILE-suffix.ext). */

/** "out.png" + "cdf" → "out-cdf.png"; keeps double extensions such as ".vl.json". */
export function suffixedChartFile(file: string, suffix: string): string {
  if (suffix === '') return file;
  const m = /(\.(?:vl|vg)\.json|\.[A-Za-z0-9]+)$/.exec(file);
  if (!m) return `${file}-${suffix}`;
  return `${file.slice(0, m.index)}-${suffix}${m[1]}`;
}

/** The files a command writes for `--chart FILE` and charts named by suffix: the first is FILE itself. */
export function chartFilesFor(file: string, suffixes: readonly string[]): string[] {
  return suffixes.map((s, i) => (i === 0 ? file : suffixedChartFile(file, s)));
}
