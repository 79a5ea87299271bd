import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
	generatePassword,
	readHarnessState,
	signIn,
	writeHarnessState,
	type Owner,
} from './accounts';
import {
	EXECUTION_QUIET_MS,
	listExecutions,
	staysQuiet,
	waitForExecutions,
	type ExecutionSummary,
} from './executions';
import { N8nHttpError, PublicApi, RestSession } from './http';
import { ensureN8n, type N8nInstall, type N8nVersion } from './install';
import { installPackageInto } from './package';
import { freePort, isPortInUse } from './ports';
import { ManagedProcess, sleep } from './process';
import { publishWorkflow, unpublishWorkflow } from './publishing';
import { reaper } from './reaper';
import { runCommand } from './run';
import { n8nCommandEnvironment, n8nServerSpec } from './server';

/** Reads of n8n's node types file while n8n may be rewriting it, and the pause between them. */
const NODE_TYPES_READS = 10;
const NODE_TYPES_REREAD_MS = 500;

export type { ExecutionSummary } from './executions';
export type { Owner } from './accounts';
export type { N8nVersion } from './install';

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	/** Fixed for webhook triggers, so the production URL is known in advance. */
	webhookId?: string;
}

/** A workflow as n8n's public API takes it. */
export interface WorkflowSpec {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

export interface StartOptions {
	version: N8nVersion;
	/**
	 * The packed package, copied into the user folder as Settings > Community nodes lays it out;
	 * `null` copies nothing, for tests where n8n's own installer installs it from a registry.
	 */
	tarball: string | null;
	/** Default: a free port. */
	port?: number;
	/** Default: a fresh temp folder. An existing folder is reused with its owner and data. */
	userFolder?: string;
	env?: Record<string, string>;
	log?: (line: string) => void;
	/** What progress lines and messages call this n8n. Default `n8n <version>`. */
	name?: string;
	/** Owner created on a fresh user folder. Default: owner@revops.test with a random password. */
	owner?: Owner;
	/** How long n8n may take to answer its readiness probes. Default 120 s. */
	readyTimeoutMs?: number;
}

export interface N8nInstance {
	version: N8nVersion;
	port: number;
	baseUrl: string;
	userFolder: string;
	/** Pid of the current n8n process (changes on restart); also its process group id. */
	pid: number;
	owner: Owner;
	apiKey: string;
	/** Last lines of n8n's stdout+stderr across starts (all of it is in <userFolder>/n8n.log). */
	logTail(lines?: number): string;
	createCredential(
		name: string,
		type: string,
		data: Record<string, unknown>,
	): Promise<{ id: string; name: string }>;
	createWorkflow(workflow: WorkflowSpec): Promise<string>;
	/** Creates the workflow under a fixed 16-character id, or overwrites the one with that id. */
	upsertWorkflow(workflowId: string, workflow: WorkflowSpec): Promise<void>;
	/** Publishes (2.x) or activates (1.x) and returns once n8n reports its triggers live. */
	activate(workflowId: string): Promise<void>;
	deactivate(workflowId: string): Promise<void>;
	webhookUrl(webhookId: string, path?: string, mode?: 'production' | 'test'): string;
	/** Node type names n8n loaded, e.g. to check `n8n-nodes-revops.revOpsTrigger` is among them. */
	nodeTypes(): Promise<string[]>;
	/**
	 * Executions of a workflow with their data, newest first. With `expected`, polls until at
	 * least that many exist and all have ended (default timeout 30 s), else throws with counts;
	 * then, for `quietMs` (by default EXECUTION_QUIET_MS when `expected` is 0, else none), keeps
	 * polling and throws if any more appear, so "exactly N" and "none" give a late run time to show.
	 */
	executions(
		workflowId: string,
		opts?: { expected?: number; timeoutMs?: number; quietMs?: number },
	): Promise<ExecutionSummary[]>;
	/** Escape hatches for anything not wrapped here. */
	publicApi<T>(method: string, apiPath: string, body?: unknown): Promise<T>;
	rest<T>(method: string, restPath: string, body?: unknown): Promise<T>;
	stop(): Promise<void>;
	kill(): void;
	restart(): Promise<void>;
	/** Resolves, saying how, if the current n8n process ends without stop() or kill(). */
	unexpectedExit(): Promise<string>;
}

const DEFAULT_OWNER_EMAIL = 'owner@revops.test';
const DEFAULT_READY_TIMEOUT_MS = 120_000;
const PUBLICATION_TIMEOUT_MS = 30_000;

/** What stopAll() and the exit handlers stop: single instances and queue-mode sets. */
interface Stoppable {
	stop(): Promise<void>;
	kill(): void;
}

const running = new Set<Stoppable>();

/** For other topologies (queue.ts): stopped by stopAll() and on exit like a single instance. */
export function trackRunning(instance: Stoppable): void {
	registerExitHandlers();
	running.add(instance);
}

export function untrackRunning(instance: Stoppable): void {
	running.delete(instance);
}

class RunningN8n implements N8nInstance {
	readonly baseUrl: string;

