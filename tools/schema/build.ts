/**
 * Writes the items' JSON Schema into dist/ where n8n reads it, once per node version; run by
 * `npm run build` after tsc. The generator is a dev dependency and runs only here.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';

import { NODE_FILE, nodeVersions, outputSchema } from './output-schema';
import { outputSchemaPath } from './paths';

const ROOT = join(__dirname, '..', '..');

const text = `${JSON.stringify(outputSchema(), null, '\t')}\n`;
for (const version of nodeVersions()) {
	const file = join(ROOT, outputSchemaPath(NODE_FILE, version));
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, text);
	console.log(`wrote ${file}`);
}
