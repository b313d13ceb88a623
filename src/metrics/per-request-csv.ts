import type { SimulationResult } from './result.ts';

/** Per-request records of one or more runs as CSV (times in ms); empty runs contribute no rows. */
export function perRequestCsv(results: readonly SimulationResult[]): string {
  const lines = ['run,request_id,replica,arrival_s,input_tokens,output_tokens,ttft_ms,tpot_ms,e2e_ms,queue_ms,preemptions'];
  results.forEach((r, run) => {
    const p = r.perRequest;
    if (!p) return;
    for (let i = 0; i < p.id.length; i++) {
      const tpot = p.tpotS[i]!;
      lines.push(
        [
          run,
          p.id[i],
          p.replica[i],
          p.arrivalS[i]!.toFixed(6),
          p.inputTokens[i],
          p.outputTokens[i],
          (p.ttftS[i]! * 1e3).toFixed(3),
          Number.isFinite(tpot) ? (tpot * 1e3).toFixed(3) : '',
          (p.e2eS[i]! * 1e3).toFixed(3),
          (p.queueS[i]! * 1e3).toFixed(3),
          p.preemptions[i],
        ].join(','),
      );
    }
  });
  return lines.join('\n') + '\n';
}
