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
	CREDENTIAL,
];

function pack(files: string[], read = (path: string) => sources[path] ?? ''): PackedPackage {
	return { files, n8n: { nodes: [NODE], credentials: [CREDENTIAL] }, read };
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
	it('accepts the node, its codex file, both icons and the credential, and nothing else', () => {
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
		expect(tarballProblems(pack(complete, () => ''))).toEqual([
			`no icon referenced by ${NODE}`,
			`no icon referenced by ${CREDENTIAL}`,
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
		expect(tarballProblems({ files: complete, n8n: {}, read: () => '' })).toEqual([
			'package.json "n8n.nodes" names no node',
		]);
	});
});
