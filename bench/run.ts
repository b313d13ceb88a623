/**
 * servesim performance benchmark (issue 8), with @doublewordai/inference-lab as the yardstick.
 *
 *   npm run bench                                   # build + all scenarios
 *   node --expose-gc dist/bench/run.js --scenario 1 # one scenario (1 = 1a + 1b; also 1a, 1b, 2, 3, 4)
 *   node --expose-gc dist/bench/run.js --quick      # ~20x smaller sizes (smoke test)
 *   node --cpu-prof dist/bench/run.js --scenario 1  # profiles (forked children inherit --cpu-prof)
 *
 * Flags: --no-il (skip inference-lab), --no-fork (run cases in this process; peak RSS is then shared),
 * --il-max-requests N (default 20000: inference-lab runs at most N requests of a scenario, because its wall
 * time grows superlinearly with the request count; its requests/wall-s at N is then an upper bound for the
 * full size, so the ratio reported is a lower bound).
 * Each measured case runs in its own forked process so peak RSS (getrusage maxRSS) belongs to that case.
 * Prints a table, then — last — one JSON line with every figure.
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulate } from '../src/simulate.ts';
import { runInferenceLab } from './inference-lab.ts';
import { buildScenarios, inferenceLabConfig, type ScenarioSpec, servesimConfig } from './scenarios.ts';

interface CaseResult {
  readonly simulator: 'servesim' | 'inference-lab';
  readonly scenario: string;
  readonly wallS: number;
  /** user + system CPU seconds of the timed run (wall time is noisy on a shared 2-core machine) */
  readonly cpuS: number;
  readonly warmupWallS: number;
  readonly requestsCompleted: number;
  readonly requestsIssued: number;
  readonly simulatedS: number;
  readonly steps: number | null;
  readonly events: number | null;
  readonly requestsPerWallS: number;
  readonly stepsPerWallS: number | null;
  readonly eventsPerWallS: number | null;
  readonly peakRssMB: number;
  readonly rssBeforeMB: number;
  readonly rssAfterMB: number;
  readonly heapUsedAfterGcMB: number;
  readonly achievedRatePerS: number;
  readonly p50TtftMs: number;
  readonly p50E2eS: number;
  readonly preemptions: number;
  readonly verdict?: string;
}

const MB = 1024 * 1024;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** One timed run: wall and CPU seconds, RSS before and after, heap after a forced GC (both simulators). */
function measure<T>(run: () => T): { result: T; wallS: number; cpuS: number; rssBefore: number; rssAfter: number; heap: number } {
  gc();
  const rssBefore = process.memoryUsage().rss;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = run();
  const wallS = (performance.now() - t0) / 1e3;
  const cu = process.cpuUsage(c0);
  const cpuS = (cu.user + cu.system) / 1e6;
  const rssAfter = process.memoryUsage().rss;
  gc();
  return { result, wallS, cpuS, rssBefore, rssAfter, heap: process.memoryUsage().heapUsed };
}

function measureServesim(spec: ScenarioSpec): CaseResult {
  const config = servesimConfig(spec);
  // warm-up: the same deployment on a small slice, so the timed run sees JIT-compiled code
  const w0 = performance.now();
  simulate({
    ...config,
    workload: { ...config.workload, ...(spec.maxSeconds !== undefined ? { maxSeconds: Math.min(5, spec.maxSeconds) } : { maxRequests: 1000 }) },
  });
  const warmupWallS = (performance.now() - w0) / 1e3;
  const { result: r, wallS, cpuS, rssBefore, rssAfter, heap } = measure(() => simulate(config));
  return {
    simulator: 'servesim',
    scenario: spec.id,
    wallS,
    cpuS,
    warmupWallS,
    requestsCompleted: r.requests.completed,
    requestsIssued: r.requests.issued,
    simulatedS: r.simulatedTimeS,
    steps: r.engine.steps,
    events: r.engine.events,
    requestsPerWallS: r.requests.completed / wallS,
    stepsPerWallS: r.engine.steps / wallS,
    eventsPerWallS: r.engine.events / wallS,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
    rssBeforeMB: rssBefore / MB,
    rssAfterMB: rssAfter / MB,
    heapUsedAfterGcMB: heap / MB,
    achievedRatePerS: r.throughput.requestsPerS,
    p50TtftMs: r.latencyS.ttft.median * 1e3,
    p50E2eS: r.latencyS.e2e.median,
    preemptions: r.engine.preemptions,
    verdict: r.saturation.verdict,
  };
}

