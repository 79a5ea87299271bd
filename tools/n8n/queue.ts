/**
 * n8n in queue mode, the shape teams run at scale: PostgreSQL and Redis, a main process for the
 * editor and API (production webhooks off), `n8n webhook` processes that receive RevOps'
 * deliveries and enqueue them, and `n8n worker` processes that run the executions. With
 * `behindNginx`, nginx balances the deliveries over the webhook processes and sends everything
 * else to main, as a load balancer does in production. Every n8n process has its own user
 * folder with the packed package installed, as each machine of a real deployment would.
 *
 * The set answers the same `N8nInstance` API as a single n8n (suites run on either), with
 * webhook URLs pointing at nginx or the webhook process, plus handles on each process for
 * fault tests.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureN8n, webhookUrlVariable, type N8nVersion } from './install';
import { startN8n, trackRunning, untrackRunning, type N8nInstance, type Owner } from './instance';
import { startNginx } from './nginx';
import { installPackageInto } from './package';
import { freePort } from './ports';
import { POSTGRES_DATABASE, POSTGRES_USER, startPostgres } from './postgres';
import { ManagedProcess, type ManagedProcessSpec } from './process';
import { reaper } from './reaper';
import { startRedis } from './redis';
import { n8nServerSpec } from './server';

export interface QueueStartOptions {
	/** Default 2.41.1. */
	version?: N8nVersion;
	/** As in startN8n: `null` leaves installing to n8n (N8N_COMMUNITY_PACKAGES on every process). */
	tarball: string | null;
	/** Main's port (editor and API). Default: a free port. */
	port?: number;
	/** Owner created in the fresh database. Default as in startN8n. */
	owner?: Owner;
	/** Default 2. */
	workers?: number;
	/** Default 1; more than one needs `behindNginx`, which gives them one address. */
	webhookProcesses?: number;
	/** nginx in front (tools/n8n/nginx.ts): RevOps' deliveries go to it. */
	behindNginx?: boolean;
	log?: (line: string) => void;
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
	readyTimeoutMs?: number;
}

const DEFAULT_WORKERS = 2;
const DEFAULT_READY_TIMEOUT_MS = 180_000;

/**
 * What every n8n process of a queue-mode set runs with, given where the servers are: the
 * harness's and the README's docker-compose file's (a unit test keeps that file equal to this).
 */
export function queueModeEnvironment(where: {
	/** `host:port` of PostgreSQL and of Redis. */
	postgres: string;
	redis: string;
	/** The public address of the webhook processes. */
	webhookUrl: string;
	encryptionKey: string;
	/** Default 2.41.1. */
	version?: N8nVersion;
	/** Proxies in front of the n8n processes (nginx: 1), so n8n takes senders' addresses from them. */
	proxyHops?: number;
}): Record<string, string> {
	const [postgresHost, postgresPort] = where.postgres.split(':');
	const [redisHost, redisPort] = where.redis.split(':');
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgresHost,
		DB_POSTGRESDB_PORT: postgresPort,
		DB_POSTGRESDB_DATABASE: POSTGRES_DATABASE,
		DB_POSTGRESDB_USER: POSTGRES_USER,
		DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redisHost,
		QUEUE_BULL_REDIS_PORT: redisPort,
		// Workers decrypt the credentials main stored: every process needs the same key.
		N8N_ENCRYPTION_KEY: where.encryptionKey,
		[webhookUrlVariable(where.version ?? '2.41.1')]: where.webhookUrl,
		// Test-URL executions run on workers too, and main needs no task runner of its own.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		...(where.proxyHops === undefined ? {} : { N8N_PROXY_HOPS: String(where.proxyHops) }),
	};
}

