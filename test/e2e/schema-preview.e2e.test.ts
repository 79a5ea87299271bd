/**
 * What n8n's editor shows of the shipped output schema (docs/output-schema.md) before the trigger
 * has run, in headless Chromium: n8n 1.123.81 previews its fields in the next node's input panel;
 * n8n 2.41.1 asks for the file but previews no trigger; pinned data ("set mock data") gives the
 * next node every field in both. If n8n changes this, the page must change with it. A failing
 * check leaves a screenshot and the page's text in test-results/schema-preview/.
 */
import { mkdirSync, writeFileSync } from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';

import { launchChromium } from '../../tools/browser/browser';
import { Editor, textMatching } from '../../tools/browser/editor';
import { N8N_VERSIONS } from '../../tools/n8n/install';
import { startN8n, type N8nInstance } from '../../tools/n8n/instance';
import { chain, noOp, revOpsTrigger, TRIGGER_TYPE } from '../../tools/n8n/workflows';
import { fixtureBytes } from '../support/fixtures';
import { deliver, emittedItem, postRequest } from '../support/requests';
import { packedTarball } from './tarball';

jest.setTimeout(300_000);

const ARTIFACTS_DIR = path.join(__dirname, '..', '..', 'test-results', 'schema-preview');
const NEXT = 'After Trigger';

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

	/** Opens the node after the trigger and returns its input panel's text once it has settled. */
	async function nextNodeInput(expected: RegExp, artifact: string): Promise<string> {
		await editor.openWorkflow(workflowId);
		await page.getByTestId('canvas-node').filter({ hasText: NEXT }).dblclick();
		await editor.ndv().waitFor();
		const input = page.getByTestId('ndv-input-panel');
		try {
			return await textMatching(input, expected);
		} catch (error) {
			mkdirSync(ARTIFACTS_DIR, { recursive: true });
			const base = path.join(ARTIFACTS_DIR, `${version}-${artifact}`);
			await page.screenshot({ path: `${base}.png` }).catch(() => undefined);
			writeFileSync(`${base}.page.txt`, await page.locator('body').innerText());
			throw error;
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
});
