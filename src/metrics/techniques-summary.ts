import type { PreparedDeployment } from '../cost/prepare.ts';
import { expectedTokensPerStep } from '../cost/speculative.ts';
import type { TechniquesSummary } from './result.ts';
import type { EngineState } from '../serving/engine-loop.ts';

/** What a run's result says about issue 16's techniques; undefined for a plain deployment (outputs unchanged). */
export function techniquesSummary(prepared: PreparedDeployment, prefillReplicas: number, engine: EngineState): TechniquesSummary | undefined {
  const d = prepared.deployment;
  const dp = engine.decodePool;
  const spec = d.speculative ?? dp?.disaggregation.decode.deployment.speculative;
  if (!spec && d.attentionDp === undefined && !dp) return undefined;
  const decode = dp?.disaggregation.decode;
  return {
    ...(spec ? { speculative: { method: spec.method, draftTokens: spec.tokens, expectedTokensPerStep: expectedTokensPerStep(spec) } } : {}),
    ...(d.attentionDp !== undefined ? { attentionDp: d.attentionDp } : {}),
    ...(dp && decode
      ? {
          disaggregation: {
            prefillReplicas,
            decodeReplicas: dp.replicas.length,
            decodeTp: decode.deployment.tp,
            decodeGpus: dp.replicas.length * decode.deployment.gpusPerReplica,
            link: dp.disaggregation.link.name,
            transfers: dp.transferred,
            meanTransferMs: dp.transferred > 0 ? (dp.transferTimeSumS / dp.handedOff) * 1e3 : 0,
            decodeKvTokensPerReplica: decode.memory.kvTokens,
          },
        }
      : {}),
  };
}
