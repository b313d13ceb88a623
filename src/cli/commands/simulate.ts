import { formatProbability } from '../../planning/slo-probability.ts';
import type { Argv } from 'yargs';
import { InputError } from '../../diagnostics/errors.ts';
import { defineCommand } from '../command.ts';
import { REPORT_SCHEMA_VERSION, toReport } from '../../metrics/report.ts';
import { simulateGuidellmSweep } from '../../planning/guidellm-sweep.ts';
import { simulate, type SimulationResult } from '../../simulate.ts';
import { ROUTERS, type RouterName } from '../../serving/router.ts';
import { SCHEDULER_POLICY_NAMES, type SchedulerPolicyName } from '../../serving/policy.ts';
import { type CliContext, DEPLOYMENT_OPTIONS, type DeploymentFlags } from '../context.ts';
import { fmt, printJson, printText, table } from '../output.ts';
import { resolveWorkloads, WORKLOAD_OPTIONS, type WorkloadFlagValues } from '../workload-options.ts';
import { perRequestCsv } from '../../metrics/per-request-csv.ts';
import { writeFileAtomic } from '../../io/write-file.ts';
import { disaggregationFromFlags, PD_OPTIONS, type PdFlags, techniquesLine } from '../technique-options.ts';

interface SimulateFlags extends DeploymentFlags, WorkloadFlagValues, PdFlags {
  replicas?: number;
  router?: string;
  policy?: string;
  json?: boolean;
  'requests-csv'?: string;
  'out-guidellm'?: string;
  chart?: string;
  force?: boolean;
}

export function simulateCommand(ctx: () => CliContext) {
  return defineCommand({
    command: 'simulate',
    describe: 'simulate serving a workload on a deployment and report latency, throughput and SLO attainment',
    builder: (y: Argv) =>
      y
        .options(DEPLOYMENT_OPTIONS)
        .options(WORKLOAD_OPTIONS)
        .options(PD_OPTIONS)
        .options({
          replicas: { type: 'number', default: 1, describe: 'data-parallel replicas behind the router' },
          router: { type: 'string', choices: ROUTERS, describe: 'routing across replicas (default least-outstanding)' },
          policy: { type: 'string', choices: SCHEDULER_POLICY_NAMES, describe: 'scheduler policy (default: the engine family)' },
          json: { type: 'boolean', describe: 'print one JSON document (schemaVersion 2, schemas/simulate-result.schema.json)' },
          'requests-csv': { type: 'string', describe: 'write per-request records (CSV) to FILE' },
          'out-guidellm': { type: 'string', describe: "write the results as GuideLLM's benchmarks.json (v0.4+ shape) to FILE" },
          chart: {
            type: 'string',
            describe:
              'write charts (.svg .png .vl.json .html by extension). One run: latency CDFs to FILE and the engine timeline to FILE-timeline.EXT; ' +
              'several rates or --profile sweep: latency vs rate to FILE, FILE-throughput.EXT and the CDFs to FILE-cdf.EXT',
          },
        })
        .example(
          '$0 simulate --model llama-3.1-8b --hardware h200-sxm --profile poisson --rate 20 --data prompt_tokens=512,output_tokens=256 --max-requests 2000 --seed 1',
          'one Poisson run',
        ),
    handler: async (argv: SimulateFlags) => {
      const replicas = argv.replicas ?? 1;
      if (!(Number.isInteger(replicas) && replicas >= 1))
        throw new InputError(
          `--replicas: expected a whole number >= 1, found ${Number.isNaN(replicas) ? 'something that is not one number' : String(replicas)} (to compare several counts, use servesim sweep --replicas 1,2,4)`,
        );
      const prepared = ctx().prepare(argv);
      const disaggregation = disaggregationFromFlags(ctx(), argv);
      const wl = resolveWorkloads(argv);
      const base = {
        deployment: prepared,
        seed: wl.seed,
        replicas,
        slo: wl.slo,
        recordRequests: argv['requests-csv'] !== undefined, // the GuideLLM writer uses summaries only
        ...(argv.router ? { router: argv.router as RouterName } : {}),
        ...(argv.policy ? { policy: argv.policy as SchedulerPolicyName } : {}),
        ...(disaggregation ? { disaggregation } : {}),
      };
      let results: SimulationResult[];
      if (wl.profile === 'sweep') {
        results = simulateGuidellmSweep(base, wl.shape, wl.sweepSize);
      } else {
        results = wl.runs.map((workload) => simulate({ ...base, workload }));
      }
      const overwrite = argv.force;
      if (argv['requests-csv']) writeFileAtomic(argv['requests-csv'], perRequestCsv(results), { label: '--requests-csv', overwrite });
      if (argv['out-guidellm']) {
        const { toGuidellmBenchmarks } = await import('../../report/guidellm-writer.ts');
        writeFileAtomic(argv['out-guidellm'], JSON.stringify(toGuidellmBenchmarks(results), null, 2) + '\n', { label: '--out-guidellm', overwrite });
      }
      if (argv.chart) await (await import('./report.ts')).writeSimulateCharts(results, argv.chart, { overwrite });
      if (argv.json) {
        printJson(results.length === 1 ? toReport(results[0]!) : { schemaVersion: REPORT_SCHEMA_VERSION, runs: results.map(toReport) });
        return;
      }
      printSummary(results, prepared.memory.kvTokens, wl.lengthsLabel);
    },
  });
}

