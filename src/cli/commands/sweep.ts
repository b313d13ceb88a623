import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { InputError } from '../../diagnostics/errors.ts';
import { sweep } from '../../planning/library.ts';
import { shardLabel } from '../../planning/shard.ts';
import type { SweepRow } from '../../planning/sweep-row.ts';
import { AXES, FIXED_KEYS, type Axis, type FixedSettings } from '../../planning/sweep-grid.ts';
import { defineCommand } from '../command.ts';
import { type CliContext, DEPLOYMENT_OPTIONS } from '../context.ts';
import { fmt, printJson, printText, table } from '../output.ts';
import { withProgressBar } from '../progress.ts';
import { PD_OPTIONS } from '../technique-options.ts';
import { WORKLOAD_OPTIONS } from '../workload-options.ts';
import { ROUTERS } from '../../serving/router.ts';
import { SCHEDULER_POLICY_NAMES } from '../../serving/policy.ts';
import { sFromMsDivided } from '../../units.ts';

type SweepFlags = Record<string, unknown> & {
  grid?: string;
  out?: string;
  resume?: boolean;
  workers?: number;
  shard?: string;
  shards?: number;
  json?: boolean;
  profiles?: string[];
  chart?: string;
  force?: boolean;
};

/** P/D points: decode-replicas is an axis, the decode pool's settings are fixed */
const SWEEP_PD_OPTIONS = {
  ...PD_OPTIONS,
  'decode-replicas': { type: 'string', array: true, describe: 'P/D: decode instances, e.g. 1,2,4 (xPyD with x = --replicas); the decode pool from --decode-hardware/--decode-tp/--decode-ep/--decode-attention-dp' },
} as const;
const { model: _m, hardware: _h, tp: _t, weights: _w, 'kv-cache': _k, engine: _e, ...DEPLOYMENT_REST } = DEPLOYMENT_OPTIONS;
const { rate: _r, seed: _s, concurrency: _c, trace: _tr, 'time-scale': _ts, 'rate-curve': _rc, 'sweep-size': _ss, 'max-seconds': _ms, profile: _p, ...WORKLOAD_REST } = WORKLOAD_OPTIONS;

export function sweepCommand(ctx: () => CliContext) {
  return defineCommand({
    command: 'sweep',
    describe: 'simulate the cartesian product of models × hardware × TP × weights × rates × seeds, in parallel, streaming rows to --out',
    builder: (y: Argv) =>
      y
        .options(DEPLOYMENT_REST)
        .options({ ...WORKLOAD_REST, ...SWEEP_PD_OPTIONS })
        .options({
          model: { type: 'string', array: true, describe: 'model ids, comma-separated' },
          hardware: { type: 'string', array: true, describe: 'hardware ids, comma-separated' },
          tp: { type: 'string', array: true, describe: 'TP degrees, e.g. 1,2,4 (default 1)' },
          weights: { type: 'string', array: true, describe: 'weight formats, e.g. bf16,fp8' },
          'kv-cache': { type: 'string', array: true, describe: 'KV-cache dtypes, e.g. bf16,fp8' },
          engine: { type: 'string', array: true, describe: 'engine families' },
          rate: { type: 'string', array: true, describe: 'rates: START:STOP:STEP (inclusive) or a list, e.g. 5:50:5' },
          seed: { type: 'string', array: true, describe: 'seeds, comma-separated (default 42)' },
          profile: { type: 'string', choices: ['poisson', 'constant', 'gamma'], describe: 'arrival process at each rate (default poisson)' },
          replicas: { type: 'string', array: true, describe: 'replicas behind the router, e.g. 1,2,4 (default 1); with --decode-replicas, the prefill instances' },
          router: { type: 'string', choices: ROUTERS, describe: 'routing across replicas' },
          policy: { type: 'string', choices: SCHEDULER_POLICY_NAMES, describe: 'scheduler policy' },
          grid: { type: 'string', describe: 'YAML grid file: the axes above as lists (rate may be "5:50:5") plus fixed settings' },
          out: { type: 'string', describe: 'stream rows to FILE: JSONL, or CSV when FILE ends in .csv' },
          resume: { type: 'boolean', describe: 'keep the rows already in --out and run only the missing points' },
          workers: { type: 'number', describe: 'worker threads (default: CPU cores; 1 = inline)' },
          shard: { type: 'string', describe: 'run slice i of N: "i/N", numbered from 1 like jest/vitest (default: 0-based JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID + 1)' },
          shards: { type: 'number', describe: 'number of shards N (with --shard i or the job-index env variables)' },
          json: { type: 'boolean', describe: 'print the rows as one JSON document (no progress bar)' },
          chart: { type: 'string', describe: 'write latency vs rate (one series per deployment) to FILE and throughput vs rate to FILE-throughput.EXT (.svg .png .vl.json .html)' },
        })
        .example('$0 sweep --model llama-3.1-8b,llama-3.1-70b --hardware h100-sxm,h200-sxm --tp 1,2,4 --weights bf16,fp8 --rate 5:50:5 --workload chat --out sweep.jsonl', 'a 240-point grid')
        .example('$0 sweep --grid grid.yaml --out part-$JOB_COMPLETION_INDEX.jsonl --shards 8', 'one shard of a Kubernetes Indexed Job'),
    handler: async (argv: SweepFlags) => {
      const { axes, fixed } = gridFromFlags(argv);
      const workers = argv.workers ?? availableParallelism();
      const showBar = Boolean(process.stderr.isTTY) && !argv.json && !process.env['CI'];
      const started = Date.now();
      const res = await withProgressBar(showBar ? process.stderr : undefined, 'sweep', (progress) =>
        sweep({
          resolver: ctx(),
          axes,
          fixed,
          gridFile: argv.grid,
          profileDirs: argv.profiles ?? [],
          workers,
          shard: argv.shard,
          shards: argv.shards,
          out: argv.out,
          resume: argv.resume ?? false,
          force: argv.force ?? false,
          ...progress,
        }),
      );
      const { grid, shard } = res;
      if (argv.chart) await (await import('./report.ts')).writeSweepCharts(res.rows, argv.chart, { overwrite: argv.force });
      if (argv.json) {
        printJson({ schemaVersion: 2, points: grid.size, shard: shard ? shardLabel(shard) : undefined, rows: res.rows });
        return;
      }
      const s = sFromMsDivided(Date.now() - started);
      const ok = res.rows.filter((r) => r.status === 'ok');
      const out: string[] = [];
      out.push(
        `sweep: ${grid.size} points${shard ? `, shard ${shardLabel(shard)} (${res.total} points)` : ''}; ran ${res.ran}` +
          `${res.resumed ? `, ${res.resumed} already in ${argv.out}` : ''}; ${res.rows.length - ok.length} infeasible; ${workers} worker${workers > 1 ? 's' : ''}, ${s.toFixed(1)} s`,
      );
      if (argv.out) out.push(`rows: ${argv.out}`);
      const show = res.rows.slice(0, argv.out ? 20 : Infinity);
      // a replicas column only when replicas (or P/D's decode-replicas) is an axis of this sweep
      const withReplicas = grid.axes.replicas.some((v) => v !== undefined) || grid.axes['decode-replicas'].some((v) => v !== undefined);
      out.push(rowsTable(show, withReplicas));
      // reasons in full below the table (a table cell would cut them), one line per distinct reason
      const reasons = new Map<string, number[]>();
      for (const r of show) if (r.status !== 'ok') reasons.set(r.reason, [...(reasons.get(r.reason) ?? []), r.index]);
      for (const [reason, idx] of reasons) out.push(`infeasible (#${idx.join(', #')}): ${reason}`);
      if (show.length < res.rows.length) out.push(`(${res.rows.length - show.length} more rows in ${argv.out})`);
      printText(out.join('\n') + '\n');
    },
  });
}


