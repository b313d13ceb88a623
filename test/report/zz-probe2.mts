import { readFileSync } from 'node:fs';
import { sceneFacts, overlappingLabels, labelsOnPoints } from './scene.ts';
for (const file of process.argv.slice(2)) {
  const f = await sceneFacts(JSON.parse(readFileSync(file, 'utf8')));
  console.log(file, f.width, f.height, 'overlaps', JSON.stringify(overlappingLabels(f.boxes)), 'onPoints', JSON.stringify(labelsOnPoints(f.boxes)));
}
