/** The hand-written reading of the MLPerf errors (update it when the figures change; the tables are generated). */
export const MLPERF_ANALYSIS: readonly string[] = ['(pending the first full run)'];
