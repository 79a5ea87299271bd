/**
 * What n8n's editor shows of the shipped output schema (docs/output-schema.md) before the trigger
 * has run, in headless Chromium: n8n 1.123.81 previews its fields in the next node's input panel;
 * n8n 2.41.1 asks for the file but previews no trigger; pinned data ("set mock data") gives the
 * next node every field in both. Then what a user does with it: an Edit Fields node added after
 * the trigger, a field dragged from its input panel, and the expression n8n saves. If n8n changes
 * this, the page must change with it. A failing check leaves a screenshot and the page's text in
 * test-results/schema-preview/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';

import { launchChromium } from '../../tools/browser/browser';
import { Editor, textMatching } from '../../tools/browser/editor';
import { N8N_VERSIONS } from '../../tools/n8n/install';
import { startN8n, type N8nInstance, type WorkflowNode } from '../../tools/n8n/instance';
import { chain, noOp, revOpsTrigger, TRIGGER_TYPE } from '../../tools/n8n/workflows';
import { fixtureBytes } from '../support/fixtures';
import { deliver, emittedItem, postRequest } from '../support/requests';
import { packedTarball } from './tarball';

jest.setTimeout(300_000);

const ARTIFACTS_DIR = path.join(__dirname, '..', '..', 'test-results', 'schema-preview');
const NEXT = 'After Trigger';
/** The item the README offers to paste as mock data (checked against the node by a unit test). */
const SAMPLE_ITEM = path.join(__dirname, '..', '..', 'docs', 'sample-item.json');
/** n8n's Set node, "Edit Fields (Set)" in the node panel. */
const SET_TYPE = 'n8n-nodes-base.set';

