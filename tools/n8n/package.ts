import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runCommand } from './run';

interface PackageManifest {
	name: string;
	version: string;
	[key: string]: unknown;
}

/**
 * Builds the package and packs it the way `npm publish` would, into a fresh temp folder.
 * Returns the path of the .tgz.
 */
export async function packPackage(repoRoot: string): Promise<string> {
	await runCommand('npm', ['run', 'build'], { cwd: repoRoot });
	const destination = mkdtempSync(path.join(tmpdir(), 'n8n-revops-pack-'));
	const output = await runCommand('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: repoRoot,
	});
	const packed = JSON.parse(output) as Array<{ filename: string }>;
	const first = packed[0];
	if (first === undefined)
		throw new Error(`npm pack in ${repoRoot} reported no tarball:\n${output}`);
	return path.join(destination, first.filename);
}

/**
 * Lays a packed community package out in an n8n user folder as n8n's installer leaves it:
 * `<userFolder>/.n8n/nodes/node_modules/<name>` plus `<userFolder>/.n8n/nodes/package.json`
 * listing it. A previous copy is removed first, so files deleted from the package go too. For
 * the tests about what the node does; the tests about installing it (installer.e2e.test.ts,
 * editor.e2e.test.ts) use n8n's installer and a local registry instead, which takes longer.
 */
export function installPackageInto(userFolder: string, tarballPath: string): void {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const manifest = readTarballManifest(tarballPath);
	const target = path.join(nodesDir, 'node_modules', ...manifest.name.split('/'));
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', tarballPath, '-C', target, '--strip-components=1']);

	// What `npm install --omit=dev --omit=peer` would leave: n8n provides n8n-workflow itself.
	const { devDependencies: _dev, peerDependencies: _peer, ...installed } = manifest;
	writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(installed, null, 2)}\n`);

	const nodesManifestPath = path.join(nodesDir, 'package.json');
	const nodesManifest = readJsonIfExists(nodesManifestPath) ?? {
		name: 'installed-nodes',
		private: true,
	};
	const dependencies = (nodesManifest.dependencies as Record<string, string> | undefined) ?? {};
	nodesManifest.dependencies = { ...dependencies, [manifest.name]: manifest.version };
	writeFileSync(nodesManifestPath, `${JSON.stringify(nodesManifest, null, 2)}\n`);
}

function readTarballManifest(tarballPath: string): PackageManifest {
	const text = execFileSync('tar', ['-xzOf', tarballPath, 'package/package.json'], {
		encoding: 'utf8',
	});
	return JSON.parse(text) as PackageManifest;
}

function readJsonIfExists(file: string): Record<string, unknown> | undefined {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
}
