// Writes content/compliance/traditional-to-simplified.json (see char-map.ts).
// Run: node bin/run-ts.js src/adapters/compliance/build-char-map.ts
import { writeFileSync } from 'node:fs';
import { computeCharMap } from './char-map.js';
import { CHAR_MAP_FILE, DEFAULT_PACK_DIR } from './load-pack.js';

const map = computeCharMap();
writeFileSync(
  `${DEFAULT_PACK_DIR}/${CHAR_MAP_FILE}`,
  `${JSON.stringify(map)}\n`,
);
process.stdout.write(`${Object.keys(map).length} characters mapped\n`);
