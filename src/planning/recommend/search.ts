/**
 * `recommend`: search the deployment space for the cost–latency Pareto front at a target rate.
 *   1. bounds      enumerate the space; prune what cannot exist, cannot meet the SLO at batch 1, or cannot
 *                  fit the inventory (prune.ts) — no simulation;
 *   2. screening   a cheap capacity search per survivor (evaluate.ts), on worker threads;
 *   3. selection   verify (plan's search + fleet verification) only the candidates that can be on the front,
 *                  until every other one is dominated by a verified candidate even at its most favourable
 *                  (select.ts);
 *   4. answer      the front over verified figures, priced and unpriced apart; every candidate's fate.
 * Evaluations are price-free and checkpointed (--out), so prices, inventory and the criterion can change
 * on --resume without a new simulation.
 */
import type { DeploymentResolver } from '../deployment-resolver.ts';
import { inShard, shardLabel, type Shard } from '../shard.ts';
import { Checkpoint, settingsHash } from './checkpoint.ts';
import { fleetCost, type RateCurve } from './cost.ts';
import { estimateReplicas, LATENCY_ERROR } from './evaluate.ts';
import { assembleResult, type Evaluated } from './outcome.ts';
import { objectivesOf, type Objectives } from './pareto.ts';
import { pruneByBounds, type PricesAndInventory, type Survivor } from './prune.ts';
import type { Criterion, RecommendResult } from './result.ts';
import { EvalRunner } from './runner.ts';
import { HIGHEST_PROBE, selectAndVerify } from './select.ts';
import { enumerateSpace, type SpaceSpec } from './space.ts';
import type { EvalSettings, ScreenRecord, VerifyRecord } from './types.ts';

export interface RecommendOptions {
  readonly resolver: DeploymentResolver;
  readonly space: SpaceSpec;
  /** targetRatePerS is the peak of the rate curve when there is one */
  readonly settings: EvalSettings;
  readonly workloadLabel: string;
  readonly sloText: string;
  readonly market: PricesAndInventory;
  readonly rateCurve: RateCurve | undefined;
  readonly criterion: Criterion;
  readonly top: number;
  /** relative error allowed to screening's cost estimate before a candidate is left unverified (default 0.3; latency: LATENCY_ERROR) */
  readonly screenMargin: number;
  readonly workers: number;
  readonly shard: Shard | undefined;
  readonly out: string | undefined;
  readonly resume: boolean;
  readonly force: boolean;
  readonly onProgress?: ((stage: 'screening' | 'verification', done: number, total: number) => void) | undefined;
}

/** The cost axis of a candidate: front $/hour when priced, average GPUs when not. */
function costAxis(s: Survivor, replicas: number, perReplicaRatePerS: number, o: RecommendOptions): number {
  const c = fleetCost(replicas, s.gpusPerReplica, perReplicaRatePerS, o.settings.headroom, s.usdPerGpuHour, o.rateCurve);
  return c.frontUsdPerHour ?? c.averageGpus;
}

function screenedObjectives(s: Survivor, r: ScreenRecord, o: RecommendOptions): Objectives | undefined {
  if (!r.feasible) return undefined;
  return objectivesOf(costAxis(s, estimateReplicas(o.settings, r.perReplicaRatePerS), r.perReplicaRatePerS, o), r);
}

/**
 * What the verified objectives can never beat (types.ts ScreenBounds): the cost of the fewest replicas plan's
 * capacity allows (it never exceeds HIGHEST_PROBE × the ceiling, so neither does the per-replica rate the day's
 * cost is computed from), and the batch-1 latency floors.
 */
function provenFloors(s: Survivor, r: ScreenRecord, o: RecommendOptions): Objectives {
  const most = r.ceilingRatePerS !== undefined && r.ceilingRatePerS > 0 ? HIGHEST_PROBE * r.ceilingRatePerS : undefined;
  const cost = most !== undefined ? costAxis(s, estimateReplicas(o.settings, most), most, o) : -Infinity;
  const gap = r.gapFloorMs ?? 0;
  return [cost, r.ttftFloorMs ?? 0, gap, gap > 0 ? -1000 / gap : -Infinity];
}