	private readonly server: ManagedProcess;

	private session: RestSession | undefined;

	private api: PublicApi | undefined;

	private account: { owner: Owner; apiKey: string } | undefined;

	constructor(
		private readonly install: N8nInstall,
		readonly port: number,
		readonly userFolder: string,
		private readonly options: StartOptions,
	) {
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.server = new ManagedProcess(
			n8nServerSpec({
				name: options.name ?? `n8n ${install.version}`,
				install,
				command: 'start',
				port,
				userFolder,
				env: options.env ?? {},
				readyTimeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
				progress: options.log,
			}),
		);
	}

	get version(): N8nVersion {
		return this.install.version;
	}

	get pid(): number {
		return this.server.pid;
	}

	get owner(): Owner {
		return this.signedIn().owner;
	}

	get apiKey(): string {
		return this.signedIn().apiKey;
	}

	logTail(lines?: number): string {
		return this.server.log.tail(lines);
	}

	/** Starts n8n, waits until it is ready, and signs in. */
	async boot(): Promise<void> {
		running.add(this);
		await this.server.start();
		await this.openSession();
	}

	async createCredential(
		name: string,
		type: string,
		data: Record<string, unknown>,
	): Promise<{ id: string; name: string }> {
		const created = await this.publicApiClient().call<{ id: string; name: string }>(
			'POST',
			'/credentials',
			{ name, type, data },
		);
		return { id: created.id, name: created.name };
	}

	async createWorkflow(workflow: WorkflowSpec): Promise<string> {
		return (
			await this.publicApiClient().call<{ id: string }>(
				'POST',
				'/workflows',
				withSettings(workflow),
			)
		).id;
	}

	/**
	 * The public API refuses an `id` in the body ("read-only"). n8n 2.x's internal REST API
	 * honours one; 1.x's drops it, so there the workflow goes in through `n8n import:workflow`
	 * (it works while the server runs; ~4 s).
	 */
	async upsertWorkflow(workflowId: string, workflow: WorkflowSpec): Promise<void> {
		if (await this.workflowExists(workflowId)) {
			await this.publicApiClient().call('PUT', `/workflows/${workflowId}`, withSettings(workflow));
			return;
		}
		if (this.version.startsWith('1.')) await this.importWithCli(workflowId, workflow);
		else
			await this.signedInSession().call('POST', '/rest/workflows', {
				...withSettings(workflow),
				id: workflowId,
			});
		if (!(await this.workflowExists(workflowId))) {
			throw new Error(
				`n8n ${this.version} did not keep the workflow id ${workflowId} given at creation`,
			);
		}
	}

	async activate(workflowId: string): Promise<void> {
		await publishWorkflow(this.publishingClients(), workflowId);
	}

