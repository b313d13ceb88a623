import cliProgress from 'cli-progress';
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { InputError } from '../../diagnostics/errors.ts';
import { resolveShard } from '../../planning/shard.ts';
import { AXES, buildGrid, FIXED_KEYS, pointAt, type Axis, type FixedSettings } from '../../planning/sweep-grid.ts';
import { runSweep } from '../../planning/sweep-runner.ts';
import { deploymentFlags, workloadFlags } from '../../planning/sweep-worker.ts';
import { defineCommand } from '../command.ts';
import { type CliContext, DEPLOYMENT_OPTIONS, choiceFromFlags } from '../context.ts';
import { fmt, printJson, table } from '../output.ts';
import { resolveWorkloads, WORKLOAD_OPTIONS } from '../workload-options.ts';
import { ROUTERS } from '../../serving/router.ts';
import { SCHEDULER_POLICY_NAMES } from '../../serving/policy.ts';
import { COMPUTE_DTYPES, KV_CACHE_DTYPES, WEIGHT_FORMATS } from '../../schema/dtype.ts';
import { ENGINE_FAMILIES } from '../../schema/deployment.ts';

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

const { model: _m, hardware: _h, tp: _t, weights: _w, 'kv-cache': _k, engine: _e, ...DEPLOYMENT_REST } = DEPLOYMENT_OPTIONS;
const { rate: _r, seed: _s, concurrency: _c, trace: _tr, 'time-scale': _ts, 'rate-curve': _rc, 'sweep-size': _ss, 'max-seconds': _ms, profile: _p, ...WORKLOAD_REST } = WORKLOAD_OPTIONS;

