import { defineCommand } from '../command.ts';
import type { Argv } from 'yargs';
import { InputError } from '../../diagnostics/errors.ts';
import type { Deployment } from '../../cost/deployment.ts';
import type { MemoryPlan } from '../../cost/memory-plan.ts';
import { causalKeyCount, type StepBreakdown, type StepShape } from '../../cost/step-cost.ts';
import { type CliContext, DEPLOYMENT_OPTIONS, type DeploymentFlags } from '../context.ts';
import { fmt, printJson, printText, table } from '../output.ts';
import { msFromS } from '../../units.ts';

interface ExplainFlags extends DeploymentFlags {
  prefill?: string[];
  decode?: string[];
  json?: boolean;
  chart?: string;
  force?: boolean;
}

/** `--prefill 2048` or `--prefill 512@4096` (chunk @ cached context); `--decode 64x2048` (batch x context). */
export function parseShape(prefill: readonly string[], decode: readonly string[]): StepShape {
  let prefillTokens = 0;
  let attended = 0;
  let context = 0;
  for (const p of prefill) {
    const m = /^(\d+)(?:@(\d+))?$/.exec(p.trim());
    if (!m) throw new InputError(`--prefill: expected TOKENS or TOKENS@CONTEXT (e.g. 2048 or 512@4096), found "${p}"`);
    const chunk = Number(m[1]);
    if (chunk < 1) throw new InputError(`--prefill: a chunk needs at least 1 token, found "${p}"`);
    const prior = Number(m[2] ?? 0);
    prefillTokens += chunk;
    attended += causalKeyCount(chunk, prior);
    context += prior + chunk;
  }
  let decodeSeqs = 0;
  let decodeContextSum = 0;
  for (const dspec of decode) {
    const m = /^(\d+)x(\d+)$/.exec(dspec.trim());
    if (!m) throw new InputError(`--decode: expected BATCHxCONTEXT (e.g. 64x2048), found "${dspec}"`);
    if (Number(m[1]) < 1 || Number(m[2]) < 1) throw new InputError(`--decode: batch and context must be at least 1, found "${dspec}"`);
    decodeSeqs += Number(m[1]);
    decodeContextSum += Number(m[1]) * Number(m[2]);
  }
  if (prefillTokens + decodeSeqs === 0) throw new InputError('give at least one --prefill TOKENS[@CONTEXT] or --decode BATCHxCONTEXT');
  return { decodeSeqs, decodeContextSum, prefillSeqs: prefill.length, prefillTokens, prefillAttendedKeys: attended, prefillContextTokens: context };
}

