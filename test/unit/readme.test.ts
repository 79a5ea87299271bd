import { existsSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

import { README_PATH, readmeWithTable } from '../../tools/docs/events-table';
import { RevOpsWebhookApi } from '../../credentials/RevOpsWebhookApi.credentials';
import { expectedItem } from '../support/expected-items';

const REPO_ROOT = dirname(README_PATH);
const readme = readFileSync(README_PATH, 'utf8');

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
});