function loadLabel(r: SimulationResult): string {
  const a = r.workload.arrival;
  // multi-turn sessions: an open-loop rate counts sessions, not requests
  const per = r.workload.sessions !== undefined ? ' sessions/s' : '/s';
  return 'ratePerS' in a ? `${a.kind} ${fmt.num(a.ratePerS, 2)}${per}` : a.kind === 'concurrent' ? `concurrent ${a.streams}` : a.kind;
}

export function printSummary(results: SimulationResult[], kvTokens: number, lengthsLabel: string): void {
  const r0 = results[0]!;
  const d = r0.deployment;
  const out: string[] = [];
  out.push(
    `${d.model} on ${d.replicas > 1 ? `${d.replicas} replicas × ` : ''}${d.tp * d.pp}x ${d.hardware} (TP${d.tp}${d.pp > 1 ? ` PP${d.pp}` : ''}${d.ep > 1 ? ` EP${d.ep}` : ''}), ` +
      `weights ${d.weights}, KV ${d.kvCache}, ${d.engine} (${d.policy} policy), calibration ${d.calibration} (${d.calibrationProvenance})`,
  );
  out.push(`KV cache: ${fmt.int(kvTokens)} tokens per replica · lengths: ${lengthsLabel} · seed ${r0.seed}`);
  const techniques = techniquesLine(r0);
  if (techniques) out.push(techniques);
  out.push('');
  const anyRejected = results.some((r) => r.requests.rejected > 0);
  const rows = results.map((r) => {
    return [
      loadLabel(r),
      fmt.num(r.throughput.requestsPerS, 2),
      fmt.int(r.throughput.outputTokensPerS),
      `${fmt.ms(r.latencyS.ttft.median)} / ${fmt.ms(r.latencyS.ttft.p99)}`,
      `${fmt.ms(r.latencyS.itl.median)} / ${fmt.ms(r.latencyS.itl.p99)}`,
      `${fmt.ms(r.latencyS.tpot.median)} / ${fmt.ms(r.latencyS.tpot.p99)}`,
      `${fmt.ms(r.latencyS.e2e.median)} / ${fmt.ms(r.latencyS.e2e.p99)}`,
      r.slo ? `${fmt.pct(r.slo.attainment)}${r.slo.met ? ' ✓' : ' ✗'}` : '—',
      `${r.saturation.verdict}: ${r.saturation.reason}`,
      ...(anyRejected ? [r.requests.rejected > 0 ? `${r.requests.rejected} of ${r.requests.issued}` : '0'] : []),
    ];
  });
  out.push(
    table(
      ['load', 'req/s', 'out tok/s', 'TTFT p50/p99 ms', 'ITL (per gap) p50/p99 ms', 'TPOT (per request) p50/p99 ms', 'E2E p50/p99 ms', 'SLO attained', 'queue (why)', ...(anyRejected ? ['rejected'] : [])],
      rows,
    ),
  );
  if (r0.slo) out.push(`SLO: ${r0.slo.spec} (✓ = every percentile objective met)`);
  for (const r of results) {
    const c = r.prefixCache;
    if (c === undefined) continue;
    out.push(
      `prefix cache (${c.mode})${results.length > 1 ? ` ${loadLabel(r)}` : ''}: hit rate ${fmt.pct(c.hitRate)} of ${fmt.int(c.promptTokens)} prompt tokens, ` +
        `${fmt.int(c.tokensSaved)} tokens of prefill saved${c.offloadTokensLoaded > 0 ? ` (${fmt.int(c.offloadTokensLoaded - (c.diskTokensLoaded ?? 0))} loaded from host memory${c.diskTokensLoaded ? `, ${fmt.int(c.diskTokensLoaded)} from local disk` : ''})` : ''}, ${fmt.int(c.evictions)} blocks evicted`,
    );
  }
  // how sure: the calibration's 80% bands with the run's seed variance (src/metrics/uncertainty.ts)
  for (const r of results) {
    const b = r.uncertainty.band80 ?? {};
    const range = (x: readonly [number, number] | undefined) => (x ? `${fmt.ms(x[0])}–${fmt.ms(x[1])} ms` : '—');
    const where = results.length > 1 ? ` (${loadLabel(r)})` : '';
    if (Object.keys(b).length === 0) {
      out.push(`uncertainty: ${r.uncertainty.basis}`);
      break; // the same reason for every row
    }
    out.push(`80% band${where}: mean TTFT ${range(b.ttftMeanS)}, TPOT ${range(b.tpotMeanS)}, E2E ${range(b.e2eMeanS)}; p99 TTFT ${range(b.ttftP99S)}, ITL ${range(b.itlP99S)}, E2E ${range(b.e2eP99S)}`);
    if (r.uncertainty.probabilityMeetsSlo !== undefined) out.push(`P(meets SLO)${where}: ${formatProbability(r.uncertainty.probabilityMeetsSlo)}`);
  }
  if (results[0]?.uncertainty.band80) out.push(`bands: ${results[0].uncertainty.basis}`);
  const notes = new Set(results.flatMap((r) => r.warnings));
  for (const n of notes) out.push(`note: ${n}`);
  printText(out.join('\n') + '\n');
}
