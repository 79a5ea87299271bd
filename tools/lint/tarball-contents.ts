/**
 * What the published tarball must and must not hold: every node and credential that
 * package.json's "n8n" section names, each node's codex file, each node version's output schema
 * (docs/output-schema.md), every icon the built code points at with `file:`, and nothing but
 * dist/ and npm's always-included files (no test/, no tools/).
 */
import { dirname, join, normalize } from 'path';

import { outputSchemaPath } from '../schema/paths';

/** Files npm packs whatever `files` says, and the entry point. */
const TOP_LEVEL_FILES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'index.js'];

export interface PackedPackage {
	/** Paths inside the tarball, without npm's `package/` prefix. */
	files: string[];
	n8n: { nodes?: string[]; credentials?: string[] };
	/** Reads a packed file's text. */
	read(path: string): string;
	/** Each node's versions (`description.version`), by its path in package.json. */
	nodeVersions: Record<string, number[]>;
}

/** The icons a built node or credential points at (`file:revops.svg`), as tarball paths. */
export function iconPaths(builtFile: string, source: string): string[] {
	return [...source.matchAll(/['"]file:([^'"]+)['"]/g)].map((match) =>
		normalize(join(dirname(builtFile), match[1])),
	);
}

/** What n8n's editor asks of a schema before it shows it: an object with properties. */
function schemaProblem(text: string): string | undefined {
	try {
		const schema = JSON.parse(text) as { type?: unknown; properties?: unknown };
		const properties = schema.properties;
		if (schema.type !== 'object') return 'its type is not "object"';
		if (typeof properties !== 'object' || properties === null || !Object.keys(properties).length)
			return 'it has no properties';
		return undefined;
	} catch {
		return 'it is not JSON';
	}
}

export function tarballProblems(pack: PackedPackage): string[] {
	const present = new Set(pack.files);
	const problems: string[] = [];
	const require = (path: string, what: string) => {
		if (!present.has(path)) problems.push(`missing ${what}: ${path}`);
	};
	const nodes = pack.n8n.nodes ?? [];
	const credentials = pack.n8n.credentials ?? [];
	if (nodes.length === 0) problems.push('package.json "n8n.nodes" names no node');
	for (const node of nodes) {
		require(node, 'node');
		require(node.replace(/\.js$/, '.json'), 'codex file');
		const versions = pack.nodeVersions[node] ?? [];
		if (versions.length === 0) problems.push(`no versions known for ${node}`);
		for (const version of versions) {
			const schema = outputSchemaPath(node, version);
			require(schema, `output schema of ${node}`);
			const problem = present.has(schema) ? schemaProblem(pack.read(schema)) : undefined;
			if (problem) problems.push(`unusable output schema ${schema}: ${problem}`);
		}
	}
	for (const credential of credentials) require(credential, 'credential');
	for (const built of [...nodes, ...credentials].filter((path) => present.has(path))) {
		const icons = iconPaths(built, pack.read(built));
		if (icons.length === 0) problems.push(`no icon referenced by ${built}`);
		for (const icon of icons) require(icon, `icon of ${built}`);
	}
	for (const file of pack.files) {
		if (!TOP_LEVEL_FILES.includes(file) && !/^dist\/(nodes|credentials)\//.test(file)) {
			problems.push(`not part of the package: ${file}`);
		}
	}
	return problems;
}
