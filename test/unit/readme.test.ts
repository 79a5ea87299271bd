import { existsSync, readdirSync, readFileSync } from 'fs';
import { basename, dirname, join, relative, resolve } from 'path';

import { README_PATH, readmeWithTable } from '../../tools/docs/events-table';
import { RevOpsWebhookApi } from '../../credentials/RevOpsWebhookApi.credentials';
import { readEnvelope } from '../../nodes/RevOpsTrigger/envelope';
import { REVOPS_EVENTS } from '../../nodes/RevOpsTrigger/events';
import { MAX_LISTED_WARNINGS, MAX_SUMMARY_ENTRIES } from '../../nodes/RevOpsTrigger/item';
import { minorUnitDigits } from '../../nodes/RevOpsTrigger/money';
import {
	MAX_PARSED_REFUSED_BYTES,
	REJECTION_LOG_BURST,
	REJECTION_LOG_WINDOW_MS,
} from '../../nodes/RevOpsTrigger/rejection-log';
import { DeliveryRejection, VERIFICATION_KEY_FIELDS } from '../../nodes/RevOpsTrigger/verify';
import { N8N_VERSIONS } from '../../tools/n8n/install';
import { PROXY_READ_TIMEOUT_S } from '../../tools/n8n/nginx';
import { expectedItem } from '../support/expected-items';

const REPO_ROOT = dirname(README_PATH);
const readme = readFileSync(README_PATH, 'utf8');
const security = readFileSync(join(REPO_ROOT, 'SECURITY.md'), 'utf8');
const benchmarks = readFileSync(join(REPO_ROOT, 'docs', 'benchmarks.md'), 'utf8');
const reliability = readFileSync(join(REPO_ROOT, 'docs', 'reliability.md'), 'utf8');

const NUMBER_WORDS = [
	'one',
	'two',
	'three',
	'four',
	'five',
	'six',
	'seven',
	'eight',
	'nine',
	'ten',
];

/** Every number the pattern's group matches in the text (thousands separators removed); at least one. */
function quotedIn(text: string, pattern: RegExp): number[] {
	const numbers = [...text.matchAll(pattern)].map((match) => {
		const word = NUMBER_WORDS.indexOf(match[1].toLowerCase());
		return word >= 0 ? word + 1 : Number(match[1].replace(/,/g, ''));
	});
	expect(numbers.length).toBeGreaterThan(0);
	return numbers;
}

/** The rows of the first markdown table after `marker`, as cells. */
function tableAfter(markdown: string, marker: string): string[][] {
	const start = markdown.indexOf(marker);
	expect(start).toBeGreaterThanOrEqual(0);
	const table = markdown.slice(markdown.indexOf('\n|', start) + 1).split('\n\n')[0];
	return table
		.split('\n')
		.slice(2)
		.map((row) => row.split('|').map((cell) => cell.trim()));
}

