/**
 * The workload's seeded draws as the serving engine's RequestSource: request lengths, the constant-rate
 * prefix model's shared blocks, open-loop arrival times, and, for multi-turn sessions and traces with
 * block hashes, each request's block keys for the simulated prefix cache. Each draw has its own stream,
 * so adding one never shifts another.
 */
import type { PreparedDeployment } from './cost/prepare.ts';
import { InputError } from './diagnostics/errors.ts';
import type { RequestSource } from './serving/engine-loop.ts';
import { openLoopProcess } from './workload/arrivals.ts';
import { lengthSampler } from './workload/lengths.ts';
import { createRng } from './workload/random.ts';
import { SessionSource } from './workload/sessions.ts';
import { PrivateKeyRanges, TraceBlockKeys } from './workload/trace-blocks.ts';
import type { Workload } from './workload/workload.ts';

export function requestSource(prepared: PreparedDeployment, w: Workload, seed: string, openLoop: boolean): RequestSource {
  const lengthRng = createRng(seed, 'lengths');
  const prefixRng = createRng(seed, 'prefix-cache');
  const sampleLengths = lengthSampler(w.lengths);
  const blockSize = prepared.deployment.engine.blockSize;
  const prefix = prepared.deployment.engine.prefixCaching;
  const nextArrival = openLoop ? openLoopProcess(w.arrival, createRng(seed, 'arrivals')) : () => Infinity;
  const base: RequestSource = {
    drawLengths: () => sampleLengths(lengthRng),
    drawSharedBlocks: (inputTokens) =>
      prefix && prefix.hitRate > 0 && prefixRng.next() < prefix.hitRate
        ? Math.floor(Math.min(prefix.sharedPrefixTokens, inputTokens - 1) / blockSize)
        : 0,
    nextArrivalS: nextArrival,
  };
  if (w.sessions !== undefined) {
    if (w.arrival.kind === 'trace') throw new InputError('workload sessions cannot replay a trace\'s arrival times: a trace names its own requests (give a Poisson or rate-curve session arrival, or closed-loop users)');
    // open loop: each arrival opens a session (the rate is sessions per second); closed loop: users run sessions back to back
    const sessions = new SessionSource(w.sessions, sampleLengths, blockSize, openLoop);
    const thinkRng = createRng(seed, 'think-time');
    const turns = { ...base, drawLengths: (stream: number) => sessions.next(stream, lengthRng), thinkTimeS: () => sessions.thinkTimeS(thinkRng) };
    return openLoop ? { ...turns, openSession: () => sessions.openSession(), streamContinues: (stream) => sessions.continues(stream) } : turns;
  }
  const hashes = w.blockHashes;
  if (hashes !== undefined) {
    if (hashes.hashIds.length === 0) throw new InputError('workload blockHashes: hashIds is empty');
    let k = 0;
    const privateKeys = new PrivateKeyRanges(blockSize);
    return {
      ...base,
      drawLengths: () => {
        const ids = hashes.hashIds[k++ % hashes.hashIds.length]!;
        const lengths = sampleLengths(lengthRng);
        const keys = new TraceBlockKeys(ids, hashes.blockTokens, blockSize, privateKeys.next(lengths.inputTokens, lengths.outputTokens));
        return { ...lengths, keys };
      },
    };
  }
  return base;
}
