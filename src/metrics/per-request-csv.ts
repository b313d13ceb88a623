import type { SimulationResult } from './result.ts';
import { msFromS } from '../units.ts';

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
          msFromS(p.ttftS[i]!).toFixed(3),
          Number.isFinite(tpot) ? msFromS(tpot).toFixed(3) : '',
          msFromS(p.e2eS[i]!).toFixed(3),
          msFromS(p.queueS[i]!).toFixed(3),
          p.preemptions[i],
        ].join(','),
      );
    }
  });
  return lines.join('\n') + '\n';
}
