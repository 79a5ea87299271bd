/**
 * `npm run docs:screenshots`: regenerates the pictures in docs/images/ from a real n8n with this
 * checkout's package, clicked through in headless Chromium along the same path the browser tests
 * check. In n8n 2.41.1: the node panel, the configured node, the output of a test event, the
 * output panel's "set mock data" link, a field mapped into Edit Fields from that mock data, and
 * each example workflow on the canvas; in n8n
 * 1.123.81: a field mapped from the schema preview (2.41.1 previews no trigger). Each picture
 * is cropped to the part that matters.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import sharp from 'sharp';

import { launchChromium } from '../browser/browser';
import { Editor, textMatching } from '../browser/editor';
import { credentialsNamed, importAndPublish, readExample } from '../n8n/examples';
import { webhookUrlVariable, type N8nVersion } from '../n8n/install';
import { startN8n, stopAll, type N8nInstance } from '../n8n/instance';
import { packPackage } from '../n8n/package';
import { chain, revOpsTrigger } from '../n8n/workflows';
import { sendOnce } from '../revops/sender';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const IMAGES_DIR = path.join(REPO_ROOT, 'docs', 'images');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'deal-signed.json');
/** How much of the empty output panel the "set mock data" picture shows around the link, in pixels. */
const MOCK_DATA_CROP_ABOVE = 160;
const MOCK_DATA_CROP_BELOW = 30;
/** The item the README offers to paste as mock data. */
const SAMPLE_ITEM = path.join(REPO_ROOT, 'docs', 'sample-item.json');
const VERIFICATION_KEY = 'revops-docs-verification-key';
/** What users see in the node: their n8n's public https address, not this run's local port. */
const PUBLIC_URL = 'https://n8n.example.com/';
/** Space kept around the nodes in the canvas pictures, for their labels. */
const CANVAS_MARGIN = 48;

/**
 * What each credential type the examples name gets: placeholders of the right form (the canvas
 * pictures never use them; n8n only needs the credential to exist to publish).
 */
const CREDENTIAL_DATA: Record<string, Record<string, unknown>> = {
	revOpsWebhookApi: { verificationSecret: VERIFICATION_KEY },
	stripeApi: { secretKey: 'sk_test_docs_placeholder', notice: '' },
	hubspotAppToken: { appToken: 'pat-docs-placeholder' },
	slackApi: { accessToken: 'xoxb-docs-placeholder', signatureSecret: '', notice: '' },
	asanaApi: { accessToken: 'docs-placeholder' },
	httpHeaderAuth: { name: 'Authorization', value: 'Bearer docs-placeholder' },
};

/** Example file -> picture name. */
const EXAMPLE_PICTURES: Record<string, string> = {
	'revops-billing-stripe.json': 'example-billing.png',
	'revops-feature-flags.json': 'example-feature-flags.png',
	'revops-crm-hubspot.json': 'example-crm.png',
	'revops-sla-notice.json': 'example-sla-notice.png',
};

function say(line: string): void {
	process.stdout.write(`${line}\n`);
}

type Clip = { x: number; y: number; width: number; height: number };

/** Saves a cropped screenshot as a 256-colour PNG (a UI has few colours; a third of the size). */
async function picture(target: Locator | Clip, editor: Editor, name: string): Promise<void> {
	const file = path.join(IMAGES_DIR, name);
	const shot =
		'screenshot' in target
			? await target.screenshot({ animations: 'disabled' })
			: await editor.page.screenshot({ clip: target, animations: 'disabled' });
	await sharp(shot)
		.png({ palette: true, quality: 90, compressionLevel: 9, effort: 10 })
		.toFile(file);
	say(`  ${name}: ${(statSync(file).size / 1024).toFixed(1)} KiB`);
}

/** The area the workflow's nodes and their labels cover on the canvas. */
async function nodesArea(editor: Editor): Promise<Clip> {
	const boxes = await editor.page.getByTestId('canvas-node').evaluateAll((nodes) =>
		nodes.map((node) => {
			const box = node.getBoundingClientRect();
			return { left: box.left, top: box.top, right: box.right, bottom: box.bottom };
		}),
	);
	const left = Math.max(0, Math.min(...boxes.map((box) => box.left)) - CANVAS_MARGIN * 2);
	const top = Math.max(0, Math.min(...boxes.map((box) => box.top)) - CANVAS_MARGIN);
	const right = Math.max(...boxes.map((box) => box.right)) + CANVAS_MARGIN * 2;
	const bottom = Math.max(...boxes.map((box) => box.bottom)) + CANVAS_MARGIN * 1.5;
	return { x: left, y: top, width: right - left, height: bottom - top };
}

