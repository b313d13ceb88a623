import { defineCommand } from '../command.ts';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../io/write-file.ts';
import type { Argv } from 'yargs';
import { paramBreakdown } from '../../cost/params.ts';
import { InputError, unknownName } from '../../diagnostics/errors.ts';
import { kvBytesPerTokenPerLayer } from '../../cost/memory-plan.ts';
import { kvLayerCount } from '../../cost/mixer-memory.ts';
import type { CliContext } from '../context.ts';
import { fmt, printErr, printJson, printText, table } from '../output.ts';

export function profilesCommand(ctx: () => CliContext) {
  return defineCommand({
    command: 'profiles <action> [name]',
    describe: 'list or show hardware and model profiles',
    builder: (y: Argv) =>
      y
        .positional('action', { choices: ['list', 'show'] as const, describe: 'list all, or show one' })
        .positional('name', { type: 'string', describe: 'profile id for show' })
        .options({ json: { type: 'boolean', describe: 'print JSON' }, kind: { choices: ['hardware', 'models', 'all'] as const, default: 'all' as const } }),
    handler: (argv: { action: 'list' | 'show'; name?: string; json?: boolean; kind: 'hardware' | 'models' | 'all' }) => {
      const reg = ctx().registry;
      if (argv.action === 'show') {
        if (!argv.name) throw new InputError('profiles show needs a NAME (a hardware or model id)');
        const hw = reg.hardware.get(argv.name);
        const model = reg.models.get(argv.name);
        if (!hw && !model) {
          // the name may be either kind: suggest from both
          const known = [...reg.hardware.keys(), ...reg.models.keys()];
          throw unknownName('hardware or model profile', argv.name, known);
        }
        const value = hw ?? { ...model!, derivedParams: paramBreakdown(model!) };
        if (argv.json) return printJson(value);
        if (hw) {
          const rows: [string, string][] = [
            ['name', hw.name],
            ['memory', `${fmt.num(hw.datasheetMemoryBytes / 1e9, 0)} GB datasheet; ${fmt.gib(hw.memoryBytes)} usable`],
            ['bandwidth', `${fmt.num(hw.memoryBandwidthBytesPerS / 1e12, 2)} TB/s`],
            ...Object.entries(hw.peakFlopsPerS).map(([k, v]): [string, string] => [`${k} dense`, `${fmt.num(v / 1e12, 1)} TFLOP/s`]),
            ['interconnect', `${hw.interconnect.name}: ${fmt.num(hw.interconnect.perDirectionBytesPerS / 1e9, 0)} GB/s per direction, ${hw.interconnect.maxGpus} GPUs`],
            ['GPUs per node', String(hw.gpusPerNode)],
            ['TDP', `${hw.tdpW} W`],
            ['price', hw.price ? `$${hw.price.usdPerGpuHour}/GPU-h (${hw.price.asOf}, ${hw.price.source})` : '—'],
            ['file', hw.source],
          ];
          printText(table(['field', 'value'], rows, ['left', 'left']) + '\n');
        } else {
          const m = model!;
          const p = paramBreakdown(m);
          const kv = kvLayerCount(m) * kvBytesPerTokenPerLayer(m, 2, 1); // a hybrid's linear-attention layers hold none
          const rows: [string, string][] = [
            ['name', m.name],
            ['Hugging Face', m.hfRepo],
            ['parameters (derived / published)', `${fmt.num(p.total / 1e9, 2)}B / ${fmt.num(m.published.total / 1e9, 2)}B`],
            ['active per token', m.moe ? `${fmt.num(p.active / 1e9, 2)}B` : 'all'],
            ['layers × hidden', `${m.layers} × ${m.hiddenSize}`],
            ['attention', m.attention.mla ? `MLA, ${m.attention.numHeads} heads, latent ${m.attention.mla.kvLoraRank}+${m.attention.mla.qkRopeHeadDim}` : `${m.attention.numHeads} heads, ${m.attention.numKvHeads} KV heads × ${m.attention.headDim}`],
            ['MoE', m.moe ? `${m.moe.numExperts} experts, top-${m.moe.expertsPerToken}, ${m.moe.numSharedExperts} shared` : '—'],
            ['KV per token (bf16)', `${fmt.int(kv)} B`],
            ['context', fmt.int(m.maxContextTokens)],
            ['file', m.source],
          ];
          printText(table(['field', 'value'], rows, ['left', 'left']) + '\n');
        }
        return;
      }
      const hwRows = [...reg.hardware.values()].map((h) => ({
        id: h.id,
        memory_gb: +(h.datasheetMemoryBytes / 1e9).toFixed(1),
        bandwidth_tb_s: h.memoryBandwidthBytesPerS / 1e12,
        bf16_tflops: (h.peakFlopsPerS.bf16 ?? 0) / 1e12,
        fp8_tflops: h.peakFlopsPerS.fp8 !== undefined ? h.peakFlopsPerS.fp8 / 1e12 : null,
        usd_per_gpu_hour: h.price?.usdPerGpuHour ?? null,
      }));
      const modelRows = [...reg.models.values()].map((m) => {
        const p = paramBreakdown(m);
        return { id: m.id, params_b: +(p.total / 1e9).toFixed(2), active_b: +(p.active / 1e9).toFixed(2), layers: m.layers, context: m.maxContextTokens, kv_bytes_per_token_bf16: kvLayerCount(m) * kvBytesPerTokenPerLayer(m, 2, 1) };
      });
      if (argv.json) return printJson({ hardware: argv.kind === 'models' ? [] : hwRows, models: argv.kind === 'hardware' ? [] : modelRows });
      const out: string[] = [];
      if (argv.kind !== 'models')
        out.push(
          table(
            ['hardware', 'memory GB', 'bandwidth TB/s', 'bf16 TFLOP/s', 'fp8 TFLOP/s', '$/GPU-h'],
            hwRows.map((h) => [h.id, h.memory_gb, fmt.num(h.bandwidth_tb_s, 2), fmt.num(h.bf16_tflops, 0), h.fp8_tflops === null ? '—' : fmt.num(h.fp8_tflops, 0), h.usd_per_gpu_hour === null ? '—' : fmt.usd(h.usd_per_gpu_hour)]),
          ),
        );
      if (argv.kind !== 'hardware')
        out.push(
          table(
            ['model', 'params B', 'active B', 'layers', 'context', 'KV B/token (bf16)'],
            modelRows.map((m) => [m.id, fmt.num(m.params_b, 2), fmt.num(m.active_b, 2), m.layers, fmt.int(m.context), fmt.int(m.kv_bytes_per_token_bf16)]),
          ),
        );
      printText(out.join('\n\n') + '\n');
    },
  });
}

