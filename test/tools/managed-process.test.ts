import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort, isPortInUse } from '../../tools/n8n/ports';
import {
	ManagedProcess,
	ProcessLog,
	sleep,
	type ManagedProcessSpec,
} from '../../tools/n8n/process';

/** Small Node programs standing in for n8n, PostgreSQL and Redis. */
const PROGRAMS = {
	httpServer: `require('node:http').createServer((_, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');`,
	ignoresSigterm: `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('up'); setInterval(() => undefined, 1000);`,
	exitsLater: `console.log('up'); setTimeout(() => process.exit(3), 300);`,
	exitsAtOnce: `console.error('cannot start'); process.exit(2);`,
	/** Leaves a helper in its process group behind when asked to stop, as n8n's task runner may. */
	leavesHelper: `const helper = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' }); console.log('helper ' + helper.pid); process.on('SIGTERM', () => process.exit(0)); setInterval(() => undefined, 1000);`,
};

let folder: string;
const started: ManagedProcess[] = [];

beforeAll(() => {
	folder = mkdtempSync(path.join(tmpdir(), 'managed-process-'));
});

afterEach(async () => {
	await Promise.all(started.splice(0).map(async (server) => await server.stop()));
});

afterAll(() => {
	rmSync(folder, { recursive: true, force: true });
});

async function managed(
	program: keyof typeof PROGRAMS,
	overrides: Partial<ManagedProcessSpec> = {},
): Promise<ManagedProcess> {
	const port = await freePort();
	const server = new ManagedProcess({
		name: program,
		port,
		log: new ProcessLog(path.join(folder, `${program}-${port}.log`)),
		commandLine: async () => ({
			file: process.execPath,
			args: ['-e', PROGRAMS[program]],
			cwd: folder,
			env: { ...process.env, PORT: String(port) },
		}),
		readiness: { logLine: /^up$/ },
		readyTimeoutMs: 10_000,
		stopGraceMs: 5_000,
		...overrides,
	});
	started.push(server);
	return server;
}

/** A zombie counts as gone: a helper whose leader died waits for whoever adopts it to reap it. */
function isAlive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
	} catch {
		return false;
	}
}

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
	return await Promise.race([promise.then(() => true), sleep(ms).then(() => false)]);
}

describe('ManagedProcess', () => {
	it('is ready once its HTTP path answers 200, and reports start and stop in its log and progress', async () => {
		const progress: string[] = [];
		const server = await managed('httpServer', {
			readiness: { httpPaths: ['/'] },
			progress: (line) => progress.push(line),
		});
		await server.start();
		expect(await isPortInUse(server.port)).toBe(true);
		const { pid } = server;
		await server.stop();
		expect(isAlive(pid)).toBe(false);
		expect(progress).toEqual([
			expect.stringMatching(
				new RegExp(`^httpServer: ready on port ${server.port} after \\d+ ms \\(pid ${pid}\\)$`),
			),
			`httpServer: stopping (pid ${pid})`,
			`httpServer: pid ${pid} killed by SIGTERM`,
		]);
		expect(readFileSync(server.log.filePath, 'utf8')).toMatch(
			new RegExp(`started httpServer as pid ${pid}[^]*stopping \\(pid ${pid}\\)`),
		);
	});

	it('SIGKILLs a process that ignores the stop signal once the grace period is over', async () => {
		const server = await managed('ignoresSigterm', { stopGraceMs: 300 });
		await server.start();
		const before = Date.now();
		await server.stop();
		expect(Date.now() - before).toBeGreaterThanOrEqual(300);
		expect(server.log.tail()).toContain('ignoring SIGTERM');
		expect(server.log.tail()).toMatch(/killed by SIGKILL$/);
	});

	it('leaves nothing of its process group behind after stop()', async () => {
		const server = await managed('leavesHelper', { readiness: { logLine: /^helper \d+$/ } });
		await server.start();
		const helperPid = Number(server.log.matching(/^helper \d+$/)[0].split(' ')[1]);
		expect(isAlive(helperPid)).toBe(true);
		await server.stop();
		await sleep(100);
		expect(isAlive(helperPid)).toBe(false);
	});

	it('says how it ended when it exits on its own, and quotes its log when that happens before it is ready', async () => {
		const exiting = await managed('exitsLater');
		await exiting.start();
		await expect(exiting.unexpectedExit()).resolves.toBe('exitsLater exited with code 3');

		const failing = await managed('exitsAtOnce');
		await expect(failing.start()).rejects.toThrow(
			/^exitsAtOnce \(pid \d+\) exited with code 2 while waiting for a line matching \/\^up\$\/\. Last log lines:\n[^]*cannot start/,
		);
	});

	it('gives up on readiness after the timeout and stops what it started', async () => {
		const server = await managed('ignoresSigterm', {
			readiness: { logLine: /never printed/ },
			readyTimeoutMs: 300,
			stopGraceMs: 300,
		});
		await expect(server.start()).rejects.toThrow(/was not ready within 300 ms/);
		expect(isAlive(server.pid)).toBe(false);
	});

	it('after kill(), reports no unexpected exit and restarts as a new process that waits for a new ready line', async () => {
		const server = await managed('ignoresSigterm', { stopGraceMs: 300 });
		await server.start();
		const firstPid = server.pid;
		const unexpected = server.unexpectedExit();
		server.kill();
		await server.restart();
		expect(server.pid).not.toBe(firstPid);
		expect(isAlive(firstPid)).toBe(false);
		expect(server.log.matching(/^up$/)).toHaveLength(2);
		expect(await settlesWithin(unexpected, 200)).toBe(false);
		expect(server.log.tail()).toContain(`SIGKILL to process group ${firstPid}`);
	});
});