export function explainCommand(ctx: () => CliContext) {
  return defineCommand({
    command: 'explain',
    describe: 'show the memory plan and the roofline breakdown of one scheduler step',
    builder: (y: Argv) =>
      y
        .options(DEPLOYMENT_OPTIONS)
        .options({
          prefill: { type: 'string', array: true, default: [] as string[], describe: 'prefill chunk TOKENS[@CONTEXT] (repeatable)' },
          decode: { type: 'string', array: true, default: [] as string[], describe: 'decode sequences BATCHxCONTEXT (repeatable)' },
          json: { type: 'boolean', describe: 'print JSON' },
          chart: { type: 'string', describe: 'write the step breakdown to FILE and the roofline to FILE-roofline.EXT (.svg .png .vl.json .html by extension)' },
        })
        .example('$0 explain --model llama-3.1-70b --hardware h100-sxm --tp 4 --decode 64x2048 --prefill 512@1024', ''),
    handler: async (argv: ExplainFlags) => {
      const prepared = ctx().prepare(argv);
      const shape = parseShape(argv.prefill ?? [], argv.decode ?? []);
      const b = prepared.cost.explain(shape);
      const d = prepared.deployment;
      const mem = prepared.memory;
      const hw = d.hardware;
      const peak = hw.peakFlopsPerS[d.quantization.gemmCompute] ?? 0;
      const ridge = peak / hw.memoryBandwidthBytesPerS;
      if (argv.chart)
        await (await import('./report.ts')).writeExplainCharts(
          b,
          { name: `${hw.name}, ${d.quantization.gemmCompute}`, peakFlopsPerS: peak, memoryBandwidthBytesPerS: hw.memoryBandwidthBytesPerS },
          `${d.model.name} on ${d.tp * d.pp}× ${hw.name} TP${d.tp}`,
          argv.chart,
          { overwrite: argv.force },
        );
      if (argv.json) {
        printJson({
          schemaVersion: 2,
          deployment: { model: d.model.id, hardware: hw.id, tp: d.tp, pp: d.pp, ep: d.ep, quantization: d.quantization, engine: d.engine, calibration: d.calibration },
          memory: mem,
          shape,
          step: { totalMs: msFromS(b.totalS), operators: b.operators.map((o) => ({ ...o, timeMs: msFromS(o.timeS), share: o.timeS / b.totalS })) },
          ridgeFlopPerByte: ridge,
        });
        return;
      }
      const out: string[] = [];
      out.push(`${d.model.name} on ${d.tp * d.pp}x ${hw.name} (TP${d.tp}${d.pp > 1 ? ` PP${d.pp}` : ''}${d.ep > 1 ? ` EP${d.ep}` : ''})`);
      out.push(`weights ${d.quantization.weights}, activations ${d.quantization.activations} (GEMMs in ${d.quantization.gemmCompute}), KV cache ${d.quantization.kvCache}; calibration ${d.calibration.id}`);
      out.push('');
      out.push('Memory per GPU');
      out.push(memoryTable(d, mem));
      out.push('');
      out.push(
        `Step: ${shape.prefillTokens} prefill tokens in ${shape.prefillSeqs} chunks, ${shape.decodeSeqs} decode sequences (Σ context ${fmt.int(shape.decodeContextSum)}) → ${fmt.num(msFromS(b.totalS), 3)} ms`,
      );
      out.push(operatorTable(b, ridge));
      out.push(`ridge point of ${hw.id} in ${d.quantization.gemmCompute}: ${fmt.num(ridge, 0)} FLOP/byte (peak ${fmt.num(peak / 1e12, 0)} TFLOP/s ÷ ${fmt.num(hw.memoryBandwidthBytesPerS / 1e12, 2)} TB/s)`);
      for (const n of new Set([...d.notes, ...mem.notes])) out.push(`note: ${n}`); // a note both layers raise is printed once
      printText(out.join('\n') + '\n');
    },
  });
}

/** The memory plan of one GPU: capacity, budget, weights, reserve, KV cache and what it holds. */
function memoryTable(d: Deployment, mem: MemoryPlan): string {
  return table(
    ['item', 'value'],
    [
      ['capacity', fmt.gib(mem.capacityBytes)],
      [`budget (× ${d.engine.gpuMemoryUtilization})`, fmt.gib(mem.budgetBytes)],
      ['weights', fmt.gib(mem.weightBytesPerGpu)],
      ['activations + workspace reserve', fmt.gib(mem.activationReserveBytes)],
      ['KV cache', fmt.gib(mem.kvCacheBytes)],
      ['KV bytes per token (this GPU / whole model)', `${fmt.int(mem.kvBytesPerTokenPerGpu)} / ${fmt.int(mem.kvBytesPerTokenModel)} B`],
      ['KV capacity', `${fmt.int(mem.kvTokens)} tokens in ${fmt.int(mem.kvBlocks)} blocks of ${mem.blockSize}`],
      [`sequences at max_model_len ${fmt.int(d.engine.maxModelLen)}`, fmt.int(mem.maxConcurrencyAtMaxLen)],
    ],
    ['left', 'right'],
  );
}

/** One row per operator of the step: time, share, bound, work, and where it sits against the ridge point. */
function operatorTable(b: StepBreakdown, ridge: number): string {
  return table(
    ['operator', 'time ms', 'share', 'bound', 'GFLOP', 'GB moved', 'FLOP/B', 'vs ridge'],
    b.operators.map((o) => [
      o.op,
      fmt.num(msFromS(o.timeS), 3),
      fmt.pct(o.timeS / b.totalS),
      o.bound,
      o.flops ? fmt.num(o.flops / 1e9, 1) : '',
      o.bytes ? fmt.num(o.bytes / 1e9, 3) : '',
      o.arithmeticIntensity ? fmt.num(o.arithmeticIntensity, 1) : '',
      o.arithmeticIntensity ? (o.arithmeticIntensity > ridge ? 'above' : 'below') : '',
    ]),
  );
}
