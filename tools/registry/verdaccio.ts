/**
 * A package registry of our own for n8n's installer to install from: Verdaccio (a devDependency
 * that needs Node 22 or later, so it runs on the harness's Node 24) on a free 127.0.0.1 port,
 * with no uplinks, so it serves only what the tests publish to it and never asks the public
 * registry for anything. Storage and config live in a temp folder removed on stop.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureNode24 } from '../n8n/install';
import { freePort } from '../n8n/ports';
import { ManagedProcess, ProcessLog } from '../n8n/process';
import { reaper } from '../n8n/reaper';
import { runCommand } from '../n8n/run';

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
/** Verdaccio checks no token when anyone may publish, but npm will not publish without one. */
const PUBLISH_TOKEN = 'local-registry-needs-no-token';

type Log = (line: string) => void;

export interface LocalRegistry {
	/** `http://127.0.0.1:<port>/`. */
	url: string;
	/**
	 * Publishes a packed package; with `version`, the same package under that version (an
	 * update needs a newer release, and only the version may differ from what is tested).
	 */
	publish(tarball: string, version?: string): Promise<void>;
	stop(): Promise<void>;
}

/** Anyone may read and publish every package; no uplinks, so nothing is fetched from elsewhere. */
function config(folder: string): string {
	return [
		`storage: ${JSON.stringify(path.join(folder, 'storage'))}`,
		'auth:',
		'  htpasswd:',
		`    file: ${JSON.stringify(path.join(folder, 'htpasswd'))}`,
		'    max_users: -1',
		'uplinks: {}',
		'packages:',
		"  '**':",
		'    access: $all',
		'    publish: $all',
		'    unpublish: $all',
		'log: { type: stdout, format: pretty, level: http }',
		'',
	].join('\n');
}

/** The tarball repacked with another version in its package.json. */
function withVersion(tarball: string, version: string, folder: string): string {
	const unpacked = mkdtempSync(path.join(folder, 'repack-'));
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
	const manifestPath = path.join(unpacked, 'package', 'package.json');
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	writeFileSync(manifestPath, `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
	const repacked = path.join(unpacked, `package-${version}.tgz`);
	execFileSync('tar', ['-czf', repacked, '-C', unpacked, 'package']);
	return repacked;
}

export async function startLocalRegistry(log: Log): Promise<LocalRegistry> {
	const folder = mkdtempSync(path.join(tmpdir(), 'revops-registry-'));
	reaper.removeFolderAtExit(folder);
	mkdirSync(path.join(folder, 'storage'));
	const configPath = path.join(folder, 'config.yaml');
	writeFileSync(configPath, config(folder));
	const node = await ensureNode24(log);
	const port = await freePort();
	const url = `http://127.0.0.1:${port}/`;
	const server = new ManagedProcess({
		name: 'Registry',
		port,
		log: new ProcessLog(path.join(folder, 'verdaccio.log')),
		commandLine: async () => ({
			file: node.bin,
			args: [
				path.join(path.dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio'),
				'--config',
				configPath,
				'--listen',
				`127.0.0.1:${port}`,
			],
			cwd: folder,
			env: process.env,
		}),
		readiness: { httpPaths: ['/-/ping'] },
		readyTimeoutMs: READY_TIMEOUT_MS,
		stopGraceMs: STOP_GRACE_MS,
		progress: log,
	});
	log(`Registry: starting Verdaccio on ${url} (no uplinks)`);
	await server.start();

	const npmEnv = { ...process.env, npm_config_cache: path.join(folder, 'npm-cache') };
	return {
		url,
		publish: async (tarball, version) => {
			const file = version === undefined ? tarball : withVersion(tarball, version, folder);
			await runCommand(
				'npm',
				[
					'publish',
					file,
					`--registry=${url}`,
					`--${url.replace(/^http:/, '')}:_authToken=${PUBLISH_TOKEN}`,
					// package.json asks for provenance, which only the release workflow can give.
					'--provenance=false',
				],
				{ cwd: folder, env: npmEnv },
			);
			log(`Registry: published ${path.basename(file)}${version ? ` as ${version}` : ''}`);
		},
		stop: async () => {
			await server.stop();
			rmSync(folder, { recursive: true, force: true });
		},
	};
}