export function sweepCommand(ctx: () => CliContext) {
  return defineCommand({
    command: 'sweep',
    describe: 'simulate the cartesian product of models × hardware × TP × weights × rates × seeds, in parallel, streaming rows to --out',
    builder: (y: Argv) =>
      y
        .options(DEPLOYMENT_REST)
        .options(WORKLOAD_REST)
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
          replicas: { type: 'number', describe: 'replicas behind the router (default 1)' },
          router: { type: 'string', choices: ROUTERS, describe: 'routing across replicas' },
          policy: { type: 'string', choices: SCHEDULER_POLICY_NAMES, describe: 'scheduler policy' },
          grid: { type: 'string', describe: 'YAML grid file: the axes above as lists (rate may be "5:50:5") plus fixed settings' },
          out: { type: 'string', describe: 'stream rows to FILE: JSONL, or CSV when FILE ends in .csv' },
          resume: { type: 'boolean', describe: 'keep the rows already in --out and run only the missing points' },
          workers: { type: 'number', describe: 'worker threads (default: CPU cores; 1 = inline)' },
          shard: { type: 'string', describe: 'run slice i of N: "i/N" (default from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID)' },
          shards: { type: 'number', describe: 'number of shards N (with --shard i or the job-index env variables)' },
          json: { type: 'boolean', describe: 'print the rows as one JSON document (no progress bar)' },
          chart: { type: 'string', describe: 'write latency vs rate (one series per deployment) to FILE and throughput vs rate to FILE-throughput.EXT (.svg .png .vl.json .html)' },
        })
        .example('$0 sweep --model llama-3.1-8b,llama-3.1-70b --hardware h100-sxm,h200-sxm --tp 1,2,4 --weights bf16,fp8 --rate 5:50:5 --workload chat --out sweep.jsonl', 'a 240-point grid')
        .example('$0 sweep --grid grid.yaml --out part-$JOB_COMPLETION_INDEX.jsonl --shards 8', 'one shard of a Kubernetes Indexed Job'),
    handler: async (argv: SweepFlags) => {
      const axes: Partial<Record<Axis, unknown>> = {};
      for (const a of AXES) if (argv[a] !== undefined) axes[a] = argv[a];
      const fixed: FixedSettings = {};
      for (const k of FIXED_KEYS) {
        const v = argv[k];
        if (v === undefined) continue;
        if (Array.isArray(v)) throw new InputError(`sweep: --${k} takes one value`);
        fixed[k] = v as string | number | boolean;
      }
      const grid = buildGrid(axes, fixed, argv.grid);
      validateGrid(ctx(), grid);
      const shard = resolveShard(argv.shard, argv.shards);
      const workers = argv.workers ?? availableParallelism();
      if (!(Number.isInteger(workers) && workers >= 1)) throw new InputError(`--workers must be a whole number >= 1, found ${workers}`);
      if (argv.resume && !argv.out) throw new InputError('--resume needs --out FILE (the file to continue)');

      const showBar = Boolean(process.stderr.isTTY) && !argv.json && !process.env['CI'];
      let bar: cliProgress.SingleBar | undefined;
      const started = Date.now();
      const res = await runSweep({
        grid,
        profileDirs: argv.profiles ?? [],
        workers,
        shard,
        out: argv.out,
        resume: argv.resume ?? false,
        force: argv.force ?? false,
        onStart: (total, skipped) => {
          if (!showBar) return;
          bar = createBar(total, skipped);
        },
        onProgress: (done) => bar?.update(done),
      });
      bar?.stop();
      if (argv.chart) await (await import('./report.ts')).writeSweepCharts(res.rows, argv.chart, { overwrite: argv.force });
      if (argv.json) {
        printJson({ schemaVersion: 1, points: grid.size, shard: shard ? `${shard.index}/${shard.count}` : undefined, rows: res.rows });
        return;
      }
      const s = (Date.now() - started) / 1e3;
      const ok = res.rows.filter((r) => r.status === 'ok');
      const out: string[] = [];
      out.push(
        `sweep: ${grid.size} points${shard ? `, shard ${shard.index}/${shard.count} (${res.total} points)` : ''}; ran ${res.ran}` +
          `${res.resumed ? `, ${res.resumed} already in ${argv.out}` : ''}; ${res.rows.length - ok.length} infeasible; ${workers} worker${workers > 1 ? 's' : ''}, ${s.toFixed(1)} s`,
      );
      if (argv.out) out.push(`rows: ${argv.out}`);
      const show = res.rows.slice(0, argv.out ? 20 : Infinity);
      out.push(
        table(
          ['#', 'model', 'hardware', 'tp', 'weights', 'rate', 'req/s', 'TTFT p50/p99 ms', 'ITL p50/p99 ms', 'SLO', 'queue'],
          show.map((r) =>
            r.status === 'ok'
              ? [r.index, r.model, r.hardware, r.tp ?? '', r.weights ?? 'native', r.rate, fmt.num(r.throughputReqPerS ?? NaN, 2),
                  `${fmt.num(r.ttftP50Ms ?? NaN, 1)} / ${fmt.num(r.ttftP99Ms ?? NaN, 1)}`, `${fmt.num(r.itlP50Ms ?? NaN, 1)} / ${fmt.num(r.itlP99Ms ?? NaN, 1)}`,
                  r.sloMet === null ? '—' : r.sloMet ? '✓' : '✗', r.saturation ?? '']
              : [r.index, r.model, r.hardware, r.tp ?? '', r.weights ?? 'native', r.rate, '—', '—', '—', '—', `infeasible: ${r.reason.slice(0, 50)}`],
          ),
        ),
      );
      if (show.length < res.rows.length) out.push(`(${res.rows.length - show.length} more rows in ${argv.out})`);
      process.stdout.write(out.join('\n') + '\n');
    },
  });
}

function createBar(total: number, start: number) {
  // cli-progress is CommonJS; a static import keeps it simple
  const bar = new cliProgress.SingleBar(
    { format: 'sweep {bar} {percentage}% | {value}/{total} points | ETA {eta_formatted}', stream: process.stderr, hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, start);
  return bar;
}

/** Unknown names and bad values fail before anything runs (a typo in a list should not cost a sweep). */
function validateGrid(ctx: CliContext, grid: ReturnType<typeof buildGrid>): void {
  for (const m of grid.axes.model) ctx.registry.getModel(String(m));
  for (const h of grid.axes.hardware) ctx.registry.getHardware(String(h));
  const check = (axis: string, values: readonly unknown[], known: readonly string[]) => {
    for (const v of values)
      if (v !== undefined && !known.includes(String(v))) throw new InputError(`sweep: unknown ${axis} "${String(v)}"; expected one of ${known.join(', ')}`);
  };
  check('weights', grid.axes.weights, WEIGHT_FORMATS);
  check('kv-cache', grid.axes['kv-cache'], KV_CACHE_DTYPES);
  check('engine', grid.axes.engine, ENGINE_FAMILIES);
  if (grid.fixed.activations !== undefined) check('activations', [grid.fixed.activations], COMPUTE_DTYPES);
  // the workload and engine settings of the first point: bad --data, --slo, ... fail here
  const p = pointAt(grid, 0);
  resolveWorkloads(workloadFlags(grid.fixed, p));
  choiceFromFlags(deploymentFlags(grid.fixed, p));
}
