import { formatSlo } from '../../metrics/slo.ts';
import { objectiveLabel } from '../../planning/capacity.ts';
import { describeLengths, describeRange, WORKLOAD_PRESETS } from '../../workload/presets.ts';
import { defineCommand } from '../command.ts';
import { fmt, printJson, printText, table } from '../output.ts';

/** `servesim presets`: each workload preset's lengths and SLO, where users look for them. */
export function presetsCommand() {
  return defineCommand({
    command: 'presets',
    describe: 'list the workload presets (--workload NAME): request length distributions and SLOs',
    builder: (y) => y.options({ json: { type: 'boolean', describe: 'print JSON' } }),
    handler: (argv: { json?: boolean }) => {
      const presets = Object.values(WORKLOAD_PRESETS);
      if (argv.json) {
        printJson({ schemaVersion: 2, presets: presets.map((p) => ({ ...p, sloText: formatSlo(p.slo) })) });
        return;
      }
      const rows = presets.map((p) => {
        const l = describeLengths(p.lengths);
        const slo = p.slo.map((o) => `${objectiveLabel(o)} ≤ ${o.thresholdS >= 1 ? `${o.thresholdS} s` : `${fmt.num(o.thresholdS * 1e3, 0)} ms`}`).join('\n');
        return [p.name, l.input, l.output, slo, formatSlo(p.slo)];
      });
      const out = [table(['preset', 'prompt tokens', 'answer tokens', 'SLO', '--slo text'], rows, ['left', 'left', 'left', 'left', 'left'])];
      out.push('Token counts: normal, mean ± stdev, clipped to (min–max), as GuideLLM synthetic data.');
      const multi = presets.filter((p) => p.sessions !== undefined);
      if (multi.length > 0)
        out.push(
          `Multi-turn presets (${multi.map((p) => p.name).join(', ')}): the tokens are each turn's new input and answer; every turn re-sends the conversation. ` +
            '--rate is then sessions per second (--profile concurrent: users); add --prefix-cache vllm to simulate the hits.',
        );
      for (const p of multi) {
        const s = p.sessions!;
        const shared = (s.systemPromptTokens ?? 0) + (s.toolPreambleTokens ?? 0);
        out.push(`  ${p.name}: turns ${describeRange(s.turns)}, think time exponential mean ${s.thinkTimeMeanS} s, shared system prompt and tools ${shared} tokens`);
      }
      out.push("ITL is every gap between tokens, TPOT each request's mean gap (docs/metrics.md); GuideLLM's \"ITL\" SLOs are per request, so the presets state them as TPOT.");
      out.push('Use --workload NAME with simulate, plan, compare or sweep; --slo overrides the preset\'s SLO.');
      for (const p of presets) out.push('', `${p.name}: ${p.description}`, `  source: ${p.source}`);
      printText(out.join('\n') + '\n');
    },
  });
}
