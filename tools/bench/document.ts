/**
 * docs/benchmarks.md from one bench run: what to set for speed, then machine, versions, method,
 * tables and chart. The prose without figures lives in the .md files beside this one.
 */
import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { MicroResult } from './micro';
import { engineTable, RunIndex, targetLegend } from './report';
import { ENGINE_LABELS, type BenchRun, type EngineName } from './run';
import {
	FILTER_PROBE,
	SCENARIOS,
	TARGET_LABELS,
	TWO_KEY_PROBE,
	VERSION_PROBE,
	type ScenarioName,
	type TargetName,
} from './scenarios';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The version of an installed package, or of this one for `..`. */
function version(packageName: string): string {
	return (
		JSON.parse(
			readFileSync(path.join(REPO_ROOT, 'node_modules', packageName, 'package.json'), 'utf8'),
		) as { version: string }
	).version;
}

/** Prose of this folder's markdown files, included as written. */
function included(name: string): string {
	return readFileSync(path.join(__dirname, name), 'utf8').trim();
}

/**
 * What each engine setting gives at 1 client, for users: node version 1.1 (the default for
 * new workflows) against n8n's own Webhook → No-Op and the DIY workflow.
 */
function speedTable(index: RunIndex): string {
	const sandboxed: Record<string, string> = { vm: 'yes', lazy: 'yes', legacy: '**no**' };
	const rate = (engine: EngineName, target: TargetName, scenario: ScenarioName) =>
		index.rate(engine, target, scenario, 1).toFixed(1);
	const rows = index.engines.map((engine) => {
		const cell = index.cell(engine, VERSION_PROBE, 'emitted', 1);
		const isolates = cell ? (cell.isolates / cell.requests).toFixed(1) : 'n/a';
		return (
			`| ${ENGINE_LABELS[engine]} | ${sandboxed[engine]} | ${rate(engine, VERSION_PROBE, 'emitted')} | ` +
			`${rate(engine, VERSION_PROBE, 'filtered')} | ${rate(engine, VERSION_PROBE, 'forged')} | ` +
			`${rate(engine, 'B', 'emitted')} | ${rate(engine, 'A', 'emitted')} | ${isolates} |`
		);
	});
	return [
		'| n8n setting | expressions sandboxed | RevOps Trigger, signed event | unselected event | forged event | Webhook → No-Op | DIY workflow | isolates per signed event (trigger) |',
		'| --- | --- | --- | --- | --- | --- | --- | --- |',
		...rows,
	].join('\n');
}

function filterProbe(index: RunIndex): string {
	const rows = index.engines.flatMap((engine) =>
		index.connections.map((connections) => {
			const probe = index.rate(engine, FILTER_PROBE, 'filtered', connections);
			const trigger = index.rate(engine, 'C', 'filtered', connections);
			const isolates = (['C', FILTER_PROBE] as const)
				.map((target) => index.cell(engine, target, 'filtered', connections))
				.map((cell) => (cell ? (cell.isolates / cell.requests).toFixed(1) : 'n/a'))
				.join(' / ');
			return `| ${ENGINE_LABELS[engine]} | ${connections} | ${trigger.toFixed(1)} | ${probe.toFixed(1)} | ${(probe / trigger).toFixed(2)}× | ${isolates} |`;
		}),
	);
	return [
		`Filtered events cost C a load of the Verification Key, because the signature is checked before the event type. ` +
			`${TARGET_LABELS[FILTER_PROBE]} filters the same events without loading a key, which is what filtering before the ` +
			'signature check would cost (see SECURITY.md for why the trigger does not do that).',
		'',
		'| engine | clients | C filtered req/s | N filtered req/s | N/C | isolates per request C / N |',
		'| --- | --- | --- | --- | --- | --- |',
		...rows,
	].join('\n');
}

function versions(index: RunIndex): string {
	const rows = index.engines.flatMap((engine) =>
		SCENARIOS.flatMap((scenario) =>
			index.connections.map((connections) => {
				const one = index.rate(engine, 'C', scenario, connections);
				const latest = index.rate(engine, VERSION_PROBE, scenario, connections);
				const isolates = (['C', VERSION_PROBE] as const)
					.map((target) => index.cell(engine, target, scenario, connections))
					.map((cell) => (cell ? (cell.isolates / cell.requests).toFixed(1) : 'n/a'))
					.join(' / ');
				return (
					`| ${ENGINE_LABELS[engine]} | ${scenario} | ${connections} | ${one.toFixed(1)} | ${latest.toFixed(1)} | ${(latest / one).toFixed(2)}× | ` +
					`${index.ratio(engine, VERSION_PROBE, 'B', scenario, connections).toFixed(2)}× | ${isolates} |`
				);
			}),
		),
	);
	return [
		'For a node of version 1, n8n evaluates the expression `$parameter["options"]["binaryData"]` before every request (an option this ' +
			'node does not have); above version 1 it does not, and it reads only JSON, text, form and XML bodies, leaving the rest to the node. ' +
			`${TARGET_LABELS[VERSION_PROBE]} is C in every other respect.`,
		'',
		'| engine | request | clients | C, version 1, req/s | D, version 1.1, req/s | D/C | D/B | isolates per request C / D |',
		'| --- | --- | --- | --- | --- | --- | --- | --- |',
		...rows,
	].join('\n');
}