/** Main serves the editor and the API; production webhooks go to the webhook processes. */
export const MAIN_PROCESS_ENVIRONMENT = { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' };

/** A webhook process or a worker; `role` is how reports name it ("webhook 1", "worker 1"). */
export class QueueProcess extends ManagedProcess {
	constructor(
		readonly role: string,
		/** Its own user folder: `<set folder>/<role, dashed>` (worker 1 in worker-1). */
		readonly userFolder: string,
		spec: ManagedProcessSpec,
	) {
		super(spec);
	}
}

/** A queue-mode set; `N8nInstance` calls go to main, webhook URLs to nginx or the webhook process. */
export interface N8nQueue extends N8nInstance {
	readonly topology: 'queue';
	readonly main: N8nInstance;
	readonly webhookProcesses: QueueProcess[];
	readonly workers: QueueProcess[];
	readonly redis: ManagedProcess;
	readonly postgres: ManagedProcess;
	/** With `behindNginx`: the load balancer RevOps delivers to. */
	readonly nginx: ManagedProcess | undefined;
	/** The folder holding every process's user folder and the databases' data. */
	readonly folder: string;
	/** Main again with `env` added for every process, the others running on. */
	restartMain(env?: Record<string, string>): Promise<void>;
}

class RunningQueue implements N8nQueue {
	readonly topology = 'queue';

	constructor(
		readonly main: N8nInstance,
		readonly webhookProcesses: QueueProcess[],
		readonly workers: QueueProcess[],
		readonly redis: ManagedProcess,
		readonly postgres: ManagedProcess,
		readonly nginx: ManagedProcess | undefined,
		readonly folder: string,
		/** The environment objects each n8n process reads on every start. */
		private readonly environments: Array<Record<string, string>>,
	) {}

	get version() {
		return this.main.version;
	}

	get port() {
		return this.main.port;
	}

	get baseUrl() {
		return this.main.baseUrl;
	}

	get userFolder() {
		return this.main.userFolder;
	}

	get pid() {
		return this.main.pid;
	}

	get owner() {
		return this.main.owner;
	}

	get apiKey() {
		return this.main.apiKey;
	}

	private get n8nProcesses(): QueueProcess[] {
		return [...this.webhookProcesses, ...this.workers];
	}

	/** Where RevOps delivers: nginx, or the only webhook process. */
	private get deliveryPort(): number {
		return (this.nginx ?? this.webhookProcesses[0]).port;
	}

	/** Every n8n process's log, each block headed by its role. */
	logTail(lines = 60): string {
		const blocks = [
			`--- main\n${this.main.logTail(lines)}`,
			...this.n8nProcesses.map((role) => `--- ${role.role}\n${role.log.tail(lines)}`),
		];
		return blocks.join('\n');
	}

	createCredential: N8nInstance['createCredential'] = async (...args) =>
		await this.main.createCredential(...args);

	createWorkflow: N8nInstance['createWorkflow'] = async (...args) =>
		await this.main.createWorkflow(...args);

	upsertWorkflow: N8nInstance['upsertWorkflow'] = async (...args) =>
		await this.main.upsertWorkflow(...args);

	activate: N8nInstance['activate'] = async (...args) => await this.main.activate(...args);

	deactivate: N8nInstance['deactivate'] = async (...args) => await this.main.deactivate(...args);

	nodeTypes: N8nInstance['nodeTypes'] = async () => await this.main.nodeTypes();

	executions: N8nInstance['executions'] = async (...args) => await this.main.executions(...args);

	publicApi: N8nInstance['publicApi'] = async (...args) => await this.main.publicApi(...args);

	rest: N8nInstance['rest'] = async (...args) => await this.main.rest(...args);

	/** Production deliveries go to nginx or the webhook process; test URLs are main's. */
	webhookUrl(
		webhookId: string,
		webhookPath = 'webhook',
		mode: 'production' | 'test' = 'production',
	): string {
		if (mode === 'test') return this.main.webhookUrl(webhookId, webhookPath, mode);
		return `http://127.0.0.1:${this.deliveryPort}/webhook/${webhookId}/${webhookPath}`;
	}

	/**
	 * Stops nginx, the n8n processes (webhook and workers first, main last), then Redis and
	 * PostgreSQL.
	 */
	async stop(): Promise<void> {
		await this.nginx?.stop();
		await Promise.all(this.n8nProcesses.map(async (role) => await role.stop()));
		await this.main.stop();
		await this.redis.stop();
		await this.postgres.stop();
		untrackRunning(this);
	}

	/** SIGKILL to every n8n process; the reaper and stop() take care of Redis and PostgreSQL. */
	kill(): void {
		for (const role of this.n8nProcesses) role.kill();
		this.main.kill();
	}

	/** Every n8n process again, on the same database and queue. */
	async restart(): Promise<void> {
		await Promise.all(this.n8nProcesses.map(async (role) => await role.stop()));
		await this.main.restart();
		await Promise.all(this.n8nProcesses.map(async (role) => await role.restart()));
	}

	/**
	 * Main again while the other processes keep running, after `env` is added to what every
	 * process starts with (the others read it at their next start): a redeployment that
	 * restarts main first, with a new N8N_COMMUNITY_PACKAGES, say.
	 */
	async restartMain(env: Record<string, string> = {}): Promise<void> {
		for (const environment of this.environments) Object.assign(environment, env);
		await this.main.restart();
	}

	/** Resolves, saying which and how, when any process of the set ends on its own. */
	async unexpectedExit(): Promise<string> {
		const servers = [this.main, ...this.n8nProcesses, this.redis, this.postgres];
		if (this.nginx !== undefined) servers.push(this.nginx);
		return await Promise.race(servers.map(async (server) => await server.unexpectedExit()));
	}
}

/**
 * Starts PostgreSQL, Redis, main, then the webhook processes and the workers together, then
 * nginx if asked, and returns once all answer their readiness probes. On any failure everything started so far is
 * stopped before the error is thrown; the reaper covers a harness that dies.
 */
export async function startN8nQueue(options: QueueStartOptions): Promise<N8nQueue> {
	const log = options.log ?? (() => undefined);
	const webhookCount = options.webhookProcesses ?? 1;
	if (webhookCount > 1 && options.behindNginx !== true)
		throw new Error('Several webhook processes need behindNginx: RevOps delivers to one address');
	const version = options.version ?? '2.41.1';
	const install = await ensureN8n(version, log);
	const folder = mkdtempSync(path.join(tmpdir(), 'n8n-queue-'));
	// PostgreSQL runs as nobody when we are root: it must be able to reach its data folder.
	chmodSync(folder, 0o755);
	if (process.env.N8N_REVOPS_KEEP_USER_FOLDERS !== '1') reaper.removeFolderAtExit(folder);

	const started: Array<{ stop(): Promise<void> }> = [];
	try {
		const postgres = await startPostgres(folder, log);
		started.push(postgres);
		const redis = await startRedis(folder, log);
		started.push(redis);
		log(`PostgreSQL and Redis (append-only) keep their data in ${folder}`);

		const freePorts = async (count: number): Promise<number[]> =>
			await Promise.all(Array.from({ length: count }, async () => await freePort()));
		const webhookPorts = await freePorts(webhookCount);
		const healthPorts = await freePorts(options.workers ?? DEFAULT_WORKERS);
		// nginx's port, taken now: every n8n process is told its public address at start.
		const nginxPort = options.behindNginx === true ? await freePort() : undefined;
		const publicPort = nginxPort ?? webhookPorts[0];
		const shared: Record<string, string> = {
			...queueModeEnvironment({
				postgres: `127.0.0.1:${postgres.port}`,
				redis: `127.0.0.1:${redis.port}`,
				webhookUrl: `http://127.0.0.1:${publicPort}/`,
				encryptionKey: randomBytes(24).toString('base64url'),
				version,
				proxyHops: nginxPort === undefined ? undefined : 1,
			}),
			...options.env,
		};
		const userFolder = (role: string): string => {
			const roleFolder = path.join(folder, role);
			mkdirSync(roleFolder, { recursive: true });
			if (options.tarball !== null) installPackageInto(roleFolder, options.tarball);
			return roleFolder;
		};

		const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
		const mainEnv = { ...shared, ...MAIN_PROCESS_ENVIRONMENT };
		const main = await startN8n({
			version,
			name: 'n8n main',
			tarball: options.tarball,
			port: options.port,
			owner: options.owner,
			userFolder: userFolder('main'),
			env: mainEnv,
			log,
			readyTimeoutMs,
		});
		// Stopped with the set, in order, rather than on its own by stopAll().
		untrackRunning(main);
		started.push(main);

		const queueProcess = (
			role: string,
			command: 'webhook' | 'worker',
			port: number,
			env: Record<string, string>,
		): QueueProcess => {
			const folder = userFolder(role.replace(' ', '-'));
			return new QueueProcess(
				role,
				folder,
				n8nServerSpec({
					name: `n8n ${role}`,
					install,
					command,
					port,
					userFolder: folder,
					env,
					readyTimeoutMs,
					progress: log,
				}),
			);
		};
		const webhookProcesses = webhookPorts.map((port, index) =>
			queueProcess(`webhook ${index + 1}`, 'webhook', port, shared),
		);
		const workerEnvs = healthPorts.map((port) => ({
			...shared,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		}));
		const workers = healthPorts.map((port, index) =>
			queueProcess(`worker ${index + 1}`, 'worker', port, workerEnvs[index]),
		);
		started.push(...webhookProcesses, ...workers);
		await Promise.all([...webhookProcesses, ...workers].map(async (role) => await role.start()));
		const nginx =
			nginxPort === undefined
				? undefined
				: await startNginx(folder, { port: nginxPort, webhookPorts, mainPort: main.port }, log);
		if (nginx !== undefined) started.push(nginx);

		const queue = new RunningQueue(
			main,
			webhookProcesses,
			workers,
			redis,
			postgres,
			nginx,
			folder,
			[mainEnv, shared, ...workerEnvs],
		);
		trackRunning(queue);
		return queue;
	} catch (error) {
		// n8n processes first, then the servers they use.
		for (const service of started.reverse()) await service.stop().catch(() => undefined);
		throw error;
	}
}
