/**
 * A user's first hour with the RevOps Trigger, clicked through n8n 2.41.1's editor in headless
 * Chromium (playwright-core, Chromium from @sparticuz/chromium), from installing the package in
 * Settings > Community nodes (n8n's installer fetches it from the local registry, through the
 * proxy that answers for the public one). The scenarios run in order on one n8n and one browser
 * page, each building on the last, as a user would. A failing scenario
 * leaves a screenshot, the page's text and n8n's log tail in test-results/editor/.
 */
import { mkdirSync, writeFileSync } from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';

import { ACKNOWLEDGEMENT_TEXT } from '../../nodes/RevOpsTrigger/description';
import { launchChromium } from '../../tools/browser/browser';
import { Editor, textMatching } from '../../tools/browser/editor';
import { isDone } from '../../tools/n8n/executions';
import { startN8n, type ExecutionSummary, type N8nInstance } from '../../tools/n8n/instance';
import { TRIGGER_TYPE } from '../../tools/n8n/workflows';
import { sendOnce } from '../../tools/revops/sender';
import { name as PACKAGE_NAME, version as PACKAGE_VERSION } from '../../package.json';
import { EXPECTED_ITEMS } from '../support/expected-items';
import { fixtureBytes, TEST_KEY } from '../support/fixtures';
import { expectQuoted } from '../support/troubleshooting';
import {
	NEXT_VERSION,
	NOT_INSTALLED_NOTICE,
	startRegistryBehindProxy,
	type RegistryBehindProxy,
} from './registry';

jest.setTimeout(300_000);

const ARTIFACTS_DIR = path.join(__dirname, '..', '..', 'test-results', 'editor');
const CREDENTIAL_NAME = 'RevOps Webhook account';
const signed = EXPECTED_ITEMS['deal-signed'] as {
	netPrice: { minorUnits: number };
	enabledFeatureFlags: string[];
};