/** The axes and fixed settings the flags give (a fixed setting takes one value). */
function gridFromFlags(argv: SweepFlags): { axes: Partial<Record<Axis, unknown>>; fixed: FixedSettings } {
  const axes: Partial<Record<Axis, unknown>> = {};
  for (const a of AXES) if (argv[a] !== undefined) axes[a] = argv[a];
  const fixed: FixedSettings = {};
  for (const k of FIXED_KEYS) {
    const v = argv[k];
    if (v === undefined) continue;
    if (Array.isArray(v)) throw new InputError(`sweep: --${k} takes one value`);
    fixed[k] = v as string | number | boolean;
  }
  return { axes, fixed };
}

/** One line per row: the deployment, rate and headline latencies; a replicas column only when it is an axis. */
function rowsTable(show: readonly SweepRow[], withReplicas: boolean): string {
  // a P/D point shows its pools: 2P1D
  const rep = (r: SweepRow) => (withReplicas ? [r.decodeReplicas !== null ? `${r.replicas}P${r.decodeReplicas}D` : r.replicas] : []);
  return table(
    ['#', 'model', 'hardware', 'tp', 'weights', ...(withReplicas ? ['replicas'] : []), 'rate', 'req/s', 'TTFT p50/p99 ms', 'ITL (per gap) p50/p99 ms', 'SLO', 'queue'],
    show.map((r) =>
      r.status === 'ok'
        ? [r.index, r.model, r.hardware, r.tp ?? '', r.weights ?? 'native', ...rep(r), r.rate, fmt.num(r.throughputReqPerS ?? NaN, 2),
            `${fmt.num(r.ttftP50Ms ?? NaN, 1)} / ${fmt.num(r.ttftP99Ms ?? NaN, 1)}`, `${fmt.num(r.itlP50Ms ?? NaN, 1)} / ${fmt.num(r.itlP99Ms ?? NaN, 1)}`,
            r.sloMet === null ? '—' : r.sloMet ? '✓' : '✗', r.saturation ?? '']
        : [r.index, r.model, r.hardware, r.tp ?? '', r.weights ?? 'native', ...rep(r), r.rate, '—', '—', '—', '—', 'infeasible'],
    ),
  );
}