function measureInferenceLab(spec: ScenarioSpec, maxRequests: number): CaseResult {
  const full = inferenceLabConfig(spec) as { workload: Record<string, unknown> };
  // inference-lab's wall time grows superlinearly with the request count; cap it (see --il-max-requests)
  const n = Math.min(spec.maxRequests ?? Infinity, maxRequests);
  const config = { ...full, workload: { ...full.workload, num_requests: n } };
  const w0 = performance.now();
  runInferenceLab({ ...config, workload: { ...config.workload, num_requests: 200 } });
  const warmupWallS = (performance.now() - w0) / 1e3;
  const { result: m, wallS, cpuS, rssBefore, rssAfter, heap } = measure(() => runInferenceLab(config));
  return {
    simulator: 'inference-lab',
    scenario: spec.id,
    wallS,
    cpuS,
    warmupWallS,
    requestsCompleted: m.completed_requests,
    requestsIssued: m.total_requests,
    simulatedS: m.total_time,
    steps: null,
    events: null,
    requestsPerWallS: m.completed_requests / wallS,
    stepsPerWallS: null,
    eventsPerWallS: null,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
    rssBeforeMB: rssBefore / MB,
    rssAfterMB: rssAfter / MB,
    heapUsedAfterGcMB: heap / MB,
    achievedRatePerS: m.requests_per_sec,
    // inference-lab reports latencies in milliseconds
    p50TtftMs: m.ttft_p50,
    p50E2eS: m.e2e_p50 / 1e3,
    preemptions: m.total_preemptions,
  };
}

interface ChildTask {
  readonly simulator: 'servesim' | 'inference-lab';
  readonly spec: ScenarioSpec;
  readonly ilMaxRequests: number;
}

function runTask(task: ChildTask): CaseResult {
  return task.simulator === 'servesim' ? measureServesim(task.spec) : measureInferenceLab(task.spec, task.ilMaxRequests);
}

function runForked(task: ChildTask): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const self = fileURLToPath(import.meta.url);
    const child = fork(self, ['--child', Buffer.from(JSON.stringify(task)).toString('base64')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: CaseResult | undefined;
    child.on('message', (m) => (result = m as CaseResult));
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${task.simulator} ${task.spec.id} child exited with ${code}`))));
  });
}

// ---------------------------------------------------------------------------------------------------
// scenario 4: plan + sweep through the CLI, if another helper has landed them

interface CliTiming {
  readonly available: boolean;
  readonly note: string;
  readonly planWallS?: number;
  readonly sweepWallS?: number;
  readonly sweepPoints?: number;
}

function cliTimings(): CliTiming {
  const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
  const cli = join(root, 'dist', 'src', 'cli', 'main.js');
  const capacity = join(root, 'src', 'planning', 'capacity.ts');
  if (!existsSync(cli) || !existsSync(capacity)) return { available: false, note: 'not available yet (src/planning/capacity.ts or the CLI is missing)' };
  try {
    execFileSync(process.execPath, [cli, 'plan', '--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return { available: false, note: 'not available yet (src/planning/capacity.ts exists, but the CLI has no `plan` command)' };
  }
  const time = (args: string[]): number => {
    const t0 = performance.now();
    execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'inherit'] });
    return (performance.now() - t0) / 1e3;
  };
  // override with BENCH_PLAN_ARGS / BENCH_SWEEP_ARGS (space-separated) if the CLI flags change
  const planArgs = (
    process.env['BENCH_PLAN_ARGS'] ??
    'plan --model llama-3.1-8b --hardware h100-sxm --data prompt_tokens=512,output_tokens=256 --slo ttft:p99<=2s,itl:p99<=100ms --target-rate 100'
  ).split(' ');
  const sweepOut = join(tmpdir(), `servesim-bench-sweep-${process.pid}.jsonl`);
  const sweepArgs = (
    process.env['BENCH_SWEEP_ARGS'] ??
    `sweep --model llama-3.1-8b --hardware h100-sxm --data prompt_tokens=512,output_tokens=256 --rate 0.1:100:0.1 --workers 2 --out ${sweepOut}`
  )
    .split(' ')
    .filter(Boolean);
  const out: { planWallS?: number; sweepWallS?: number; sweepPoints?: number } = {};
  const notes: string[] = [];
  try {
    out.planWallS = time(planArgs);
  } catch (e) {
    notes.push(`plan failed: ${(e as Error).message.split('\n')[0]}`);
  }
  if (sweepArgs.length > 0) {
    try {
      if (existsSync(sweepOut)) rmSync(sweepOut);
      out.sweepWallS = time(sweepArgs);
      out.sweepPoints = existsSync(sweepOut) ? readFileSync(sweepOut, 'utf8').split('\n').filter(Boolean).length : 1000;
      if (existsSync(sweepOut)) rmSync(sweepOut);
    } catch (e) {
      notes.push(`sweep failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return { available: true, note: notes.join('; ') || 'ok', ...out };
}

/**
 * Fixed cost per simulate() call: many small runs, as a plan or a sweep issues them. Scenario 1's
 * deployment and lengths at 80% load, `requests` per run, after 20 warm-up calls.
 */
function smallRuns(spec: ScenarioSpec, requests: number, calls: number): { requests: number; calls: number; msPerCall: number } {
  const cfg = servesimConfig({ ...spec, maxRequests: requests });
  for (let i = 0; i < 20; i++) simulate(cfg);
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) simulate(cfg);
  return { requests, calls, msPerCall: (performance.now() - t0) / calls };
}

