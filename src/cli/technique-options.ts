import type { PreparedDeployment } from '../cost/prepare.ts';
import type { DisaggregationConfig } from '../serving/disaggregation.ts';
import type { SimulationResult } from '../simulate.ts';
import type { CliContext, DeploymentFlags } from './context.ts';
import { fmt } from './output.ts';

/** Prefill/decode disaggregation flags: --replicas is then the prefill pool, these describe the decode pool. */
export const PD_OPTIONS = {
  'decode-replicas': { type: 'number', describe: 'P/D disaggregation: decode instances (xPyD with x = --replicas prefill instances)' },
  'decode-hardware': { type: 'string', describe: 'decode pool GPU, a hardware profile id (default: the prefill pool\'s --hardware)' },
  'decode-tp': { type: 'number', describe: 'decode pool TP (default: the prefill pool\'s)' },
  'decode-ep': { type: 'number', describe: 'decode pool EP (default: the prefill pool\'s)' },
  'decode-attention-dp': { type: 'number', describe: 'decode pool DEP degree (default: the prefill pool\'s)' },
  'pd-same-node': { type: 'boolean', describe: 'both pools in one node: KV moves over NVLink/xGMI, not the scale-out NIC' },
} as const;

export interface PdFlags {
  'decode-replicas'?: number | undefined;
  'decode-hardware'?: string | undefined;
  'decode-tp'?: number | undefined;
  'decode-ep'?: number | undefined;
  'decode-attention-dp'?: number | undefined;
  'pd-same-node'?: boolean | undefined;
}

/** The decode pool of a P/D run, or undefined when --decode-replicas is not given. */
export function disaggregationFromFlags(ctx: CliContext, argv: DeploymentFlags & PdFlags): DisaggregationConfig | undefined {
  const n = argv['decode-replicas'];
  if (n === undefined) return undefined;
  return { decode: decodePoolFromFlags(ctx, argv), decodeReplicas: n, ...(argv['pd-same-node'] !== undefined ? { sameNode: argv['pd-same-node'] } : {}) };
}

/** One decode instance: the prefill pool's flags with the --decode-* ones in their place. */
export function decodePoolFromFlags(ctx: CliContext, argv: DeploymentFlags & PdFlags): PreparedDeployment {
  const overrides: Record<string, unknown> = {};
  if (argv['decode-tp'] !== undefined) overrides['tp'] = argv['decode-tp'];
  if (argv['decode-ep'] !== undefined) overrides['ep'] = argv['decode-ep'];
  if (argv['decode-attention-dp'] !== undefined) overrides['attention-dp'] = argv['decode-attention-dp'];
  // another GPU starts from that GPU's smallest fitting TP unless --decode-tp says otherwise
  if (argv['decode-hardware'] !== undefined && argv['decode-hardware'] !== argv.hardware && argv['decode-tp'] === undefined) overrides['tp'] = undefined;
  return ctx.prepare({ ...argv, hardware: argv['decode-hardware'] ?? argv.hardware }, overrides);
}

/** the --decode-* flags given, for "needs --disaggregate" / "needs --decode-replicas" errors */
export function decodeFlagsGiven(argv: PdFlags): string[] {
  return (['decode-hardware', 'decode-tp', 'decode-ep', 'decode-attention-dp', 'pd-same-node'] as const).filter((k) => argv[k] !== undefined).map((k) => `--${k}`);
}

/** One line naming the techniques a run used; undefined for plain runs (their output is unchanged). */
export function techniquesLine(r: SimulationResult): string | undefined {
  const t = r.deployment.techniques;
  if (!t) return undefined;
  const parts: string[] = [];
  if (t.speculative)
    parts.push(`speculative ${t.speculative.method} k=${t.speculative.draftTokens} (${fmt.num(t.speculative.expectedTokensPerStep, 2)} tokens/step expected; ITL per chunk, TPOT per token)`);
  if (t.attentionDp !== undefined) parts.push(`DEP${t.attentionDp} (attention data-parallel, experts EP${t.attentionDp})`);
  const p = t.disaggregation;
  if (p)
    parts.push(
      `${p.prefillReplicas}P${p.decodeReplicas}D disaggregated: decode TP${p.decodeTp}, ${fmt.int(p.decodeKvTokensPerReplica)} KV tokens per decode instance, ` +
        `KV over ${p.link}, mean transfer ${fmt.num(p.meanTransferMs, 2)} ms (no overlap)`,
    );
  return `techniques: ${parts.join(' · ')}`;
}
