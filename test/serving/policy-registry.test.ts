/**
 * The batch-policy registry and what tells its policies apart: the names come from the registry, and each
 * policy plans steps and admits KV the way its engine does.
 */
import { describe, expect, it } from 'vitest';
import { StepCostModel } from '../../src/cost/step-cost.ts';
import type { StepShape } from '../../src/cost/step-cost.ts';
import { EngineFamilySchema } from '../../src/schema/deployment.ts';
import type { StepBuilder } from '../../src/serving/policies/batch-policy.ts';
import { BATCH_POLICIES, defaultPolicyFor, SCHEDULER_POLICY_NAMES, type SchedulerPolicyName } from '../../src/serving/policies/index.ts';
import { SCHEDULER_POLICIES, SCHEDULER_POLICY_NAMES as CLI_NAMES } from '../../src/serving/policy.ts';
import { simulate, type Workload } from '../../src/simulate.ts';
import { tinyDeployment, tinyKvDeployment } from '../helpers/deployment.ts';

describe('registry', () => {
  it('derives the policy names from its keys, and each policy is filed under its own name', () => {
    expect(SCHEDULER_POLICY_NAMES).toEqual(Object.keys(BATCH_POLICIES));
    for (const name of SCHEDULER_POLICY_NAMES) expect(BATCH_POLICIES[name].name).toBe(name);
    // the CLI's imports keep working
    expect(CLI_NAMES).toBe(SCHEDULER_POLICY_NAMES);
    expect(SCHEDULER_POLICIES).toBe(BATCH_POLICIES);
  });

  it('gives every engine family its own policy by default', () => {
    for (const engine of EngineFamilySchema.options) expect(defaultPolicyFor(engine).name).toBe(engine);
  });
});

/** a StepBuilder that records what a policy asks for */
function recordingBuilder(opts: { admissible: boolean; decoders: number; prefillTokens: number; preempts?: boolean }) {
  const calls: string[] = [];
  const builder: StepBuilder = {
    tokenBudget: 2048,
    hasAdmissiblePrefill: () => opts.admissible,
    addDecodes: () => {
      calls.push('decodes');
      return opts.decoders;
    },
    preemptedForDecodes: opts.preempts ?? false,
    addPrefills: (_now, budget, noAdmissions = false) => {
      calls.push(`prefills(${budget}${noAdmissions ? ', no admissions' : ''})`);
      return opts.prefillTokens;
    },
  };
  return { calls, builder };
}

describe('planStep', () => {
  it('vllm and trtllm mix: every decode first, then prefill chunks in what is left of the budget', () => {
    for (const name of ['vllm', 'trtllm'] as const) {
      const { calls, builder } = recordingBuilder({ admissible: true, decoders: 48, prefillTokens: 100 });
      BATCH_POLICIES[name].planStep(builder, 0);
      expect(calls).toEqual(['decodes', 'prefills(2000)']);
    }
  });

  it('vllm admits nothing new in a step whose decodes had to preempt', () => {
    const { calls, builder } = recordingBuilder({ admissible: true, decoders: 10, prefillTokens: 0, preempts: true });
    BATCH_POLICIES.vllm.planStep(builder, 0);
    expect(calls).toEqual(['decodes', 'prefills(2038, no admissions)']);
  });

  it('sglang runs a prefill-only step when a prefill can be placed, and decodes otherwise', () => {
    const prefill = recordingBuilder({ admissible: true, decoders: 48, prefillTokens: 100 });
    BATCH_POLICIES.sglang.planStep(prefill.builder, 0);
    expect(prefill.calls).toEqual(['prefills(2048)']);
    const blocked = recordingBuilder({ admissible: true, decoders: 48, prefillTokens: 0 });
    BATCH_POLICIES.sglang.planStep(blocked.builder, 0);
    expect(blocked.calls).toEqual(['prefills(2048)', 'decodes']);
  });
});

describe('kv admission', () => {
  const request = { promptTokens: 1000, outputTokens: 200, generated: 0, prefilled: 0 };
  it('vllm and sglang take blocks for the first chunk; trtllm reserves prompt and every output token', () => {
    expect(BATCH_POLICIES.vllm.kv.admissionTokens(request, 512)).toBe(512);
    expect(BATCH_POLICIES.sglang.kv.admissionTokens(request, 512)).toBe(512);
    // the last output token is sampled, never written to the cache
    expect(BATCH_POLICIES.trtllm.kv.admissionTokens(request, 512)).toBe(1199);
    expect(BATCH_POLICIES.trtllm.kv.chunkTokens({ ...request, prefilled: 512 }, 488)).toBe(0);
    expect(BATCH_POLICIES.vllm.kv.chunkTokens({ ...request, prefilled: 512 }, 488)).toBe(1000);
  });
});

/** the step shapes a run's replicas asked the cost model about */
function shapesOf(policy: SchedulerPolicyName, workload: Workload): StepShape[] {
  const base = tinyDeployment();
  const shapes: StepShape[] = [];
  class RecordingCost extends StepCostModel {
    override stepTimeS(shape: StepShape): number {
      shapes.push({ ...shape });
      return super.stepTimeS(shape);
    }
  }
  simulate({ deployment: { ...base, cost: new RecordingCost(base.deployment) }, workload, policy, seed: 'shapes' });
  return shapes;
}

describe('behaviour in a run', () => {
  const steady: Workload = {
    arrival: { kind: 'poisson', ratePerS: 8 },
    lengths: { kind: 'synthetic', input: { mean: 1500, stdev: 500 }, output: { mean: 150, stdev: 50 } },
    maxRequests: 200,
  };

  it('vllm mixes prefill chunks and decodes in one step; sglang never does, and runs prefill-only steps while sequences decode', () => {
    const vllm = shapesOf('vllm', steady);
    expect(vllm.some((s) => s.prefillTokens > 0 && s.decodeSeqs > 0)).toBe(true);
    const sglang = shapesOf('sglang', steady);
    expect(sglang.some((s) => s.prefillTokens > 0 && s.decodeSeqs > 0)).toBe(false);
    expect(sglang.filter((s) => s.prefillTokens > 0).length).toBeGreaterThan(0);
    expect(sglang.filter((s) => s.decodeSeqs > 0).length).toBeGreaterThan(0);
  });

  it('under KV pressure vllm and sglang preempt, trtllm never does', () => {
    const pressure: Workload = {
      arrival: { kind: 'poisson', ratePerS: 4 },
      lengths: { kind: 'synthetic', input: { mean: 1024, stdev: 300 }, output: { mean: 400, stdev: 150 } },
      maxRequests: 300,
    };
    const deployment = tinyKvDeployment(5000);
    const preemptions = (policy: SchedulerPolicyName) => simulate({ deployment, workload: pressure, policy, seed: 'kv-pressure' }).engine.preemptions;
    expect(preemptions('vllm')).toBeGreaterThan(0);
    expect(preemptions('sglang')).toBeGreaterThan(0);
    expect(preemptions('trtllm')).toBe(0);
  });
});