async function nodePictures(editor: Editor, n8n: N8nInstance): Promise<void> {
	await editor.openNewWorkflow();
	await editor.searchNodePanel('RevOps');
	await editor.nodeCreatorItem('RevOps').first().click();
	await textMatching(editor.nodeCreator(), /On account deleted/);
	await picture(editor.nodeCreator(), editor, 'node-panel.png');

	await editor.nodeCreatorItem('On deal signed').click();
	await editor.ndv().waitFor();
	await editor.openNewCredentialDialog();
	await editor.saveCredential({ verificationSecret: VERIFICATION_KEY });
	await editor.credentialDialog().waitFor({ state: 'hidden' });
	// The Production URL tab, the one the README's setup step has the user copy.
	await editor.webhookUrl('production');
	await picture(editor.parameters(), editor, 'configured-node.png');
	const testUrl = (await editor.webhookUrl('test')).replace(PUBLIC_URL, `${n8n.baseUrl}/`);

	await editor.executeStep();
	await textMatching(editor.ndv(), /Listening for test event/i);
	const answer = await sendOnce(readFileSync(FIXTURE), { url: testUrl, key: VERIFICATION_KEY });
	if (answer.status !== 200) throw new Error(`The test event got ${answer.status}: ${answer.body}`);
	await editor.showOutputAs('Schema');
	await textMatching(editor.outputPanel(), /Northwind/);
	await picture(editor.outputPanel(), editor, 'test-event-output.png');
	await editor.closeNdv();
}

async function examplePictures(editor: Editor, n8n: N8nInstance): Promise<void> {
	const credentials = new Map<string, { id: string; name: string }>();
	for (const [file, name] of Object.entries(EXAMPLE_PICTURES)) {
		const workflow = readExample(file);
		for (const { type, name: credentialName } of credentialsNamed(workflow)) {
			if (credentials.has(`${type}/${credentialName}`)) continue;
			const data = CREDENTIAL_DATA[type];
			if (data === undefined)
				throw new Error(`${file} names a ${type} credential; add its placeholder data above`);
			credentials.set(
				`${type}/${credentialName}`,
				await n8n.createCredential(credentialName, type, data),
			);
		}
		await importAndPublish(n8n, workflow, {
			credential: (type, credentialName) =>
				credentials.get(`${type}/${credentialName}`) ?? { id: '', name: '' },
		});
		await editor.openWorkflow(workflow.id);
		await editor.page.getByTestId('zoom-to-fit').click();
		// No tooltip or popover left open over the canvas.
		await editor.page.mouse.move(0, 0);
		await editor.page.keyboard.press('Escape');
		await editor.page.waitForTimeout(1000); // popovers fade out
		await editor.page.waitForTimeout(500); // the zoom animates
		// Only the nodes: sticky notes (vue-flow nodes without n8n's canvas-node inside; their
		// text is unreadable at this size and the example's README says what they say), and the
		// zoom buttons and "Execute workflow" that float over a small workflow's canvas, hidden.
		await editor.page
			.locator(
				'.vue-flow__node:not(:has([data-test-id="canvas-node"])), [data-test-id="canvas-controls"], ' +
					'[data-test-id="execute-workflow-button"], [data-test-id="canvas-minimap"]',
			)
			.evaluateAll((elements) =>
				elements.forEach((element) =>
					element.setAttribute(
						'style',
						`${element.getAttribute('style') ?? ''}; visibility: hidden`,
					),
				),
			);
		await picture(await nodesArea(editor), editor, name);
	}
}

/**
 * A new workflow with a RevOps Trigger, Edit Fields added after it, and one field dragged from
 * Edit Fields' input panel onto "Drag input fields here": n8n 1.x takes the fields from the
 * schema preview; n8n 2.x previews no trigger, so the trigger first gets mock data
 * (docs/sample-item.json, as the README says). The picture is the input panel and the parameters.
 */