export function modelsCommand() {
  return defineCommand({
    command: 'models import <config>',
    describe: "turn a Hugging Face config.json into a servesim model profile (YAML on stdout or --out)",
    builder: (y: Argv) =>
      y
        .positional('config', { type: 'string', describe: 'path to config.json', demandOption: true })
        .options({
          id: { type: 'string', demandOption: true, describe: 'profile id, e.g. my-llama-8b' },
          name: { type: 'string' },
          'hf-repo': { type: 'string' },
          out: { type: 'string', describe: 'write the YAML here (e.g. into your --profiles folder)' },
        }),
    handler: async (argv: { config: string; id: string; name?: string; 'hf-repo'?: string; out?: string; force?: boolean }) => {
      const { importHfConfig } = await import('../../profiles/import-hf.ts');
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(argv.config, 'utf8'));
      } catch (e) {
        throw new InputError(`${argv.config}: cannot read a JSON config: ${e instanceof Error ? e.message : String(e)}`);
      }
      const { yaml, warnings } = importHfConfig(json, { id: argv.id, ...(argv.name ? { name: argv.name } : {}), ...(argv['hf-repo'] ? { hfRepo: argv['hf-repo'] } : {}) });
      for (const w of warnings) printErr(`warning: ${w}\n`);
      if (argv.out) writeFileAtomic(argv.out, yaml, { label: '--out', overwrite: argv.force });
      else process.stdout.write(yaml);
    },
  });
}
