import path from 'node:path';

import type { N8nInstall } from './install';
import { freePort } from './ports';
import { ProcessLog, type ManagedProcessSpec } from './process';

/** n8n finishes running executions on SIGTERM; a test instance has no reason to wait long. */
const STOP_GRACE_MS = 15_000;

/** The n8n commands the harness runs as servers: one process, or queue mode's three roles. */
export type N8nCommand = 'start' | 'worker' | 'webhook';

export interface N8nServer {
	/** What messages and progress lines call it, e.g. `n8n 2.41.1` or `n8n worker 1`. */
	name: string;
	install: N8nInstall;
	command: N8nCommand;
	/** The HTTP port n8n answers its readiness probes on (a worker's health server). */
	port: number;
	userFolder: string;
	env: Record<string, string>;
	readyTimeoutMs: number;
	progress?: (line: string) => void;
}

/**
 * Environment for any n8n command on a user folder: nothing phoning home,
 * cookies over plain HTTP, and the Node that runs this n8n version first in PATH (n8n 2.x
 * must run on Node 24, and anything it spawns with `node` must get the same one).
 */
export function n8nCommandEnvironment(
	install: N8nInstall,
	userFolder: string,
	env: Record<string, string>,
): NodeJS.ProcessEnv {
	// Jest sets NODE_ENV=test, and n8n started with it exits with code 1 before printing a line.
	const { NODE_ENV: _testRunnerMode, ...inherited } = process.env;
	return {
		...inherited,
		PATH: `${path.dirname(install.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		// 1.x task runners need a separate launcher binary; in-process is what 1.x users run.
		...(install.version.startsWith('1.') ? { N8N_RUNNERS_ENABLED: 'false' } : {}),
		...env,
	};
}

/**
 * How to run an n8n server command as a `ManagedProcess`, logging to `<userFolder>/n8n.log`.
 * Ready once it answers `/healthz` and `/healthz/readiness` (database migrated, server up);
 * n8n 1.x registers its REST routes a moment later, so there main's `/rest/settings` must
 * answer too before any REST call.
 */
export function n8nServerSpec(server: N8nServer): ManagedProcessSpec {
	const { install, userFolder, port } = server;
	return {
		name: server.name,
		port,
		log: new ProcessLog(path.join(userFolder, 'n8n.log')),
		commandLine: async () => ({
			file: install.nodeBin,
			args: [install.n8nEntry, server.command],
			cwd: userFolder,
			env: n8nCommandEnvironment(install, userFolder, {
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				// The editor builds the URLs it shows from N8N_HOST; make them the ones that answer.
				N8N_HOST: '127.0.0.1',
				// n8n 2.x always starts a task broker; two n8n processes must not share its port.
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				...server.env,
			}),
		}),
		readiness: {
			httpPaths: [
				'/healthz',
				'/healthz/readiness',
				...(install.version.startsWith('1.') && server.command === 'start'
					? ['/rest/settings']
					: []),
			],
		},
		readyTimeoutMs: server.readyTimeoutMs,
		stopGraceMs: STOP_GRACE_MS,
		progress: server.progress,
	};
}