// ---------------------------------------------------------------------------------------------------

function fmt(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function printTable(rows: readonly CaseResult[]): void {
  const head = ['scen', 'simulator', 'requests', 'sim s', 'wall s', 'cpu s', 'req/wall-s', 'steps/s', 'events/s', 'peak RSS MB', 'heap MB', 'ach. req/s', 'p50 TTFT ms'];
  const body = rows.map((r) => [
    r.scenario,
    r.simulator,
    fmt(r.requestsCompleted),
    fmt(r.simulatedS, 0),
    fmt(r.wallS, 3),
    fmt(r.cpuS, 3),
    fmt(r.requestsPerWallS),
    fmt(r.stepsPerWallS),
    fmt(r.eventsPerWallS),
    fmt(r.peakRssMB, 0),
    fmt(r.heapUsedAfterGcMB, 1),
    fmt(r.achievedRatePerS, 1),
    fmt(r.p50TtftMs, 1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const childIdx = argv.indexOf('--child');
  if (childIdx >= 0) {
    const task = JSON.parse(Buffer.from(argv[childIdx + 1]!, 'base64').toString('utf8')) as ChildTask;
    const r = runTask(task);
    process.send!(r);
    return;
  }
  const quick = argv.includes('--quick');
  const noIl = argv.includes('--no-il');
  const noFork = argv.includes('--no-fork');
  const ilArg = argv.indexOf('--il-max-requests');
  const ilMaxRequests = ilArg >= 0 ? Number(argv[ilArg + 1]) : 20_000;
  const picks: string[] = [];
  for (let i = 0; i < argv.length; i++) if (argv[i] === '--scenario') picks.push(...(argv[i + 1] ?? '').split(','));
  const want = (id: string): boolean => picks.length === 0 || picks.includes(id) || picks.includes(id.replace(/[ab]$/, ''));

  const t0 = performance.now();
  const scenarios = buildScenarios(quick).filter((s) => want(s.id));
  const setupS = (performance.now() - t0) / 1e3;
  const results: CaseResult[] = [];
  const run = (task: ChildTask) => (noFork ? Promise.resolve(runTask(task)) : runForked(task));
  const out: Record<string, unknown>[] = [];
  for (const s of scenarios) {
    console.error(`[bench] ${s.id}: ${s.title} (servesim saturation ${s.saturationPerS.toFixed(2)} req/s per replica)`);
    const ss = await run({ simulator: 'servesim', spec: s, ilMaxRequests });
    results.push(ss);
    let il: CaseResult | undefined;
    if (!noIl && !s.inferenceLabUnsupported) {
      il = await run({ simulator: 'inference-lab', spec: s, ilMaxRequests });
      results.push(il);
    }
    out.push({
      id: s.id,
      title: s.title,
      rate: s.arrival.kind === 'poisson' ? s.arrival.ratePerS : 1000,
      saturationPerReplicaPerS: s.saturationPerS,
      loadFraction: s.loadFraction,
      servesim: ss,
      inferenceLab: il ?? { unsupported: s.inferenceLabUnsupported ?? (noIl ? 'skipped (--no-il)' : 'n/a') },
      ratioRequestsPerWallS: il ? ss.requestsPerWallS / il.requestsPerWallS : null,
      /** the same ratio on CPU seconds (less sensitive to other load on the machine) */
      ratioRequestsPerCpuS: il ? ss.requestsCompleted / ss.cpuS / (il.requestsCompleted / il.cpuS) : null,
      inferenceLabRequests: il ? il.requestsCompleted : null,
      inferenceLabCapped: il ? il.requestsIssued < (s.maxRequests ?? 0) : null,
    });
  }
  const cli = want('4') ? cliTimings() : undefined;
  const base = buildScenarios(true)[0]!;
  const small = want('4') ? [smallRuns(base, 200, 200), smallRuns(base, 1000, 100)] : [];

  console.log(`servesim benchmark — node ${process.version}, ${cpus().length} CPUs${quick ? ', QUICK sizes' : ''}; saturation probes ${setupS.toFixed(2)} s`);
  for (const s of scenarios) console.log(`  ${s.id}: ${s.title}`);
  console.log('');
  printTable(results);
  console.log('');
  for (const o of out)
    if (o['ratioRequestsPerWallS'] !== null)
      console.log(
        `  ratio servesim / inference-lab, simulated requests per wall-second, scenario ${String(o['id'])}: ${fmt(o['ratioRequestsPerWallS'] as number, 1)}x` +
          ` (per CPU-second ${fmt(o['ratioRequestsPerCpuS'] as number, 1)}x${o['inferenceLabCapped'] ? `; inference-lab ran ${fmt(o['inferenceLabRequests'] as number)} requests, see --il-max-requests` : ''})`,
      );
    else console.log(`  scenario ${String(o['id'])}: inference-lab — ${(o['inferenceLab'] as { unsupported: string }).unsupported}`);
  for (const r of small) console.log(`  small runs: ${r.calls} x simulate(${r.requests} requests) = ${fmt(r.msPerCall, 2)} ms per call`);
  if (cli)
    console.log(
      `  scenario 4 (CLI, wall incl. node start-up): ${cli.available ? `plan ${fmt(cli.planWallS, 2)} s; sweep of ${fmt(cli.sweepPoints)} points on 2 workers ${fmt(cli.sweepWallS, 1)} s` : ''} (${cli.note})`,
    );

  const get = (id: string) => out.find((o) => o['id'] === id) as { servesim: CaseResult; ratioRequestsPerWallS: number | null } | undefined;
  const targets: Record<string, { target: string; value: number | null; met: boolean | null }> = {};
  const s1b = get('1b');
  const s1a = get('1a');
  const s2 = get('2');
  const s3 = get('3');
  if (!quick) {
    if (s1a?.ratioRequestsPerWallS != null) targets['s1a_10x_inference_lab'] = { target: '>= 10x', value: s1a.ratioRequestsPerWallS, met: s1a.ratioRequestsPerWallS >= 10 };
    if (s1b?.ratioRequestsPerWallS != null) targets['s1b_10x_inference_lab'] = { target: '>= 10x', value: s1b.ratioRequestsPerWallS, met: s1b.ratioRequestsPerWallS >= 10 };
    if (s2?.ratioRequestsPerWallS != null) targets['s2_10x_inference_lab'] = { target: '>= 10x', value: s2.ratioRequestsPerWallS, met: s2.ratioRequestsPerWallS >= 10 };
    if (s1b) targets['s1b_100k_under_1s'] = { target: '< 1 s', value: s1b.servesim.wallS, met: s1b.servesim.wallS < 1 };
    if (s3) {
      targets['s3_under_30s'] = { target: '< 30 s', value: s3.servesim.wallS, met: s3.servesim.wallS < 30 };
      targets['s3_peak_rss_under_1GB'] = { target: '< 1024 MB', value: s3.servesim.peakRssMB, met: s3.servesim.peakRssMB < 1024 };
    }
    if (cli?.planWallS !== undefined) targets['plan_under_2s'] = { target: '< 2 s', value: cli.planWallS, met: cli.planWallS < 2 };
    if (cli?.sweepWallS !== undefined) targets['sweep_1000_under_60s'] = { target: '< 60 s', value: cli.sweepWallS, met: cli.sweepWallS < 60 };
  }
  if (Object.keys(targets).length > 0) {
    console.log('');
    for (const [k, v] of Object.entries(targets)) console.log(`  target ${k}: ${v.met ? 'MET' : 'NOT MET'} (${fmt(v.value, 3)} vs ${v.target})`);
  }
  console.log(
    JSON.stringify({
      bench: 'servesim',
      node: process.version,
      cpus: cpus().length,
      quick,
      scenarios: out,
      planSweep: cli ?? null,
      smallRuns: small,
      targets,
    }),
  );
}

await main();