describe("the RevOps Trigger in n8n 2.41.1's editor", () => {
	let n8n: N8nInstance;
	let browser: Browser;
	let page: Page;
	let editor: Editor;
	let registry: RegistryBehindProxy;
	/** Filled in by the scenarios, in order. */
	const state: { testUrl?: string; productionUrl?: string; workflowId?: string } = {};

	async function saveFailureArtifacts(scenario: string): Promise<void> {
		mkdirSync(ARTIFACTS_DIR, { recursive: true });
		const base = path.join(ARTIFACTS_DIR, scenario.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
		await page.screenshot({ path: `${base}.png` }).catch(() => undefined);
		writeFileSync(
			`${base}.page.txt`,
			`${page.url()}\n\n${await page
				.locator('body')
				.innerText()
				.catch((error: Error) => error.message)}\n`,
		);
		writeFileSync(`${base}.n8n-log.txt`, `${n8n.logTail(200)}\n`);
		console.log(
			`Scenario failed: screenshot, page text and n8n log tail in ${base}.*\nn8n log tail:\n${n8n.logTail(40)}`,
		);
	}

	let failedScenario: string | undefined;

	/**
	 * A scenario that, when it fails, leaves what the user would have seen. Each one starts
	 * where the one before left off, so after a failure the rest fail at once, naming it.
	 */
	function scenario(name: string, run: () => Promise<void>): void {
		it(name, async () => {
			if (failedScenario !== undefined)
				throw new Error(`Not run: it starts where "${failedScenario}" failed`);
			try {
				await run();
			} catch (error) {
				failedScenario = name;
				await saveFailureArtifacts(name);
				throw error;
			}
		});
	}

	/** The execution the production URL started (the Test URL run before it is a manual one). */
	async function productionExecution(workflowId: string): Promise<ExecutionSummary> {
		const deadline = Date.now() + 60_000;
		for (;;) {
			const found = (await n8n.executions(workflowId)).find(
				(execution) => execution.mode === 'webhook' && isDone(execution),
			);
			if (found !== undefined) return found;
			if (Date.now() > deadline)
				throw new Error(`No finished production execution of workflow ${workflowId} within 60 s`);
			await page.waitForTimeout(250);
		}
	}

	/** Publishing is asynchronous in n8n 2.x: the editor says "Published" before the webhook is live. */
	async function publishedTriggers(workflowId: string): Promise<void> {
		const deadline = Date.now() + 60_000;
		for (;;) {
			const { status } = await n8n.rest<{ status: string }>(
				'GET',
				`/rest/workflows/${workflowId}/publication-status`,
			);
			if (status === 'published') return;
			if (Date.now() > deadline || status === 'failed')
				throw new Error(`Workflow ${workflowId} publication: ${status}`);
			await page.waitForTimeout(250);
		}
	}

	beforeAll(async () => {
		const log = (line: string) => process.stdout.write(`  [editor] ${line}\n`);
		registry = await startRegistryBehindProxy(['2.41.1'], log);
		[n8n, browser] = await Promise.all([
			startN8n({ version: '2.41.1', tarball: null, env: registry.proxy.env, log }),
			launchChromium(log),
		]);
		page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		editor = new Editor(page, n8n.baseUrl);
	});

	afterAll(async () => {
		await browser?.close();
		await n8n?.stop();
		await registry?.stop();
	});

	scenario('1. sign in and install n8n-nodes-revops in Settings > Community nodes', async () => {
		await editor.signIn(n8n.owner.email, n8n.owner.password);
		expect(await n8n.nodeTypes()).not.toContain(TRIGGER_TYPE);
		await editor.installCommunityPackage(PACKAGE_NAME);
		expect(await n8n.nodeTypes()).toContain(TRIGGER_TYPE);
		expect(await (await editor.communityPackageCard(PACKAGE_NAME)).innerText()).toContain(
			`v${PACKAGE_VERSION}`,
		);
	});

	scenario('2. search "RevOps" in the node panel and choose "On deal signed"', async () => {
		const actions = await editor.nodeTriggers('RevOps', /On account deleted/);
		for (const action of [
			'On all events',
			'On deal created',
			'On deal signed',
			'On deal activated',
			'On account deleted',
		]) {
			expect(actions).toContain(action);
		}
		await editor.nodeCreatorItem('On deal signed').click();
		await editor.ndv().waitFor();

		expect(await editor.parameter('events').innerText()).toMatch(/^\s*Deal Signed\s*$/);
		await editor.notice('In RevOps, open Settings > Webhooks').waitFor();
		state.testUrl = await editor.webhookUrl('test');
		state.productionUrl = await editor.webhookUrl('production');
		expect(state.testUrl).toMatch(
			new RegExp(`^${n8n.baseUrl}/webhook-test/[0-9a-f-]{36}/webhook$`),
		);
		expect(state.productionUrl).toBe(state.testUrl.replace('/webhook-test/', '/webhook/'));
	});

	scenario(
		'3. create the RevOps Webhook API credential with two keys in the UI and see its test answers',
		async () => {
			await editor.openNewCredentialDialog();
			// A key pasted with a trailing space: the credential test says what is wrong.
			await editor.saveCredential({ verificationSecret: `${TEST_KEY} ` });
			expect(await editor.credentialTestMessage(/starts or ends with a space/)).toContain(
				"'Verification Key' starts or ends with a space: copy it again from RevOps",
			);
			// A second key that repeats the first: named by its label, never shown.
			await editor.saveCredential({ verificationSecret: TEST_KEY, verificationSecret2: TEST_KEY });
			expect(await editor.credentialTestMessage(/is the same as/)).toContain(
				"'Verification Key 2' is the same as 'Verification Key': remove one of them",
			);
			// Two different keys, as during a rotation: the test passes.
			await editor.saveCredential({
				verificationSecret: TEST_KEY,
				verificationSecret2: 'previous-verification-key',
			});
			// A credential that tests fine closes its dialog and is selected on the node.
			await editor.credentialDialog().waitFor({ state: 'hidden' });
			await editor.selectedCredential(CREDENTIAL_NAME);
			const stored = await n8n.rest<Array<{ name: string; type: string }>>(
				'GET',
				'/rest/credentials',
			);
			expect(stored.map(({ name, type }) => ({ name, type }))).toEqual([
				{ name: CREDENTIAL_NAME, type: 'revOpsWebhookApi' },
			]);
		},
	);

	scenario(
		'4. "Execute step", send a signed deal-signed to the Test URL, and see the item in the output panel',
		async () => {
			await editor.executeStep();
			await textMatching(editor.ndv(), /Listening for test event/i);
			const answer = await sendOnce(fixtureBytes('deal-signed'), {
				url: state.testUrl ?? '',
				key: TEST_KEY,
				timeoutMs: 30_000,
			});
			expect([answer.status, answer.body]).toEqual([200, ACKNOWLEDGEMENT_TEXT]);

			await editor.showOutputAs('JSON');
			// The JSON view marks indentation with "·" and breaks lines between key and value.
			const json = (await textMatching(editor.outputPanel(), /"enabledFeatureFlags"/)).replace(
				/[\s·]+/g,
				' ',
			);
			expect(json).toContain('"eventType": "deal-signed"');
			expect(json).toMatch(
				new RegExp(`"netPrice": \\{[^}]*"minorUnits": ${signed.netPrice.minorUnits}[ ,}]`),
			);
			expect(json).toContain(
				`"enabledFeatureFlags": [ ${signed.enabledFeatureFlags.map((flag) => `"${flag}"`).join(', ')} ]`,
			);
			state.workflowId = /\/workflow\/([A-Za-z0-9]+)/.exec(page.url())?.[1];
		},
	);

	scenario(
		'5. Authentication "None" shows its warning; "When Workflow Succeeds" shows its notice',
		async () => {
			const unsigned =
				'Without a Verification Key, anyone who learns this URL can start the workflow';
			const lastNode = 'n8n answers RevOps with the output of the last node that ran';
			expect(await editor.notice(unsigned).count()).toBe(0);
			expect(await editor.notice(lastNode).count()).toBe(0);

			await editor.selectOption('authentication', 'None');
			await editor.notice(unsigned).waitFor();
			await editor.selectOption('authentication', 'Verification Key');
			await editor.notice(unsigned).waitFor({ state: 'detached' });

			await editor.selectOption('acknowledge', 'When Workflow Succeeds');
			await editor.notice(lastNode).waitFor();
			await editor.selectOption('acknowledge', 'When Received');
			await editor.notice(lastNode).waitFor({ state: 'detached' });
		},
	);

	scenario(
		'6. publish, send a production event, and the Executions tab lists a succeeded execution',
		async () => {
			await editor.closeNdv();
			await editor.publish();
			await page.getByRole('button', { name: 'Got it' }).click(); // "Workflow published"
			await publishedTriggers(state.workflowId ?? '');
			const answer = await sendOnce(fixtureBytes('deal-signed'), {
				url: state.productionUrl ?? '',
				key: TEST_KEY,
				timeoutMs: 30_000,
			});
			expect([answer.status, answer.body]).toEqual([200, ACKNOWLEDGEMENT_TEXT]);
			const production = await productionExecution(state.workflowId ?? '');
			expect(production.status).toBe('success');

			await editor.openExecutionsTab();
			// The list names each execution by id; the newest one is opened, its id in the URL.
			const item = page.getByTestId(`execution-details-${production.id}`);
			expect(await textMatching(item, /Succeeded/)).toMatch(/Succeeded in [\d.]+m?s/);
			await page.waitForURL(new RegExp(`/executions/${production.id}$`));
			expect(
				await textMatching(
					page.getByTestId('current-executions-list'),
					/Succeeded[\s\S]*Succeeded/,
				),
			).not.toMatch(/Error|Failed/);
		},
	);

	scenario(
		`7. update the package to ${NEXT_VERSION} in Settings > Community nodes, the published workflow keeps running; then uninstall it while it is published`,
		async () => {
			await registry.publishNextVersion();
			await editor.updateCommunityPackage(PACKAGE_NAME, NEXT_VERSION);
			const answer = await sendOnce(fixtureBytes('deal-signed'), {
				url: state.productionUrl ?? '',
				key: TEST_KEY,
				timeoutMs: 30_000,
			});
			expect([answer.status, answer.body]).toEqual([200, ACKNOWLEDGEMENT_TEXT]);
			// The Test URL run of scenario 4, the production run of scenario 6, and this one.
			const executions = await n8n.executions(state.workflowId ?? '', { expected: 3 });
			expect(
				executions
					.filter((execution) => execution.mode === 'webhook')
					.map((execution) => execution.status),
			).toEqual(['success', 'success']);

			const confirmation = await editor.uninstallCommunityPackage(PACKAGE_NAME);
			expect(confirmation).toContain('Package includes: RevOps Trigger');
			// Said although the published workflow uses the trigger: the README warns about it.
			const notUsed = 'Nodes from this package are not used in any workflows';
			expect(confirmation).toContain(notUsed);
			expectQuoted(notUsed);
			expect(await n8n.nodeTypes()).not.toContain(TRIGGER_TYPE);
			const saved = await n8n.publicApi<{ nodes: Array<{ type: string }> }>(
				'GET',
				`/workflows/${state.workflowId ?? ''}`,
			);
			expect(saved.nodes.map((node) => node.type)).toContain(TRIGGER_TYPE);
			// What a user who opens the workflow now sees on the trigger.
			expect(await editor.notInstalledNotice(state.workflowId ?? '', 'RevOps Trigger')).toMatch(
				NOT_INSTALLED_NOTICE,
			);
			const afterUninstall = await sendOnce(fixtureBytes('deal-signed'), {
				url: state.productionUrl ?? '',
				key: TEST_KEY,
				timeoutMs: 30_000,
			});
			expect(afterUninstall.status).toBe(400);
			expectQuoted((JSON.parse(afterUninstall.body) as { message: string }).message);
		},
	);
});
