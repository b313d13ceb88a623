import { existsSync, readFileSync } from 'node:fs';
import { MLPERF_BEGIN, MLPERF_END } from './mlperf-section.ts';
import { TECHNIQUES_BEGIN, TECHNIQUES_END } from './technique-section.ts';

/** The MLPerf section already in docs/validation.md (npm run validate:mlperf wrote it), to carry over as is. */
export function keptMlperfSection(docPath: string): string[] {
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
  const begin = doc.indexOf(MLPERF_BEGIN);
  const end = doc.indexOf(MLPERF_END);
  if (begin < 0 || end < begin) return ['', '_MLPerf section: run `npm run validate:mlperf`._'];
  return ['', doc.slice(begin, end + MLPERF_END.length)];
}

/** The serving-techniques section already in docs/validation.md (npm run validate:techniques wrote it), carried over as is. */
export function keptTechniquesSection(docPath: string): string[] {
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
  const begin = doc.indexOf(TECHNIQUES_BEGIN);
  const end = doc.indexOf(TECHNIQUES_END);
  if (begin < 0 || end < begin) return ['', '_Serving techniques on InferenceX: run `npm run validate:techniques`._'];
  return ['', doc.slice(begin, end + TECHNIQUES_END.length)];
}
