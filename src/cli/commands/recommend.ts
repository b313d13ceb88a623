import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { InfeasibleError, InputError } from '../../diagnostics/errors.ts';
import { commaList } from '../../planning/comma-list.ts';
import { CRITERIA, type Criterion, type RecommendResult } from '../../planning/recommend/result.ts';
import { recommend } from '../../planning/recommend/request.ts';
import { defineCommand } from '../command.ts';
import type { CliContext } from '../context.ts';
import { printJson, printText } from '../output.ts';
import { withProgressBar } from '../progress.ts';
import { PLAN_OPTIONS, PLAN_WORKLOAD_OPTIONS, planShape, planWorkload, type PlanFlags } from './plan.ts';
import { formatRecommend } from './recommend-format.ts';

interface RecommendFlags extends Omit<PlanFlags, 'model' | 'hardware' | 'tp' | 'pp' | 'weights' | 'kv-cache' | 'engine' | 'max-num-seqs' | 'max-num-batched-tokens' | 'chunked-prefill'> {
  model?: string[];
  hardware?: string[];
  available?: string[];
  tp?: string[];
  pp?: string[];
  weights?: string[];
  'kv-cache'?: string[];
  engine?: string[];
  'max-num-seqs'?: string[];
  'max-num-batched-tokens'?: string[];
  'chunked-prefill'?: string[];
  'rate-curve'?: string;
  criterion?: string;
  top?: number;
  'screen-margin'?: number;
  workers?: number;
  shard?: string;
  shards?: number;
  out?: string;
  resume?: boolean;
  all?: boolean;
}

const list = { type: 'string', array: true } as const;

const RECOMMEND_OPTIONS = {
  model: { ...list, describe: 'model(s) to serve, comma-separated (servesim profiles list)' },
  hardware: { ...list, describe: 'GPUs to consider (default: every hardware profile, or those in --available)' },
  available: { ...list, describe: 'inventory: only these GPUs, at most this many each, e.g. h100-sxm=16,a100-sxm-80gb=32' },
  tp: { ...list, describe: 'TP degrees (default: powers of two within the NVLink domain, up to 8)' },
  pp: { ...list, describe: 'PP degrees (default: 1, and 2 at the widest TP)' },
  weights: { ...list, describe: "weight formats (default: the model's, fp8 and nvfp4 where the GPU has the tensor cores)" },
  'kv-cache': { ...list, describe: 'KV-cache dtypes (default: bf16, and fp8 where the GPU has FP8)' },
  engine: { ...list, describe: 'engine families (default: vllm, sglang, and trtllm on NVIDIA)' },
  'max-num-seqs': { ...list, describe: 'max running sequences to try (default 128,256,512)' },
  'max-num-batched-tokens': { ...list, describe: 'token budgets per step to try (default 2048,8192)' },
  'chunked-prefill': { ...list, describe: 'chunked prefill: on, off or on,off (default on)' },
  'gpu-memory-utilization': { type: 'number', describe: 'share of GPU memory the engine may use (default 0.9)' },
  'block-size': { type: 'number', describe: 'KV block size in tokens (default 16)' },
  'max-model-len': { type: 'number', describe: "max tokens per request (default: the model's context)" },
  calibration: { type: 'string', describe: 'calibration profile file for every candidate (default: shipped per GPU and engine)' },
  'rate-curve': { type: 'string', describe: 'request rates over a day in equal slices (24 = hourly), comma-separated or a file: sized for the peak, costed over the day' },
  criterion: { type: 'string', choices: CRITERIA, describe: 'what ranks the front and the top-k (default cost)' },
  top: { type: 'number', describe: 'how many candidates the top-k lists (default 5)' },
  'screen-margin': { type: 'number', describe: 'relative error allowed to the cost the cheap screening estimates before a candidate is left unverified (default 0.3; latency is allowed a measured 15%)' },
  workers: { type: 'number', describe: 'worker threads (default: CPU cores; 1 = inline)' },
  shard: { type: 'string', describe: 'evaluate slice i of N of the space: "i/N", numbered from 1 (then combine the --out files with --resume)' },
  shards: { type: 'number', describe: 'number of shards N (with --shard i or the job-index env variables)' },
  out: { type: 'string', describe: 'JSONL checkpoint of every evaluation (price-free); with --resume a killed search continues' },
  resume: { type: 'boolean', describe: 'continue the search in --out (records computed under the same settings are reused)' },
  all: { type: 'boolean', describe: 'list every candidate with its status and reason' },
  chart: { type: 'string', describe: 'write the cost-vs-latency Pareto chart to FILE (.svg .png .vl.json .html)' },
  force: { type: 'boolean', describe: 'replace existing --out / --chart files' },
} as const;

function numbers(v: string[] | undefined, flag: string): number[] | undefined {
  if (v === undefined) return undefined;
  return commaList(v).map((x) => {
    const n = Number(x);
    if (!(Number.isInteger(n) && n >= 1)) throw new InputError(`${flag}: expected whole numbers >= 1, found "${x}"`);
    return n;
  });
}

