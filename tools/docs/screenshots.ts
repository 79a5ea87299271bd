/**
 * `npm run docs:screenshots`: regenerates the pictures in docs/images/ from a real n8n 2.41.1
 * with this checkout's package, clicked through in headless Chromium along the same path the
 * browser tests check: the node panel, the configured node, the output of a test event, and
 * each example workflow on the canvas. Each picture is cropped to the part that matters.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import sharp from 'sharp';

import { launchChromium } from '../browser/browser';
import { Editor, textMatching } from '../browser/editor';
import { credentialsNamed, importAndPublish, readExample } from '../n8n/examples';
import { startN8n, stopAll, type N8nInstance } from '../n8n/instance';
import { packPackage } from '../n8n/package';
import { sendOnce } from '../revops/sender';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const IMAGES_DIR = path.join(REPO_ROOT, 'docs', 'images');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'deal-signed.json');
const VERIFICATION_KEY = 'revops-docs-verification-key';
/** What users see in the node: their n8n's public https address, not this run's local port. */
const PUBLIC_URL = 'https://n8n.example.com/';
/** Space kept around the nodes in the canvas pictures, for their labels. */
const CANVAS_MARGIN = 48;

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
	await editor.signIn(n8n.owner.email, n8n.owner.password);
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
	const shownUrl = await editor.webhookUrl('test');
	await picture(editor.parameters(), editor, 'configured-node.png');
	const testUrl = shownUrl.replace(PUBLIC_URL, `${n8n.baseUrl}/`);

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
			const data =
				type === 'revOpsWebhookApi'
					? { verificationSecret: VERIFICATION_KEY }
					: { name: 'Authorization', value: 'Bearer example' };
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
		await picture(await nodesArea(editor), editor, name);
	}
}

async function main(): Promise<void> {
	say('Packing n8n-nodes-revops...');
	const tarball = await packPackage(REPO_ROOT);
	const [n8n, browser] = await Promise.all([
		startN8n({ version: '2.41.1', tarball, log: say, env: { WEBHOOK_URL: PUBLIC_URL } }),
		launchChromium(say),
	]);
	rmSync(path.dirname(tarball), { recursive: true, force: true });
	try {
		mkdirSync(IMAGES_DIR, { recursive: true });
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
		say(`Writing ${path.relative(process.cwd(), IMAGES_DIR)}/:`);
		await nodePictures(editor, n8n);
		await examplePictures(editor, n8n);
		const total = readdirSync(IMAGES_DIR).reduce(
			(sum, file) => sum + statSync(path.join(IMAGES_DIR, file)).size,
			0,
		);
		say(`Done: ${(total / 1024).toFixed(1)} KiB in ${IMAGES_DIR}`);
	} finally {
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
