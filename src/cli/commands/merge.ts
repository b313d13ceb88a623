import type { Argv } from 'yargs';
import { InputError } from '../../diagnostics/errors.ts';
import { mergeResults } from '../../planning/sweep-runner.ts';
import { defineCommand } from '../command.ts';
import { printErr, warn } from '../output.ts';
import { writeFileAtomic } from '../../io/write-file.ts';

interface MergeFlags {
  parts?: string[];
  out?: string;
  force?: boolean;
}

export function mergeCommand() {
  return defineCommand({
    command: 'merge <parts..>',
    describe: 'join sweep shard files into the file one unsharded run would write (rows in point order)',
    builder: (y: Argv) =>
      y
        .positional('parts', { type: 'string', array: true, describe: 'shard result files (JSONL or CSV)' })
        .options({ out: { type: 'string', describe: 'merged file (default: stdout)' } })
        .example('$0 merge part-*.jsonl --out sweep.jsonl', 'merge the shards of an indexed job'),
    handler: (argv: MergeFlags) => {
      const parts = argv.parts ?? [];
      if (argv.out && parts.includes(argv.out)) throw new InputError(`merge: --out ${argv.out} is also a part; write the merge to a new file`);
      const m = mergeResults(parts);
      if (m.missing.length > 0)
        warn(`merged ${m.rows} of ${m.expected} points; missing ${m.missing.length} (first: ${m.missing.slice(0, 10).join(', ')}): a shard is absent or unfinished`);
      if (argv.out) {
        writeFileAtomic(argv.out, m.content, { label: '--out', overwrite: argv.force });
        printErr(`merged ${parts.length} parts, ${m.rows} rows → ${argv.out}\n`);
      } else process.stdout.write(m.content);
    },
  });
}