function twoKeys(index: RunIndex): string {
	const rows = index.engines.flatMap((engine) =>
		(['emitted', 'forged'] as const).flatMap((scenario) =>
			index.connections.map((connections) => {
				const one = index.rate(engine, 'C', scenario, connections);
				const two = index.rate(engine, TWO_KEY_PROBE, scenario, connections);
				return `| ${ENGINE_LABELS[engine]} | ${scenario} | ${connections} | ${one.toFixed(1)} | ${two.toFixed(1)} | ${(two / one).toFixed(2)}× |`;
			}),
		),
	);
	return [
		`${TARGET_LABELS[TWO_KEY_PROBE]}: an emitted delivery verifies only with the second key and a forged one is checked against both, ` +
			'so each costs two HMACs of the body where C, with one key, costs one.',
		'',
		'| engine | request | clients | C, one key, req/s | K, two keys, req/s | K/C |',
		'| --- | --- | --- | --- | --- | --- |',
		...rows,
	].join('\n');
}

function microTable(micro: MicroResult): string {
	const rows = micro.rows.map(
		(row) =>
			`| ${row.deal} (${row.bytes.toLocaleString('en-US')} bytes) | ${row.floorUs.toFixed(1)} | ${row.pipelineUs.toFixed(1)} | ${row.credentialUs.toFixed(1)} | ${row.webhookUs.toFixed(1)} | ${(row.webhookUs / row.floorUs).toFixed(2)}× | ${(row.pipelineUs / row.floorUs).toFixed(2)}× |`,
	);
	return [
		'| deal | floor µs (HMAC + JSON.parse) | delivery pipeline µs (node code, key at hand) | getCredentials() µs (n8n-core) | webhook() in WebhookContext µs | webhook()/floor | pipeline/floor |',
		'| --- | --- | --- | --- | --- | --- | --- |',
		...rows,
	].join('\n');
}

/** The checkout a bench ran from: its commit, and whether files differed from it. */
export interface BenchSource {
	commit: string;
	changed: boolean;
}

export function benchmarksMarkdown(
	run: BenchRun,
	micro: MicroResult,
	settings: { rounds: number; cellSeconds: number },
	source: BenchSource,
): string {
	const index = new RunIndex(run);
	const cpu = cpus();
	const minutes = ((run.finishedAt.getTime() - run.startedAt.getTime()) / 60_000).toFixed(0);
	return `# Benchmarks

How fast the RevOps Trigger answers RevOps inside n8n, which n8n settings make it faster, and what
they cost. Written by \`npm run bench\` (tools/bench/) on ${run.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, in ${minutes} minutes, at commit ${source.commit}${source.changed ? ' with uncommitted changes' : ''}; every word and figure here comes from that run and tools/bench/, not from an edit by hand.
Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, shared with other jobs while it ran.
Versions: n8n 2.41.1 on Node 24.21.0 (SQLite, regular mode, executions saved), n8n-nodes-revops ${version('..')}, autocannon ${version('autocannon')}, n8n-core ${version('n8n-core')}; load generator and microbenchmark on Node ${process.versions.node}.

## What to set for speed

Requests per second at 1 client, node version 1.1 (the default for new workflows), from this run; a
*signed event* is a correctly signed \`deal-signed\` the workflow selected, and every request is checked
as described in [How it was measured](#how-it-was-measured):

${speedTable(index)}

${included('what-to-set.md')}

## How it was measured

${targetLegend()}

One n8n process per expression-engine setting holds A, B, C, D, K and N; F is a separate process on the same Node.
Each request kind goes to every target in turn, in short cells (about ${settings.cellSeconds} s each, ${settings.rounds} rounds, order rotated every round),
so a noisy neighbour hits all targets alike: **compare ratios within one engine setting**; absolute rates move with the machine's load.
The same signed RevOps fixtures go to every target: *emitted* is a signed \`deal-signed\` (the selected type), *filtered* a signed
\`account-updated\` (not selected), *forged* a \`deal-signed\` with a wrong signature. B checks nothing and runs every request.
Every answer is checked (status and body) and every execution counted through n8n's API; a cell's time runs until the
executions it started have finished, so work n8n does after answering is not free. p50/p99 are answer latencies over all rounds.
*Isolates per request* is n8n's own count of expression isolates acquired (\`n8n_expression_pool_acquired_total\` on its
\`/metrics\`, read before and after each cell): on the \`vm\` engine each one is a V8 isolate built; the legacy engine has none.

## Results

![RevOps Trigger throughput relative to the DIY workflow and to Webhook → No-Op](benchmarks.svg)

${index.engines.map((engine) => engineTable(index, engine)).join('\n\n')}

Executions are *counted/requests*. C/A above 1 means the RevOps Trigger is faster than the DIY workflow.

## Filtering before or after the signature check

${filterProbe(index)}

## Node version 1.1 against version 1

${versions(index)}

## Two Verification Keys against one

${twoKeys(index)}

## The node's own cost, inside n8n-core

\`webhook()\` run in n8n-core ${version('n8n-core')}'s \`WebhookContext\` on a real n8n-workflow \`Workflow\`, with the credential
stored encrypted and decrypted by n8n-core's \`Credentials\` (tools/n8n-core/webhook.ts), for the 4 KB \`deal-signed\`
fixture and the same deal grown to 2 MB. Median of interleaved batches, Node ${micro.node}.

${microTable(micro)}
`;
}