	async deactivate(workflowId: string): Promise<void> {
		await unpublishWorkflow(this.publishingClients(), workflowId);
	}

	webhookUrl(
		webhookId: string,
		webhookPath = 'webhook',
		mode: 'production' | 'test' = 'production',
	): string {
		return `${this.baseUrl}/${mode === 'production' ? 'webhook' : 'webhook-test'}/${webhookId}/${webhookPath}`;
	}

	/**
	 * The node types n8n serves its editor, from a file it writes in place after a package is
	 * installed, updated or removed: a read during that write ends mid-file (a CI run met an
	 * "Unterminated string in JSON" there on 1.123.81), so such a read is made again, briefly.
	 */
	async nodeTypes(): Promise<string[]> {
		for (let read = 1; ; read += 1) {
			try {
				const types = await this.signedInSession().callUnwrapped<Array<{ name: string }>>(
					'GET',
					'/types/nodes.json',
				);
				return [...new Set(types.map((type) => type.name))];
			} catch (error) {
				if (!(error instanceof SyntaxError) || read >= NODE_TYPES_READS) throw error;
				await sleep(NODE_TYPES_REREAD_MS);
			}
		}
	}

	async executions(
		workflowId: string,
		opts: { expected?: number; timeoutMs?: number; quietMs?: number } = {},
	): Promise<ExecutionSummary[]> {
		const { expected } = opts;
		if (expected === undefined) return await listExecutions(this.publicApiClient(), workflowId);
		const list = async () => await listExecutions(this.publicApiClient(), workflowId);
		const failure = (found: string) =>
			`Workflow ${workflowId}: ${found}. Last log lines:\n${this.logTail(30)}`;
		const executions = await waitForExecutions(list, expected, opts.timeoutMs, failure);
		const quietMs = opts.quietMs ?? (expected === 0 ? EXECUTION_QUIET_MS : 0);
		return await staysQuiet(list, executions, quietMs, failure);
	}

	async publicApi<T>(method: string, apiPath: string, body?: unknown): Promise<T> {
		return await this.publicApiClient().call<T>(method, apiPath, body);
	}

	async rest<T>(method: string, restPath: string, body?: unknown): Promise<T> {
		return await this.signedInSession().call<T>(method, restPath, body);
	}

	async stop(): Promise<void> {
		await this.server.stop();
		running.delete(this);
	}

	kill(): void {
		this.server.kill();
	}

	async unexpectedExit(): Promise<string> {
		return await this.server.unexpectedExit();
	}

	async restart(): Promise<void> {
		await this.server.restart();
		await this.openSession();
	}

	/** Signs in after every start, creating owner and API key on a fresh user folder. */
	private async openSession(): Promise<void> {
		this.session = new RestSession(this.baseUrl);
		const saved = readHarnessState(this.userFolder);
		const newOwner = this.options.owner ?? {
			email: DEFAULT_OWNER_EMAIL,
			password: generatePassword(),
		};
		this.account = await signIn(this.session, this.baseUrl, saved, newOwner);
		this.api = new PublicApi(this.baseUrl, this.account.apiKey);
		writeHarnessState(this.userFolder, { version: this.version, port: this.port, ...this.account });
		this.options.log?.(
			`${this.server.name}: signed in at ${this.baseUrl} (user folder ${this.userFolder})`,
		);
	}

