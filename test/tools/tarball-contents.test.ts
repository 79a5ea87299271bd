import { iconPaths, tarballProblems, type PackedPackage } from '../../tools/lint/tarball-contents';

const NODE = 'dist/nodes/RevOpsTrigger/RevOpsTrigger.node.js';
const CREDENTIAL = 'dist/credentials/RevOpsWebhookApi.credentials.js';
const sources: Record<string, string> = {
	[NODE]: "icon: { light: 'file:revops.svg', dark: 'file:revops.dark.svg' },",
	[CREDENTIAL]:
		'this.icon = { light: "file:../nodes/RevOpsTrigger/revops.svg", dark: "file:../nodes/RevOpsTrigger/revops.dark.svg" };',
};
const complete = [
	'package.json',
	'README.md',
	'LICENSE',
	'index.js',
	NODE,
	'dist/nodes/RevOpsTrigger/RevOpsTrigger.node.json',
	'dist/nodes/RevOpsTrigger/revops.svg',
	'dist/nodes/RevOpsTrigger/revops.dark.svg',
	'dist/nodes/RevOpsTrigger/types.d.ts',
	'dist/nodes/RevOpsTrigger/__schema__/v1.0.0.json',
	'dist/nodes/RevOpsTrigger/__schema__/v1.1.0.json',
	CREDENTIAL,
];
const SCHEMA = JSON.stringify({ type: 'object', properties: { eventType: { type: 'string' } } });
const read = (path: string) => (path.endsWith('.json') ? SCHEMA : (sources[path] ?? ''));

function pack(files: string[], readFile = read): PackedPackage {
	return {
		files,
		n8n: { nodes: [NODE], credentials: [CREDENTIAL] },
		read: readFile,
		nodeVersions: { [NODE]: [1, 1.1] },
	};
}

describe('iconPaths', () => {
	it('resolves file: icons against the built file, including ../ from credentials/', () => {
		expect(iconPaths(CREDENTIAL, sources[CREDENTIAL])).toEqual([
			'dist/nodes/RevOpsTrigger/revops.svg',
			'dist/nodes/RevOpsTrigger/revops.dark.svg',
		]);
	});
});

describe('tarballProblems', () => {
	it('accepts the node, its codex file, its output schemas, both icons and the credential, and nothing else', () => {
		expect(tarballProblems(pack(complete))).toEqual([]);
	});

	it('reports a missing codex file and a missing dark icon', () => {
		const files = complete.filter(
			(file) => !file.endsWith('.node.json') && !file.endsWith('.dark.svg'),
		);
		expect(tarballProblems(pack(files))).toEqual([
			'missing codex file: dist/nodes/RevOpsTrigger/RevOpsTrigger.node.json',
			`missing icon of ${NODE}: dist/nodes/RevOpsTrigger/revops.dark.svg`,
			`missing icon of ${CREDENTIAL}: dist/nodes/RevOpsTrigger/revops.dark.svg`,
		]);
	});

	it('reports a node or credential that points at no icon', () => {
		expect(
			tarballProblems(pack(complete, (path) => (path.endsWith('.json') ? SCHEMA : ''))),
		).toEqual([`no icon referenced by ${NODE}`, `no icon referenced by ${CREDENTIAL}`]);
	});

	it('requires an output schema for every node version, at the path n8n reads', () => {
		const files = complete.filter((file) => !file.endsWith('v1.1.0.json'));
		expect(tarballProblems(pack(files))).toEqual([
			`missing output schema of ${NODE}: dist/nodes/RevOpsTrigger/__schema__/v1.1.0.json`,
		]);
		expect(tarballProblems({ ...pack(complete), nodeVersions: {} })).toEqual([
			`no versions known for ${NODE}`,
		]);
	});

	it('reports an output schema the editor would not show', () => {
		const unusable = (path: string) =>
			path.endsWith('v1.0.0.json')
				? '{"anyOf": []}'
				: path.endsWith('v1.1.0.json')
					? '{"type": "object", "properties": {}}'
					: read(path);
		expect(tarballProblems(pack(complete, unusable))).toEqual([
			'unusable output schema dist/nodes/RevOpsTrigger/__schema__/v1.0.0.json: its type is not "object"',
			'unusable output schema dist/nodes/RevOpsTrigger/__schema__/v1.1.0.json: it has no properties',
		]);
	});

	it('reports test and tool files, wherever they land', () => {
		expect(
			tarballProblems(
				pack([
					...complete,
					'test/unit/money.test.ts',
					'dist/tools/n8n/install.js',
					'tools/revops/cli.ts',
				]),
			),
		).toEqual([
			'not part of the package: test/unit/money.test.ts',
			'not part of the package: dist/tools/n8n/install.js',
			'not part of the package: tools/revops/cli.ts',
		]);
	});

	it('reports a package.json that names no node', () => {
		expect(tarballProblems({ ...pack(complete), n8n: {} })).toEqual([
			'package.json "n8n.nodes" names no node',
		]);
	});
});