function onOff(v: string[] | undefined): boolean[] | undefined {
  if (v === undefined) return undefined;
  return commaList(v).map((x) => {
    if (/^(on|true|yes)$/i.test(x)) return true;
    if (/^(off|false|no)$/i.test(x)) return false;
    throw new InputError(`--chunked-prefill: expected on, off or on,off, found "${x}"`);
  });
}

const strings = (v: string[] | undefined) => (v === undefined ? undefined : commaList(v));

async function writeParetoChart(r: RecommendResult, file: string, overwrite: boolean | undefined): Promise<void> {
  const { paretoChartOf } = await import('../../report/recommend-section.ts');
  const { writeChart } = await import('../../report/render.ts');
  await writeChart(paretoChartOf(r), file, { overwrite, createDirs: false });
}

export function recommendCommand(ctx: () => CliContext) {
  return defineCommand({
    command: 'recommend',
    describe: 'search the deployment space (GPUs, TP/PP, dtypes, engines, engine knobs) for the cost–latency Pareto front at a target rate',
    builder: (y: Argv) =>
      y
        .options(RECOMMEND_OPTIONS)
        .options(PLAN_WORKLOAD_OPTIONS)
        .options(PLAN_OPTIONS)
        .example('$0 recommend --model llama-3.1-70b --workload chat --target-rate 50 --slo ttft:p99<=200ms', 'the cheapest ways to serve a chatbot, and what lower latency costs')
        .example('$0 recommend --model llama-3.1-8b --available h100-sxm=16,a100-sxm-80gb=32 --rate-curve rates.csv', 'what I have, sized for the peak of a day'),
    handler: async (argv: RecommendFlags) => {
      if (!argv.model?.length) throw new InputError('recommend: --model is required (one model, or several comma-separated)');
      const { model: _m, hardware: _h, tp: _t, pp: _p, weights: _w, 'kv-cache': _k, engine: _e, 'max-num-seqs': _s, 'max-num-batched-tokens': _b, 'chunked-prefill': _c, ...planFlags } = argv;
      const planned = planShape(planFlags);
      const { label } = planned;
      const workload = planWorkload(planFlags, planned);
      const showBar = Boolean(process.stderr.isTTY) && !argv.json && !process.env['CI'];
      let started = false;
      const r = await withProgressBar(showBar ? process.stderr : undefined, 'recommend', (progress) =>
        recommend({
          resolver: ctx(),
          profileDirs: argv.profiles ?? [],
          ...workload,
          workloadLabel: label,
          models: commaList(argv.model),
          hardware: strings(argv.hardware),
          available: strings(argv.available),
          tp: numbers(argv.tp, '--tp'),
          pp: numbers(argv.pp, '--pp'),
          weights: strings(argv.weights),
          kvCache: strings(argv['kv-cache']),
          engines: strings(argv.engine),
          maxNumSeqs: numbers(argv['max-num-seqs'], '--max-num-seqs'),
          maxNumBatchedTokens: numbers(argv['max-num-batched-tokens'], '--max-num-batched-tokens'),
          chunkedPrefill: onOff(argv['chunked-prefill']),
          base: baseFlags(argv),
          targetRatePerS: argv['target-rate'],
          rateCurve: argv['rate-curve'],
          criterion: argv.criterion as Criterion | undefined,
          top: argv.top,
          screenMargin: argv['screen-margin'],
          workers: argv.workers ?? availableParallelism(),
          shard: argv.shard,
          shards: argv.shards,
          out: argv.out,
          resume: argv.resume,
          force: argv.force,
          // the bar follows the screening (one evaluation per candidate); verification is a short tail
          onProgress: (stage, done, total) => {
            if (stage !== 'screening') return;
            if (!started) progress.onStart(total, 0);
            started = true;
            progress.onProgress(done);
          },
        }),
      );
      if (argv.chart) await writeParetoChart(r, argv.chart, argv.force);
      if (argv.json) printJson(r);
      else printText(formatRecommend(r, argv.all ?? false) + '\n');
      if (r.front.length === 0 && r.unpricedFront.length === 0) throw new InfeasibleError(`no candidate meets the SLO ${r.slo} at ${r.targetRatePerS} req/s${argv.json ? '' : ' (reasons above; --all lists every candidate)'}`);
    },
  });
}

/** Engine settings every candidate shares (the generated choice flags arrive untyped from yargs). */
function baseFlags(argv: RecommendFlags) {
  const given = new Map<string, unknown>(Object.entries(argv));
  const shared: Record<string, unknown> = {};
  for (const k of ['gpu-memory-utilization', 'block-size', 'max-model-len']) if (given.get(k) !== undefined) shared[k] = given.get(k);
  if (argv.calibration !== undefined) shared['calibration'] = argv.calibration;
  return shared;
}