async function mappingPicture(editor: Editor, n8n: N8nInstance, name: string): Promise<void> {
	const preview = n8n.version.startsWith('1.');
	const workflowId = await n8n.createWorkflow(
		chain('Map before the first event', [
			revOpsTrigger({ events: ['deal-signed'], authentication: 'none' }),
		]),
	);
	await editor.openWorkflow(workflowId);
	if (!preview) {
		await editor.openNode('RevOps Trigger');
		// Where a 2.x user finds the link before any event has arrived.
		await textMatching(editor.outputPanel(), /set mock data/);
		const panel = await editor.outputPanel().boundingBox();
		const link = await editor.outputPanel().getByText('set mock data').boundingBox();
		if (panel === null || link === null) throw new Error('The output panel is not on screen');
		// The empty panel is tall: only its middle, from the lightning icon to the link.
		const top = link.y - MOCK_DATA_CROP_ABOVE;
		const height = link.y + link.height + MOCK_DATA_CROP_BELOW - top;
		await picture({ x: panel.x, y: top, width: panel.width, height }, editor, 'set-mock-data.png');
		await editor.setMockData(JSON.parse(readFileSync(SAMPLE_ITEM, 'utf8')) as unknown[]);
		await editor.closeNdv();
	}
	await editor.addNodeAfterLast('Edit Fields', 'Edit Fields');
	await textMatching(
		editor.inputPanel(),
		preview ? /Usually outputs the following fields/ : /1 item/,
	);
	// 1.x's preview shows netPrice, which may be null, without its fields: dealId is mapped there.
	const field = editor.inputField(preview ? '.dealId' : '.netPrice.minorUnits');
	await field.dragTo(editor.page.getByTestId('assignment-collection-drop-area'));
	await editor.page.getByTestId('assignment').waitFor();
	await editor.page.mouse.move(0, 0);
	// The input panel's list back at its top, where the trigger's name and the preview's title are.
	await editor
		.inputPanel()
		.locator('*')
		.evaluateAll((elements) => elements.forEach((element) => (element.scrollTop = 0)));
	await editor.page.waitForTimeout(500); // the drop highlight fades
	const ndv = await editor.ndv().boundingBox();
	const input = await editor.inputPanel().boundingBox();
	const parameters = await editor.parameters().boundingBox();
	const lastShown = await editor
		.inputField(preview ? '.netPrice' : '.netPrice.minorUnits')
		.boundingBox();
	if (ndv === null || input === null || parameters === null || lastShown === null)
		throw new Error('The Edit Fields panel is not on screen');
	const bottom = lastShown.y + lastShown.height + 12;
	await picture(
		{
			x: input.x,
			y: ndv.y,
			width: parameters.x + parameters.width - input.x,
			height: bottom - ndv.y,
		},
		editor,
		name,
	);
	await editor.closeNdv();
}

/** A browser page signed in to n8n, with toasts hidden. */
async function signedInEditor(browser: Browser, n8n: N8nInstance): Promise<Editor> {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	// Toasts ("Node executed successfully") would cover the output panel.
	await page.addInitScript({
		content: `document.addEventListener('DOMContentLoaded', () => {
			const style = document.createElement('style');
			style.textContent = '.el-notification { display: none !important; }';
			document.head.append(style);
		});`,
	});
	const editor = new Editor(page, n8n.baseUrl);
	await editor.signIn(n8n.owner.email, n8n.owner.password);
	return editor;
}

async function withN8n(
	version: N8nVersion,
	tarball: string,
	browser: Browser,
	take: (editor: Editor, n8n: N8nInstance) => Promise<void>,
): Promise<void> {
	const n8n = await startN8n({
		version,
		tarball,
		log: say,
		env: { [webhookUrlVariable(version)]: PUBLIC_URL },
	});
	try {
		const editor = await signedInEditor(browser, n8n);
		await take(editor, n8n);
		await editor.page.close();
	} finally {
		await n8n.stop();
	}
}

async function main(): Promise<void> {
	say('Packing n8n-nodes-revops...');
	const tarball = await packPackage(REPO_ROOT);
	const browser = await launchChromium(say);
	try {
		mkdirSync(IMAGES_DIR, { recursive: true });
		say(`Writing ${path.relative(process.cwd(), IMAGES_DIR)}/:`);
		// One n8n at a time: the machines running this have two cores.
		await withN8n('2.41.1', tarball, browser, async (editor, n8n) => {
			await nodePictures(editor, n8n);
			await mappingPicture(editor, n8n, 'mock-data-mapping.png');
			await examplePictures(editor, n8n);
		});
		await withN8n('1.123.81', tarball, browser, async (editor, n8n) => {
			await mappingPicture(editor, n8n, 'schema-preview.png');
		});
		const total = readdirSync(IMAGES_DIR).reduce(
			(sum, file) => sum + statSync(path.join(IMAGES_DIR, file)).size,
			0,
		);
		say(`Done: ${(total / 1024).toFixed(1)} KiB in ${IMAGES_DIR}`);
	} finally {
		rmSync(path.dirname(tarball), { recursive: true, force: true });
		await browser.close();
		await stopAll();
	}
}

main().catch(async (error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	await stopAll();
	process.exit(1);
});