describe.each(N8N_VERSIONS)("the output schema in n8n %s's editor", (version) => {
	let n8n: N8nInstance;
	let browser: Browser;
	let page: Page;
	let editor: Editor;
	let workflowId: string;
	const schemaAnswers: number[] = [];

	beforeAll(async () => {
		[n8n, browser] = await Promise.all([
			startN8n({ version, tarball: await packedTarball() }),
			launchChromium(),
		]);
		page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
		page.on('response', (response) => {
			if (response.url().includes(`/schemas/${TRIGGER_TYPE}/`))
				schemaAnswers.push(response.status());
		});
		editor = new Editor(page, n8n.baseUrl);
		workflowId = await n8n.createWorkflow(
			chain('Schema preview', [revOpsTrigger({ authentication: 'none' }), noOp(NEXT)]),
		);
		await editor.signIn(n8n.owner.email, n8n.owner.password);
	});

	afterAll(async () => {
		await browser?.close();
		await n8n?.stop();
	});

	/** Runs a step; if it fails, leaves what the page showed. */
	async function leavingArtifacts<T>(artifact: string, step: () => Promise<T>): Promise<T> {
		try {
			return await step();
		} catch (error) {
			mkdirSync(ARTIFACTS_DIR, { recursive: true });
			const base = path.join(ARTIFACTS_DIR, `${version}-${artifact}`);
			await page.screenshot({ path: `${base}.png` }).catch(() => undefined);
			writeFileSync(`${base}.page.txt`, await page.locator('body').innerText());
			throw error;
		}
	}

	/** Opens the node after the trigger and returns its input panel's text once it has settled. */
	async function nextNodeInput(expected: RegExp, artifact: string): Promise<string> {
		return await leavingArtifacts(artifact, async () => {
			await editor.openWorkflow(workflowId);
			await editor.openNode(NEXT);
			return await textMatching(editor.inputPanel(), expected);
		});
	}

	/** The version n8n gives a node of this type added today ("Edit Fields (Set)" for the Set node). */
	async function defaultVersion(type: string, displayName: string): Promise<number | undefined> {
		const types = (await (
			await page.request.get(`${n8n.baseUrl}/types/nodes.json`)
		).json()) as Array<{ name: string; displayName: string; defaultVersion?: number }>;
		return types.find((entry) => entry.name === type && entry.displayName === displayName)
			?.defaultVersion;
	}

	/** The workflow as n8n saved it, once it has a node named `name`. */
	/**
	 * The node as n8n saved it, once a save has it and `saved` holds: n8n 2.x also saves on its own
	 * (a node just added, say), so under load a read can come before the save the test asked for.
	 */
	async function savedNode(
		id: string,
		name: string,
		saved: (node: WorkflowNode) => boolean = () => true,
	): Promise<WorkflowNode> {
		const deadline = Date.now() + 30_000;
		for (;;) {
			const workflow = await n8n.publicApi<{ nodes: WorkflowNode[] }>('GET', `/workflows/${id}`);
			const node = workflow.nodes.find((candidate) => candidate.name === name);
			if (node !== undefined && (saved(node) || Date.now() > deadline)) return node;
			if (Date.now() > deadline) throw new Error(`Workflow ${id} was not saved with ${name}`);
			await page.waitForTimeout(250);
		}
	}

	it('before the trigger has run: previewed in 1.x, asked for but not shown in 2.x', async () => {
		if (version.startsWith('1.')) {
			const text = await nextNodeInput(/Usually outputs the following fields/, 'preview');
			// The panel renders the rows in view: the first fields of the list.
			for (const field of ['eventType', 'dedupeKey', 'warnings', 'dealId', 'netPrice'])
				expect(text).toContain(field);
		} else {
			const text = await nextNodeInput(/Execute previous nodes/, 'no-preview');
			expect(text).not.toContain('dedupeKey');
		}
		expect(schemaAnswers).toContain(200);
	});

	it('with a pinned item on the trigger ("set mock data"), the next node lists its fields with values', async () => {
		const item = await emittedItem(deliver(postRequest(fixtureBytes('deal-signed'))));
		const { versionId } = await n8n.rest<{ versionId: string }>(
			'GET',
			`/rest/workflows/${workflowId}`,
		);
		await n8n.rest('PATCH', `/rest/workflows/${workflowId}`, {
			versionId,
			pinData: { 'RevOps Trigger': [{ json: item }] },
		});
		const text = await nextNodeInput(/dedupeKey/, 'pinned');
		expect(text).toContain(String(item.dedupeKey));
		expect(text).not.toMatch(/Usually outputs the following fields/);
	});

	it('Edit Fields added after a new trigger lists the fields before any event, and a dragged one is saved as an expression', async () => {
		const id = await n8n.createWorkflow(
			chain('Map before the first event', [revOpsTrigger({ authentication: 'none' })]),
		);
		await editor.openWorkflow(id);
		// 1.x previews the schema. 2.x previews no trigger, so a 2.x user first gives the trigger
		// mock data, as the README says: docs/sample-item.json pasted into the trigger's output
		// panel. That item has every field with a value, so 2.x lists money's fields; 1.x's preview
		// shows netPrice, which may be null, as an object without fields.
		const preview = version.startsWith('1.');
		if (!preview) {
			await leavingArtifacts('mock-data', async () => {
				await editor.openNode('RevOps Trigger');
				await editor.setMockData(JSON.parse(readFileSync(SAMPLE_ITEM, 'utf8')) as unknown[]);
				await editor.closeNdv();
			});
		}
		const field = preview ? '.dealId' : '.netPrice.minorUnits';
		const paths = await leavingArtifacts('edit-fields-input', async () => {
			await editor.addNodeAfterLast('Edit Fields', 'Edit Fields');
			await textMatching(
				editor.inputPanel(),
				preview ? /Usually outputs the following fields/ : /1 item/,
			);
			await editor.inputField(field).waitFor();
			return await editor.inputFieldPaths();
		});
		expect(paths).toEqual(expect.arrayContaining(['.eventType', '.dealId', '.netPrice']));
		if (preview) expect(paths).not.toContain('.netPrice.minorUnits');
		else expect(paths).toContain('.netPrice.minorUnits');

		await leavingArtifacts('drag', async () => {
			await editor.inputField(field).dragTo(page.getByTestId('assignment-collection-drop-area'));
			await page.getByTestId('assignment').waitFor();
			await editor.closeNdv();
			await editor.saveWorkflow();
		});
		// Until the save after the drag has landed (then the assertions below say what it holds).
		const editFields = await savedNode(
			id,
			'Edit Fields',
			(node) => node.parameters.assignments !== undefined,
		);
		expect(editFields.type).toBe(SET_TYPE);
		expect(editFields.typeVersion).toBe(await defaultVersion(SET_TYPE, 'Edit Fields (Set)'));
		expect(editFields.parameters.assignments).toEqual({
			assignments: [
				preview
					? { id: expect.any(String), name: 'dealId', value: '={{ $json.dealId }}', type: 'string' }
					: {
							id: expect.any(String),
							name: 'netPrice.minorUnits',
							value: '={{ $json.netPrice.minorUnits }}',
							type: 'number',
						},
			],
		});
	});
});