/** Verified objectives, or a reason it drops out (infeasible, or beyond the inventory). */
function verifiedObjectives(s: Survivor, r: VerifyRecord, o: RecommendOptions): { objectives: Objectives } | { reason: string } {
  if (!r.feasible) return { reason: r.reason };
  const available = o.market.available?.get(s.candidate.hardware);
  const gpus = r.replicas * r.gpusPerReplica;
  if (available !== undefined && gpus > available) return { reason: `the verified fleet needs ${gpus} ${s.candidate.hardware}; ${available} available` };
  return { objectives: objectivesOf(costAxis(s, r.replicas, r.perReplicaRatePerS, o), r) };
}

async function selectGroup(group: readonly Survivor[], screens: ReadonlyMap<string, ScreenRecord>, runner: EvalRunner, o: RecommendOptions, ev: Evaluated): Promise<void> {
  const screened = new Map<number, Objectives>();
  const forced: number[] = [];
  const floors = new Map<number, Objectives>();
  const byIndex = new Map(group.map((s) => [s.candidate.index, s]));
  for (const s of group) {
    const r = screens.get(s.candidate.label)!;
    const v = screenedObjectives(s, r, o);
    floors.set(s.candidate.index, provenFloors(s, r, o));
    if (v) screened.set(s.candidate.index, v);
    else if (!r.feasible && r.minimalLoadOverLimit <= 1 + o.screenMargin) {
      // screening failed, but not clearly: the verified search decides
      screened.set(s.candidate.index, [Infinity, Infinity, Infinity, Infinity]);
      forced.push(s.candidate.index);
    }
  }
  let done = 0;
  const verify = async (ids: readonly number[]) => {
    const recs = await runner.run(
      'verify',
      ids.map((id) => byIndex.get(id)!.candidate),
      () => o.onProgress?.('verification', ++done, done),
      (c) => screens.get(c.label)?.throughputRunRatePerS,
    );
    const out = new Map<number, Objectives | undefined>();
    for (const id of ids) {
      const s = byIndex.get(id)!;
      const r = recs.get(s.candidate.label);
      if (r?.kind !== 'verify') continue;
      ev.verified.set(s.candidate.label, r);
      const v = verifiedObjectives(s, r, o);
      if ('objectives' in v) {
        out.set(id, v.objectives);
        ev.objectives.set(s.candidate.label, { v: v.objectives, priced: s.usdPerGpuHour !== undefined });
      } else ev.verifyReasons.set(s.candidate.label, v.reason);
    }
    return out;
  };
  const sel = await selectAndVerify(screened, { cost: o.screenMargin, latency: LATENCY_ERROR }, verify, forced, floors);
  for (const id of sel.front) ev.front.add(id);
  for (const [id, by] of sel.screenedOut) ev.screenedOutBy.set(id, byIndex.get(by)!.candidate.label);
  ev.rounds = Math.max(ev.rounds, sel.rounds);
}

export async function recommendSearch(o: RecommendOptions): Promise<RecommendResult> {
  const space = enumerateSpace(o.resolver.registry, o.space);
  const mine = space.filter((c) => inShard(c.index, o.shard));
  const { survivors, pruned } = pruneByBounds(o.resolver, mine, o.settings, o.market);
  const checkpoint = new Checkpoint(o.out, settingsHash(o.settings), { resume: o.resume, force: o.force });
  const runner = new EvalRunner(o.workers, o.settings, checkpoint);
  const ev: Evaluated = { screens: new Map(), verified: new Map(), verifyReasons: new Map(), objectives: new Map(), front: new Set(), screenedOutBy: new Map(), rounds: 0 };
  try {
    let done = 0;
    const screens = await runner.run('screen', survivors.map((s) => s.candidate), () => o.onProgress?.('screening', ++done, survivors.length));
    for (const [label, r] of screens) if (r.kind === 'screen') ev.screens.set(label, r);
    // priced and unpriced candidates are ranked apart: a GPU without a price neither wins nor loses on cost
    await selectGroup(survivors.filter((s) => s.usdPerGpuHour !== undefined), ev.screens, runner, o, ev);
    await selectGroup(survivors.filter((s) => s.usdPerGpuHour === undefined), ev.screens, runner, o, ev);
  } finally {
    await runner.close();
  }
  checkpoint.finish();
  return assembleResult({ options: o, spaceSize: space.length, candidates: mine, survivors, pruned, evaluated: ev, shard: o.shard ? shardLabel(o.shard) : null });
}
