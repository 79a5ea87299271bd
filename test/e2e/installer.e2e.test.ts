/**
 * The package installed the way users install it: by n8n's own installer, from the registry n8n
 * is configured with. That registry's host is answered by the intercepting proxy from a local
 * Verdaccio holding this package's tarball (and the same package as the next version), so n8n
 * runs its real install, update and uninstall, npm included, without leaving 127.0.0.1. Nothing
 * copies the package into n8n's folder here.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { isDeepStrictEqual } from 'util';

import { generateCACertificate } from 'mockttp';
import type { Browser } from 'playwright-core';

import { launchChromium } from '../../tools/browser/browser';
import { Editor } from '../../tools/browser/editor';
import { N8N_VERSIONS } from '../../tools/n8n/install';
import { N8nHttpError } from '../../tools/n8n/http';
import { startN8n, type N8nInstance } from '../../tools/n8n/instance';
import { startN8nQueue, type N8nQueue } from '../../tools/n8n/queue';
import { sleep } from '../../tools/n8n/process';
import { runCommand } from '../../tools/n8n/run';
import { TRIGGER_NAME, TRIGGER_TYPE } from '../../tools/n8n/workflows';
import { name as PACKAGE_NAME, version as PACKAGE_VERSION } from '../../package.json';
import { readmeBlock, readmeEnvironment, readmeShellBlock } from '../support/readme-blocks';
import { executionsRunBy, publishAndDeliver, signedPost, type Published } from './fixture';
import { printLogTailOnFailure } from './log-tail';
import {
	NEXT_VERSION,
	NOT_INSTALLED_NOTICE,
	startRegistryBehindProxy,
	type RegistryBehindProxy,
} from './registry';
import { packedTarball } from './tarball';

jest.setTimeout(300_000);

/** n8n's value for N8N_COMMUNITY_PACKAGES: JSON (the `name@version` form stops n8n at start). */
const declared = (version: string): string => JSON.stringify([{ name: PACKAGE_NAME, version }]);

/** Where the README's install paths start. */
const BY_HAND = '**By hand**';
const BY_ENV = '**Docker and Kubernetes:**';
const CHECKSUM = 'print the checksum of the version you install';
const WITH_CHECKSUM = 'declare it with that checksum';
const NPMRC_FOR_PROXY = '**n8n 1.x never offers Update behind a proxy**';

/** The README's Docker and Kubernetes lines, as every n8n process here gets them. */
const DECLARED_BY_ENV = readmeEnvironment(BY_ENV);

const progress = (line: string): void => {
	process.stderr.write(`  ${line}\n`);
};

/** One more signed delivery to a published workflow: answered 200, and all its `runs` runs so far succeeded. */
async function deliverAgain(n8n: N8nInstance, workflow: Published, runs: number): Promise<void> {
	expect((await signedPost(workflow.url, 'deal-signed.json')).status).toBe(200);
	const executions = await n8n.executions(workflow.id, { expected: runs });
	expect(executions.map((execution) => execution.status)).toEqual(Array(runs).fill('success'));
}

/** What n8n's REST API answers for an installed community package (the fields read here). */
interface InstalledPackage {
	packageName: string;
	installedVersion: string;
	installedNodes: Array<{ type: string }>;
}

/** n8n and npm started with `registry.proxy.env` install from the local registry. */
let registry: RegistryBehindProxy;

beforeAll(async () => {
	registry = await startRegistryBehindProxy(N8N_VERSIONS, progress);
	await registry.publishNextVersion();
});

afterAll(async () => {
	await registry?.stop();
});

