/**
 * Where n8n looks for a node's output schema: `__schema__/v<major.minor.patch>.json` beside the
 * node's file, the version padded to three parts (`1.1` is `1.1.0`). n8n 2.41.1's
 * `/schemas/<node>/<version>.json` route and 1.123.81's read exactly this file for a node
 * without resource and operation; docs/output-schema.md has the details.
 */
import { posix } from 'path';

export function paddedVersion(version: number | string): string {
	return String(version).split('.').concat(['0', '0']).slice(0, 3).join('.');
}

/** The schema of one version of the node at `nodeFile` (a `.node.js` path, `/`-separated). */
export function outputSchemaPath(nodeFile: string, version: number | string): string {
	return posix.join(posix.dirname(nodeFile), '__schema__', `v${paddedVersion(version)}.json`);
}