/** The pages users read, with the links between them. */
const PAGES = [
	'README.md',
	'CONTRIBUTING.md',
	'CHANGELOG.md',
	'SECURITY.md',
	'docs/reliability.md',
	'docs/benchmarks.md',
	'docs/revops-webhooks.md',
	'docs/output-schema.md',
	'examples/README.md',
	'tools/n8n/README.md',
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchor(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
	return new Set(
		[...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchor(match[1].replace(/`/g, ''))),
	);
}

/** `[text](target)` and `<img src="target">` links that are neither web addresses nor mail. */
function localLinks(markdown: string): string[] {
	const targets = [
		...[...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]),
		...[...markdown.matchAll(/<img src="([^"]+)"/g)].map((match) => match[1]),
	];
	return targets.filter((target) => !/^[a-z]+:/i.test(target));
}

/**
 * Paths from the repository's root named in the text, such as `tools/n8n/process.ts` or
 * `test/e2e/example-*.e2e.test.ts` (dist/ is built, so not named here).
 */
function repositoryPaths(markdown: string): string[] {
	return [
		...markdown.matchAll(
			/(?<![\w./-])(?:nodes|credentials|test|tools|docs|examples)\/[\w./*-]*[\w*]/g,
		),
	].map((match) => match[0]);
}

/** Whether a path, or a file name pattern with `*` in its last part, names something here. */
function existsInRepository(named: string): boolean {
	const path = join(REPO_ROOT, named);
	if (!named.includes('*')) return existsSync(path);
	const pattern = new RegExp(`^${basename(named).replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
	return existsSync(dirname(path)) && readdirSync(dirname(path)).some((name) => pattern.test(name));
}

/** The field names in the first column of the README's item table. */
function itemTableFields(markdown: string): string[] {
	const start = markdown.indexOf('| Field | Type | Meaning |');
	if (start < 0) throw new Error('README.md has no item table (| Field | Type | Meaning |)');
	const table = markdown.slice(start).split('\n\n')[0];
	return table
		.split('\n')
		.slice(2)
		.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

describe('README', () => {
	it('shows the event table generated from the catalogue (run `npm run docs:events` after changing events.ts)', () => {
		expect(readmeWithTable(readme)).toBe(readme);
	});

	it('lists every field of the item in its item table, and no field the item lacks', () => {
		const actual = new Set([
			...Object.keys(expectedItem('deal-signed', true)),
			...Object.keys(expectedItem('account-updated', true)),
		]);
		expect([...new Set(itemTableFields(readme))].sort()).toEqual([...actual].sort());
	});

	it("has the section the credential's and the node's documentation links open", () => {
		const codex = JSON.parse(
			readFileSync(join(REPO_ROOT, 'nodes/RevOpsTrigger/RevOpsTrigger.node.json'), 'utf8'),
		) as { resources: Record<string, Array<{ url: string }>> };
		const urls = [
			new RevOpsWebhookApi().documentationUrl,
			...Object.values(codex.resources).flatMap((list) => list.map((entry) => entry.url)),
		];
		for (const url of urls) {
			const fragment = new URL(url).hash.slice(1);
			if (fragment !== '' && fragment !== 'readme') expect(anchorsOf(readme)).toContain(fragment);
		}
	});
});

describe.each(PAGES)('%s', (page) => {
	const path = join(REPO_ROOT, page);
	const markdown = readFileSync(path, 'utf8');

	it('links only to files inside the repository that exist, and to headings that exist', () => {
		for (const link of localLinks(markdown)) {
			const [file, fragment] = link.split('#');
			const target = file === '' ? path : resolve(dirname(path), file);
			expect({ link, inside: !relative(REPO_ROOT, target).startsWith('..') }).toEqual({
				link,
				inside: true,
			});
			expect({ link, exists: existsSync(target) }).toEqual({ link, exists: true });
			if (fragment !== undefined && target.endsWith('.md'))
				expect(anchorsOf(readFileSync(target, 'utf8'))).toContain(fragment);
		}
	});

	it('names only paths that exist in the repository', () => {
		const missing = repositoryPaths(markdown).filter((named) => !existsInRepository(named));
		expect(missing).toEqual([]);
	});
});

describe("the README's figures", () => {
	const quoted = (pattern: RegExp) => quotedIn(readme, pattern);

	it('are the limits in the code: warnings listed, summary entries, keys and refusal log lines', () => {
		expect(quoted(/At most (\d+) lines are listed/g)).toEqual([MAX_LISTED_WARNINGS]);
		expect(quoted(/lines are listed; a (\d+)(?:st|nd|rd|th) counts the rest/g)).toEqual([
			MAX_LISTED_WARNINGS + 1,
		]);
		expect(quoted(/[Tt]he first ([\d,]+)(?: names)?, with a warning if there are more/g)).toEqual([
			MAX_SUMMARY_ENTRIES,
			MAX_SUMMARY_ENTRIES,
		]);
		expect(quoted(/\*\*Verification Key 2\*\* to \*\*(\d+)\*\*/g)).toEqual([
			VERIFICATION_KEY_FIELDS.length,
		]);
		expect(quoted(/`verifiedWithKey` \(1 to (\d+)\)/g)).toEqual([VERIFICATION_KEY_FIELDS.length]);
		expect(quoted(/`2` to `(\d+)` for the others/g)).toEqual([VERIFICATION_KEY_FIELDS.length]);
		expect(REJECTION_LOG_WINDOW_MS).toBe(60_000);
		expect(quoted(/(\d+)(?: lines)? per trigger\s+and\s+minute/g)).toEqual([
			REJECTION_LOG_BURST,
			REJECTION_LOG_BURST,
		]);
	});

	it('count the event catalogue and give the example nginx timeout', () => {
		const counts = [...readme.matchAll(/\b(\w+) event types\b/g)]
			.map((match) => NUMBER_WORDS.indexOf(match[1].toLowerCase()) + 1)
			.filter((count) => count > 0);
		expect(counts.length).toBeGreaterThan(0);
		expect(new Set(counts)).toEqual(new Set([REVOPS_EVENTS.length]));
		// The node panel lists one trigger per event type and *On all events*.
		expect(quoted(/with its (\w+) triggers from On all events/g)).toEqual([
			REVOPS_EVENTS.length + 1,
		]);
		expect(quoted(/`proxy_read_timeout` \((\d+) s in the/g)).toEqual([PROXY_READ_TIMEOUT_S]);
	});

	it('give the minor-unit digits of the currencies they name', () => {
		const named = [...readme.matchAll(/minor-unit digits \(([^)]+)\)/g)].flatMap((match) =>
			match[1].split(', ').map((pair) => pair.split(' ')),
		);
		expect(named.length).toBeGreaterThan(0);
		for (const [code, digits] of named)
			expect([code, minorUnitDigits(code)]).toEqual([code, Number(digits)]);
	});

	it('give the n8n versions and the Node.js floor the tests and package.json use', () => {
		const compatibility = tableAfter(readme, '## Compatibility');
		const tested = compatibility.find((row) => row[1] === 'n8n')?.[2] ?? '';
		expect([...tested.matchAll(/\b(\d+\.\d+\.\d+)\b/g)].map((match) => match[1])).toEqual(
			N8N_VERSIONS,
		);
		const engines = (
			JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
				engines: { node: string };
			}
		).engines.node;
		expect(readme).toContain(`Node.js ${engines.replace('>=', '')} or newer`);
	});

	it("give the node's own cost on a 4 KB deal as docs/benchmarks.md measured it", () => {
		const [limitMs] = quoted(/own work on a 4 KB deal takes under ([\d.]+) ms/g);
		const fourKb = tableAfter(benchmarks, "## The node's own cost").find((row) =>
			row[1].startsWith('4 KB'),
		);
		// Column 4: the delivery pipeline, the node's code with the key at hand, in µs.
		expect(Number(fourKb?.[3])).toBeLessThan(limitMs * 1000);
	});

	it("give the 404s while n8n starts again as docs/reliability.md's crash test has them", () => {
		const [answered404, events] = [
			...readme.matchAll(/\((\d+) of (\d+) in \[the crash test\]/g),
		].map((match) => [Number(match[1]), Number(match[2])])[0];
		const crashTest = reliability.slice(reliability.indexOf('### n8n killed mid-stream'));
		expect(crashTest).toContain(`${events} signed events`);
		expect(crashTest).toContain(`(${answered404} answered \`404\` while n8n started again`);
	});

	it("give the 1.x event lost with When Received as docs/reliability.md's matrix has it", () => {
		const [lost, events] = [...readme.matchAll(/\((\d+) of (\d+) in the tests\)/g)].map((match) => [
			Number(match[1]),
			Number(match[2]),
		])[0];
		const row = tableAfter(reliability, '**n8n 1.123.81**, the same matrix').find(
			(cells) => cells[1] === 'When Received' && cells[2].startsWith('webhook process'),
		);
		expect(Number(row?.[8].replace(/\*/g, ''))).toBe(lost);
		expect(row?.[3]).toMatch(new RegExp(`^${events} × \`200\``));
	});

	it('give the nesting a delivery may have: exactly that deep is read, one level more is refused with 400', () => {
		const [levels] = quoted(/nested deeper than (\d+) levels/g);
		// `levels` objects, one inside the other, the outermost being the envelope.
		const nested = (depth: number): unknown => {
			let value: Record<string, unknown> = {};
			for (let level = 2; level < depth; level += 1) value = { inner: value };
			return { event: { type: 'deal-updated' }, deal: value };
		};
		expect(readEnvelope(nested(levels)).objectType).toBe('deal');
		let refusal: unknown;
		try {
			readEnvelope(nested(levels + 1));
		} catch (error) {
			refusal = error;
		}
		expect(refusal).toBeInstanceOf(DeliveryRejection);
		expect((refusal as DeliveryRejection).status).toBe(400);
	});
});

describe("SECURITY.md's figures", () => {
	it('are the limits in the code: keys, the refused body it parses, the event types', () => {
		expect(quotedIn(security, /holding up to (\d+) Verification Keys/g)).toEqual([
			VERIFICATION_KEY_FIELDS.length,
		]);
		expect(quotedIn(security, /only when the body is at most (\d+) KiB/g)).toEqual([
			MAX_PARSED_REFUSED_BYTES / 1024,
		]);
		expect(quotedIn(security, /one of the (\w+) documented ones/g)).toEqual([REVOPS_EVENTS.length]);
	});

	it('are the N/C ratios of the filter table in docs/benchmarks.md, engine by engine (1 client, then 8)', () => {
		const start = benchmarks.indexOf(
			'| engine | clients | C filtered req/s | N filtered req/s | N/C |',
		);
		expect(start).toBeGreaterThan(0);
		// Column 5 of each row after the header and its rule: the engines in the page's order.
		const measured = benchmarks
			.slice(start)
			.split('\n\n')[0]
			.split('\n')
			.slice(2)
			.map((row) => row.split('|')[5].trim());
		const paragraph = security.slice(security.indexOf('- **What it would save.**'));
		const cited = [...paragraph.matchAll(/(\d+\.\d+×)/g)].map((match) => match[1]).slice(0, 6);
		expect(cited).toEqual(measured);
	});
});
