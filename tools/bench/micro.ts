/**
 * The node's own cost: webhook() run in n8n-core's WebhookContext on a real Workflow, against
 * the floor (HMAC + JSON.parse) for a 4 KB and a 2 MB deal, with the parts in between so that
 * a gap can be put down to its cause. Variants run in interleaved batches; the figure is the
 * median time per call over the batches.
 */
import { coreWebhook, type CoreWebhook } from '../n8n-core/webhook';
import { handleDelivery } from '../../nodes/RevOpsTrigger/delivery';
import { loadSample } from '../revops/samples';
import { signBody } from '../revops/sign';
import { floorOutcome } from './floor';
import { BENCH_KEY, SELECTED_EVENT } from './scenarios';

export interface MicroRow {
	deal: string;
	bytes: number;
	/** Median microseconds per call, by variant. */
	floorUs: number;
	pipelineUs: number;
	webhookUs: number;
	credentialUs: number;
}

export interface MicroResult {
	rows: MicroRow[];
	node: string;
}

/** The 4 KB deal-signed fixture with its SKU list repeated until the body is about `bytes` long. */
export function dealOfSize(bytes: number): Buffer {
	const base = loadSample(SELECTED_EVENT);
	if (bytes <= base.length) return base;
	const envelope = JSON.parse(base.toString('utf8')) as { deal: { skus: unknown[] } };
	const skus = envelope.deal.skus;
	const skuBytes = Buffer.byteLength(JSON.stringify(skus));
	const copies = Math.ceil((bytes - base.length) / skuBytes) + 1;
	envelope.deal.skus = Array.from({ length: copies }, () => skus).flat();
	return Buffer.from(JSON.stringify(envelope), 'utf8');
}

async function timePerCall(run: () => unknown, calls: number): Promise<number> {
	const started = performance.now();
	for (let call = 0; call < calls; call += 1) await run();
	return ((performance.now() - started) * 1000) / calls;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

async function measureDeal(
	hook: CoreWebhook,
	label: string,
	body: Buffer,
	batches: number,
): Promise<MicroRow> {
	const signature = signBody(BENCH_KEY, body);
	const headers = { 'content-type': 'application/json', 'x-revops-content-hmac': signature };
	const request = { rawBody: body, headers };
	const parameters = { events: [SELECTED_EVENT], authentication: 'verificationKey', options: {} };
	const deliveryRequest = {
		method: 'POST',
		contentType: 'application/json',
		rawBody: body,
		query: {},
		url: '/webhook/x/webhook',
		signature,
		clientIp: '127.0.0.1',
		receivedAt: Date.now(),
	};
	const loadKey = async () => [{ position: 1, key: BENCH_KEY }];
	const check = await hook.call(request);
	if (check.result.workflowData?.[0]?.length !== 1)
		throw new Error(`webhook() did not emit the ${label} deal: ${JSON.stringify(check.response)}`);
	if (floorOutcome(BENCH_KEY, body, signature) !== 'emit')
		throw new Error(`the floor did not accept the ${label} deal`);

	// About 50 ms per batch and variant.
	const calls = Math.max(3, Math.round(50_000 / (await timePerCall(() => hook.call(request), 3))));
	const variants = {
		floorUs: () => floorOutcome(BENCH_KEY, body, signature),
		pipelineUs: () => handleDelivery(deliveryRequest, parameters, loadKey),
		webhookUs: () => hook.call(request),
		// What n8n-core does for getCredentials(): decrypt the stored credential and apply its defaults.
		credentialUs: () => hook.prepare(request).context.getCredentials('revOpsWebhookApi'),
	};
	const samples: Record<keyof typeof variants, number[]> = {
		floorUs: [],
		pipelineUs: [],
		webhookUs: [],
		credentialUs: [],
	};
	for (let batch = 0; batch < batches; batch += 1) {
		for (const [name, run] of Object.entries(variants))
			samples[name as keyof typeof variants].push(await timePerCall(run, calls));
	}
	return {
		deal: label,
		bytes: body.length,
		floorUs: median(samples.floorUs),
		pipelineUs: median(samples.pipelineUs),
		webhookUs: median(samples.webhookUs),
		credentialUs: median(samples.credentialUs),
	};
}

export async function runMicrobench(options: {
	log: (line: string) => void;
	batches?: number;
}): Promise<MicroResult> {
	const setup = {
		parameters: { events: [SELECTED_EVENT] },
		credential: { verificationSecret: BENCH_KEY },
	};
	const hook = await coreWebhook(setup);
	const rows: MicroRow[] = [];
	for (const [label, size] of [
		['4 KB', 0],
		['2 MB', 2 * 1024 * 1024],
	] as const) {
		const row = await measureDeal(hook, label, dealOfSize(size), options.batches ?? 15);
		options.log(
			`micro ${label}: floor ${row.floorUs.toFixed(1)} µs, webhook() ${row.webhookUs.toFixed(1)} µs (${(row.webhookUs / row.floorUs).toFixed(2)}×)`,
		);
		rows.push(row);
	}
	return { rows, node: process.version };
}