describe.each(N8N_VERSIONS)("n8n %s's own installer, from a registry", (version) => {
	let n8n: N8nInstance;
	let workflow: Published;

	beforeAll(async () => {
		n8n = await startN8n({
			version,
			tarball: null,
			env: {
				...registry.proxy.env,
				// Read by 2.x only: on 1.x this must install nothing (the README says so).
				...(version.startsWith('1.') ? DECLARED_BY_ENV : {}),
				N8N_REINSTALL_MISSING_PACKAGES: 'true',
			},
			log: progress,
		});
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	printLogTailOnFailure(() => n8n);

	const installedPackages = async () =>
		await n8n.rest<InstalledPackage[]>('GET', '/rest/community-packages');

	it('Settings > Community nodes installs it (the call its Install button makes), and a signed delivery runs a workflow built with it', async () => {
		// Nothing installed it at start (on 1.x, despite N8N_COMMUNITY_PACKAGES).
		expect(await n8n.nodeTypes()).not.toContain(TRIGGER_TYPE);
		const started = Date.now();
		const installed = await n8n.rest<InstalledPackage>('POST', '/rest/community-packages', {
			name: PACKAGE_NAME,
			version: PACKAGE_VERSION,
		});
		progress(
			`[installer] n8n ${version}: installed ${PACKAGE_NAME}@${PACKAGE_VERSION} in ${Date.now() - started} ms`,
		);
		expect(installed.installedVersion).toBe(PACKAGE_VERSION);
		expect(installed.installedNodes.map((node) => node.type)).toContain(TRIGGER_TYPE);
		expect(await n8n.nodeTypes()).toContain(TRIGGER_TYPE);

		({ workflow } = await publishAndDeliver(n8n, 'Installed by n8n'));
	});

	it(`updates it to ${NEXT_VERSION}, and the workflow saved on ${PACKAGE_VERSION} still runs`, async () => {
		const started = Date.now();
		const updated = await n8n.rest<InstalledPackage>('PATCH', '/rest/community-packages', {
			name: PACKAGE_NAME,
			version: NEXT_VERSION,
		});
		progress(
			`[installer] n8n ${version}: updated to ${NEXT_VERSION} in ${Date.now() - started} ms`,
		);
		expect(updated.installedVersion).toBe(NEXT_VERSION);
		expect((await installedPackages()).map((entry) => entry.installedVersion)).toEqual([
			NEXT_VERSION,
		]);
		await deliverAgain(n8n, workflow, 2);
	});

	it('deleted from its folder (a volume lost, say), it comes back at the next start with N8N_REINSTALL_MISSING_PACKAGES=true', async () => {
		const installedFolder = join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
		rmSync(installedFolder, { recursive: true, force: true });
		await n8n.restart();
		expect(JSON.parse(readFileSync(join(installedFolder, 'package.json'), 'utf8'))).toMatchObject({
			version: NEXT_VERSION,
		});
		expect(await n8n.nodeTypes()).toContain(TRIGGER_TYPE);
		await deliverAgain(n8n, workflow, 3);
	});

	it('uninstalls it: the node type is gone, the saved workflow still names it, and n8n keeps running', async () => {
		await n8n.rest('DELETE', `/rest/community-packages?name=${encodeURIComponent(PACKAGE_NAME)}`);
		expect(await installedPackages()).toEqual([]);
		expect(await n8n.nodeTypes()).not.toContain(TRIGGER_TYPE);
		const saved = await n8n.publicApi<{ nodes: Array<{ type: string }> }>(
			'GET',
			`/workflows/${workflow.id}`,
		);
		expect(saved.nodes.map((node) => node.type)).toContain(TRIGGER_TYPE);
		expect((await fetch(`${n8n.baseUrl}/healthz`)).status).toBe(200);
	});
});

describe("n8n 1.123.81's editor in Chromium (2.41.1's is clicked through in editor.e2e.test.ts)", () => {
	let n8n: N8nInstance;
	let browser: Browser;
	let editor: Editor;

	beforeAll(async () => {
		[n8n, browser] = await Promise.all([
			startN8n({ version: '1.123.81', tarball: null, env: registry.proxy.env, log: progress }),
			launchChromium(progress),
		]);
		editor = new Editor(
			await browser.newPage({ viewport: { width: 1280, height: 800 } }),
			n8n.baseUrl,
		);
		await editor.signIn(n8n.owner.email, n8n.owner.password);
	});

	afterAll(async () => {
		await browser?.close();
		await n8n?.stop();
	});

	printLogTailOnFailure(() => n8n);

	it(`Settings > Community nodes installs ${PACKAGE_VERSION}, the node panel lists its triggers, a signed delivery runs a workflow built with it; behind the proxy no update is offered until the README's .npmrc is in place, then the card updates it to ${NEXT_VERSION} and the workflow still runs; and the card uninstalls it, after which the workflow shows the trigger as not installed`, async () => {
		let started = Date.now();
		await editor.installCommunityPackage(PACKAGE_NAME, PACKAGE_VERSION);
		progress(`[installer] n8n 1.123.81's editor: installed in ${Date.now() - started} ms`);
		expect(await (await editor.communityPackageCard(PACKAGE_NAME)).innerText()).toContain(
			`v${PACKAGE_VERSION}`,
		);

		expect(await editor.nodeTriggers('RevOps', /On account deleted/)).toContain('On deal signed');
		const { workflow } = await publishAndDeliver(n8n, 'Installed in the 1.x editor');

		// n8n 1.x looks for updates with npm run without its environment, so through no proxy:
		// with 0.1.1 in the registry it offers none (README Troubleshooting).
		const listed = await n8n.rest<Array<{ updateAvailable?: string }>>(
			'GET',
			'/rest/community-packages',
		);
		expect(listed.map((entry) => entry.updateAvailable)).toEqual([undefined]);
		// The README's fix: the proxy settings in an .npmrc in n8n's nodes folder, which npm reads
		// there whatever its environment (and a cache of its own, not the developer's).
		const { HTTPS_PROXY, NO_PROXY, npm_config_cafile } = registry.proxy.env;
		writeFileSync(
			join(n8n.userFolder, '.n8n', 'nodes', '.npmrc'),
			readmeBlock(NPMRC_FOR_PROXY, 'ini')
				.replace('<proxy address>', HTTPS_PROXY)
				.replace('<hosts without proxy>', NO_PROXY)
				.replace('<proxy CA file>', npm_config_cafile) + `cache=${join(n8n.userFolder, '.npm')}\n`,
		);
		started = Date.now();
		await editor.updateCommunityPackage(PACKAGE_NAME, NEXT_VERSION);
		progress(`[installer] n8n 1.123.81's editor: updated in ${Date.now() - started} ms`);
		await deliverAgain(n8n, workflow, 2);

		const confirmation = await editor.uninstallCommunityPackage(PACKAGE_NAME);
		expect(confirmation).toContain('Package includes: RevOps Trigger');
		expect(await n8n.nodeTypes()).not.toContain(TRIGGER_TYPE);
		expect((await fetch(`${n8n.baseUrl}/healthz`)).status).toBe(200);
		// What a user who opens the workflow now sees on the trigger.
		expect(await editor.notInstalledNotice(workflow.id, TRIGGER_NAME)).toMatch(
			NOT_INSTALLED_NOTICE,
		);
	});
});

describe('queue mode, n8n 2.41.1: the package declared in N8N_COMMUNITY_PACKAGES on every process', () => {
	let n8n: N8nQueue;
	/** The package's tarball downloads through the proxy before the set started. */
	let downloadsBefore: number;

	/** Downloads of `version`'s tarball from the registry, through the proxy, so far. */
	const tarballDownloads = async (version: string) =>
		(await registry.proxy.registryRequests()).filter(
			(request) =>
				request.startsWith('GET ') && request.endsWith(`/${PACKAGE_NAME}-${version}.tgz`),
		).length;

	beforeAll(async () => {
		downloadsBefore = await tarballDownloads(PACKAGE_VERSION);
		// The set examples/docker-compose.queue.yml describes: main, two webhook processes behind
		// nginx, a worker; its environment is queueModeEnvironment's and the README's lines.
		n8n = await startN8nQueue({
			tarball: null,
			behindNginx: true,
			webhookProcesses: 2,
			workers: 1,
			env: { ...registry.proxy.env, ...DECLARED_BY_ENV },
			log: progress,
		});
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	printLogTailOnFailure(() => n8n);

	/** Each n8n process's user folder, by role. */
	const userFolders = (): Record<string, string> => ({
		main: n8n.main.userFolder,
		...Object.fromEntries(
			[...n8n.webhookProcesses, ...n8n.workers].map((role) => [role.role, role.userFolder]),
		),
	});
	const roles = () => Object.keys(userFolders());

	/** The version installed in each process's user folder; null where it is absent. */
	const installedVersions = (): Record<string, string | null> =>
		Object.fromEntries(
			Object.entries(userFolders()).map(([role, userFolder]) => {
				const manifest = join(userFolder, '.n8n/nodes/node_modules', PACKAGE_NAME, 'package.json');
				if (!existsSync(manifest)) return [role, null];
				return [role, (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version];
			}),
		);
	const everyProcess = (version: string | null) =>
		Object.fromEntries(roles().map((role) => [role, version]));

	let workflow: Published;

	it("the README's variables on every process: each installs it at start, and a signed delivery runs on a worker", async () => {
		expect(DECLARED_BY_ENV.N8N_COMMUNITY_PACKAGES).toBe(declared(PACKAGE_VERSION));
		expect(installedVersions()).toEqual(everyProcess(PACKAGE_VERSION));
		// Each process fetched it from the registry itself, through the proxy.
		expect((await tarballDownloads(PACKAGE_VERSION)) - downloadsBefore).toBe(roles().length);
		expect(await n8n.nodeTypes()).toContain(TRIGGER_TYPE);
		const delivered = await publishAndDeliver(n8n, 'Declared by env');
		({ workflow } = delivered);
		const { execution } = delivered;
		expect(n8n.workers.filter((worker) => executionsRunBy(worker).has(execution.id))).toHaveLength(
			1,
		);

		// The editor's install, update and uninstall, refused while the environment manages packages.
		for (const [method, path, body] of [
			['POST', '/rest/community-packages', { name: PACKAGE_NAME, version: NEXT_VERSION }],
			['PATCH', '/rest/community-packages', { name: PACKAGE_NAME, version: NEXT_VERSION }],
			['DELETE', `/rest/community-packages?name=${PACKAGE_NAME}`, undefined],
		] as const) {
			const refusal = await n8n.rest(method, path, body).then(
				() => undefined,
				(error: unknown) => error,
			);
			expect(refusal).toBeInstanceOf(N8nHttpError);
			expect((refusal as N8nHttpError).status).toBe(400);
			expect((refusal as N8nHttpError).body).toContain(
				'Community packages are managed via environment variables on this instance and cannot be modified through the API.',
			);
		}
		expect(installedVersions()).toEqual(everyProcess(PACKAGE_VERSION));
	});

	/** Waits up to 60 s for every process to hold `version` (null: no package), then checks it. */
	async function everyProcessReaches(version: string | null): Promise<void> {
		const deadline = Date.now() + 60_000;
		while (!isDeepStrictEqual(installedVersions(), everyProcess(version)) && Date.now() < deadline)
			await sleep(500);
		expect(installedVersions()).toEqual(everyProcess(version));
	}

	it(`main restarted with ${NEXT_VERSION} declared: every running process updates, and the workflow still runs`, async () => {
		await n8n.restartMain({ N8N_COMMUNITY_PACKAGES: declared(NEXT_VERSION) });
		await everyProcessReaches(NEXT_VERSION);
		await deliverAgain(n8n, workflow, 2);
	});

	it(`then every process started again with ${NEXT_VERSION} declared, webhook processes and worker from empty folders (docker compose up -d, containers without volumes): each installs it from the registry, and the workflow runs`, async () => {
		const others = [...n8n.webhookProcesses, ...n8n.workers];
		const downloadsBeforeRestart = await tarballDownloads(NEXT_VERSION);
		for (const role of others)
			rmSync(join(role.userFolder, '.n8n', 'nodes'), { recursive: true, force: true });
		await n8n.restart();
		expect(installedVersions()).toEqual(everyProcess(NEXT_VERSION));
		expect((await tarballDownloads(NEXT_VERSION)) - downloadsBeforeRestart).toBe(others.length);
		await deliverAgain(n8n, workflow, 3);
	});

	it('main restarted with [] declared: every running process removes it', async () => {
		await n8n.restartMain({ N8N_COMMUNITY_PACKAGES: '[]' });
		await everyProcessReaches(null);
		expect(await n8n.nodeTypes()).not.toContain(TRIGGER_TYPE);
	});
});

describe("by hand: the README's commands, then a restart", () => {
	let n8n: N8nInstance | undefined;
	const homes: string[] = [];

	afterEach(async () => {
		await n8n?.stop();
		n8n = undefined;
	});

	afterAll(() => {
		for (const home of homes) rmSync(home, { recursive: true, force: true });
	});

	/** Runs the commands in bash with a fresh home folder as `~`, and returns that folder. */
	async function runAsUser(commands: string): Promise<string> {
		const home = mkdtempSync(join(tmpdir(), 'n8n-by-hand-'));
		homes.push(home);
		await runCommand('bash', ['-euc', commands], {
			cwd: home,
			env: { ...process.env, ...registry.proxy.env, HOME: home },
		});
		return home;
	}

	const installed = (home: string, name: string) =>
		join(home, '.n8n', 'nodes', 'node_modules', name, 'package.json');

	it('install the package from the registry into ~/.n8n/nodes without n8n-workflow, and n8n 2.41.1 loads it and runs it', async () => {
		const home = await runAsUser(readmeShellBlock(BY_HAND));
		// The newest release in the registry, as `npm install <name>` picks.
		expect(JSON.parse(readFileSync(installed(home, PACKAGE_NAME), 'utf8'))).toMatchObject({
			version: NEXT_VERSION,
		});
		// n8n brings its own n8n-workflow.
		expect(existsSync(installed(home, 'n8n-workflow'))).toBe(false);

		n8n = await startN8n({ version: '2.41.1', tarball: null, userFolder: home, log: progress });
		expect(await n8n.nodeTypes()).toContain(TRIGGER_TYPE);
		await publishAndDeliver(n8n, 'Installed by hand');
	});

	it("install the tarball the README's build writes, its path in place of the package's name, and n8n 1.123.81 loads it and runs it", async () => {
		const tarball = await packedTarball();
		const commands = readmeShellBlock(BY_HAND).replace(
			new RegExp(`npm install ${PACKAGE_NAME} `),
			`npm install ${tarball} `,
		);
		expect(commands).toContain(tarball);
		const home = await runAsUser(commands);
		expect(JSON.parse(readFileSync(installed(home, PACKAGE_NAME), 'utf8'))).toMatchObject({
			version: PACKAGE_VERSION,
		});
		expect(existsSync(installed(home, 'n8n-workflow'))).toBe(false);

		n8n = await startN8n({ version: '1.123.81', tarball: null, userFolder: home, log: progress });
		expect(await n8n.nodeTypes()).toContain(TRIGGER_TYPE);
		await publishAndDeliver(n8n, 'Installed by hand from the tarball');
	});

	it("npm behind a proxy that inspects TLS: a cafile in npm's global config wins over NODE_EXTRA_CA_CERTS, and npm_config_cafile fixes it", async () => {
		const folder = mkdtempSync(join(tmpdir(), 'npm-cafile-'));
		homes.push(folder);
		// What a distribution's global npmrc holds: a cafile, here one without the proxy's authority.
		const otherAuthority = await generateCACertificate({ subject: { commonName: 'another CA' } });
		writeFileSync(join(folder, 'other-ca.pem'), otherAuthority.cert);
		writeFileSync(join(folder, 'npmrc'), `cafile=${join(folder, 'other-ca.pem')}\n`);
		const { npm_config_cafile: _inherited, ...inherited } = process.env;
		const { npm_config_cafile: proxyAuthority, ...withoutCafile } = registry.proxy.env;
		const view = async (env: Record<string, string>) =>
			await runCommand('npm', ['view', `${PACKAGE_NAME}@${PACKAGE_VERSION}`, 'version'], {
				cwd: folder,
				env: {
					...inherited,
					...env,
					npm_config_globalconfig: join(folder, 'npmrc'),
					// Nothing from an earlier test's cache: npm must ask the registry.
					npm_config_cache: join(folder, 'cache'),
					npm_config_fetch_retries: '0',
				},
			});

		await expect(view(withoutCafile)).rejects.toThrow(/SELF_SIGNED_CERT_IN_CHAIN|certificate/i);
		expect((await view({ ...withoutCafile, npm_config_cafile: proxyAuthority })).trim()).toBe(
			PACKAGE_VERSION,
		);
	});
});

describe("n8n 3.0's default, N8N_UNVERIFIED_PACKAGES_ENABLED=false, on n8n 2.41.1", () => {
	let n8n: N8nInstance | undefined;

	afterAll(async () => {
		await n8n?.stop();
	});

	it("installs the package declared with the checksum the README's npm view command prints", async () => {
		const command = readmeShellBlock(CHECKSUM);
		expect(command).toContain(`npm view ${PACKAGE_NAME}@${PACKAGE_VERSION} dist.integrity`);
		const checksum = (
			await runCommand('bash', ['-euc', command], {
				cwd: tmpdir(),
				env: { ...process.env, ...registry.proxy.env },
			})
		).trim();
		expect(checksum).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
		const declaredWithChecksum = readmeEnvironment(WITH_CHECKSUM);
		expect(declaredWithChecksum.N8N_UNVERIFIED_PACKAGES_ENABLED).toBe('false');
		declaredWithChecksum.N8N_COMMUNITY_PACKAGES =
			declaredWithChecksum.N8N_COMMUNITY_PACKAGES.replace('<checksum>', checksum);
		const home = mkdtempSync(join(tmpdir(), 'n8n-checksum-'));
		n8n = await startN8n({
			version: '2.41.1',
			tarball: null,
			userFolder: home,
			env: { ...registry.proxy.env, ...declaredWithChecksum },
			log: progress,
		});
		expect(await n8n.nodeTypes()).toContain(TRIGGER_TYPE);
		const manifest = join(home, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME, 'package.json');
		expect(JSON.parse(readFileSync(manifest, 'utf8'))).toMatchObject({ version: PACKAGE_VERSION });
	});
});