	private async importWithCli(workflowId: string, workflow: WorkflowSpec): Promise<void> {
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'n8n-import-')), `${workflowId}.json`);
		// The CLI stores nodes as given, so they need the ids the editor would have added.
		const nodes = workflow.nodes.map((node) => ({ id: randomUUID(), ...node }));
		writeFileSync(
			file,
			JSON.stringify({ ...withSettings(workflow), nodes, id: workflowId, active: false }),
		);
		try {
			await runCommand(
				this.install.nodeBin,
				[this.install.n8nEntry, 'import:workflow', `--input=${file}`],
				{
					cwd: this.userFolder,
					env: n8nCommandEnvironment(this.install, this.userFolder, this.options.env ?? {}),
				},
			);
		} finally {
			rmSync(path.dirname(file), { recursive: true, force: true });
		}
	}

	private async workflowExists(workflowId: string): Promise<boolean> {
		try {
			await this.publicApiClient().call('GET', `/workflows/${workflowId}`);
			return true;
		} catch (error) {
			if (error instanceof N8nHttpError && error.status === 404) return false;
			throw error;
		}
	}

	private publishingClients(): Parameters<typeof publishWorkflow>[0] {
		return {
			version: this.version,
			api: this.publicApiClient(),
			session: this.signedInSession(),
			timeoutMs: PUBLICATION_TIMEOUT_MS,
		};
	}

	private signedIn(): { owner: Owner; apiKey: string } {
		if (this.account === undefined) throw new Error('n8n is not ready yet');
		return this.account;
	}

	private signedInSession(): RestSession {
		if (this.session === undefined) throw new Error('n8n is not ready yet');
		return this.session;
	}

	private publicApiClient(): PublicApi {
		if (this.api === undefined) throw new Error('n8n is not ready yet');
		return this.api;
	}
}

function withSettings(workflow: WorkflowSpec): WorkflowSpec {
	return { ...workflow, settings: workflow.settings ?? { executionOrder: 'v1' } };
}

/**
 * Starts n8n with the packed community package installed, waits until it is ready and signs
 * in. The instance is stopped when this process exits (see stopAll).
 */
export async function startN8n(options: StartOptions): Promise<N8nInstance> {
	const log = options.log ?? (() => undefined);
	const install = await ensureN8n(options.version, log);
	const userFolder =
		options.userFolder ?? mkdtempSync(path.join(tmpdir(), `n8n-${options.version}-`));
	// ~50 MB each (mostly n8n's static cache); N8N_REVOPS_KEEP_USER_FOLDERS=1 keeps them for their n8n.log.
	if (options.userFolder === undefined && process.env.N8N_REVOPS_KEEP_USER_FOLDERS !== '1')
		reaper.removeFolderAtExit(userFolder);
	mkdirSync(userFolder, { recursive: true });
	const saved = readHarnessState(userFolder);
	if (saved !== undefined && saved.version !== options.version) {
		throw new Error(
			`${userFolder} holds an n8n ${saved.version} database; n8n ${options.version} cannot reuse it`,
		);
	}
	const port = options.port ?? (await freePort());
	if (await isPortInUse(port))
		throw new Error(
			`Port ${port} on 127.0.0.1 is in use; stop what runs there or pick another port`,
		);
	if (options.tarball !== null) installPackageInto(userFolder, options.tarball);

	registerExitHandlers();
	const instance = new RunningN8n(install, port, userFolder, options);
	try {
		await instance.boot();
	} catch (error) {
		await instance.stop();
		throw error;
	}
	return instance;
}

export async function stopAll(): Promise<void> {
	await Promise.all([...running].map(async (instance) => await instance.stop()));
}

let exitHandlersRegistered = false;

/**
 * Leaves no n8n behind: SIGINT/SIGTERM stop every instance gracefully and then exit; a plain
 * exit kills whatever is still running (there is no time to wait then). Further signals while
 * stopping are ignored on purpose: wrappers such as npm and tsx relay the same Ctrl-C again.
 * Where these handlers cannot run (SIGKILL, Jest's sandboxed `process`), the reaper acts.
 */
function registerExitHandlers(): void {
	if (exitHandlersRegistered) return;
	exitHandlersRegistered = true;
	process.on('exit', () => {
		for (const instance of running) instance.kill();
	});
	let stopping = false;
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			if (stopping) return;
			stopping = true;
			void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
		});
	}
}
