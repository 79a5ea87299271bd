/**
 * The README's event table, generated from the event catalogue so the two cannot drift.
 * `npm run docs:events` rewrites the table between its markers; a unit test fails when the
 * README is out of date.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { ALL_EVENTS, REVOPS_EVENTS } from '../../nodes/RevOpsTrigger/events';

export const README_PATH = join(__dirname, '..', '..', 'README.md');
const START = '<!-- events:start -->';
const END = '<!-- events:end -->';

export function eventsTable(): string {
	const rows = REVOPS_EVENTS.map(
		(event) =>
			`| ${event.label} | \`${event.type}\` | \`${event.object}\` | ${event.description} |`,
	);
	return [
		'| Option | Event type | Object | Fires when |',
		'| --- | --- | --- | --- |',
		...rows,
		`| All Events | \`${ALL_EVENTS}\` | either | Every event, including types RevOps adds later |`,
	].join('\n');
}

export function readmeWithTable(readme: string): string {
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} markers`);
	return `${readme.slice(0, start + START.length)}\n${eventsTable()}\n${readme.slice(end)}`;
}

if (require.main === module) {
	writeFileSync(README_PATH, readmeWithTable(readFileSync(README_PATH, 'utf8')));
}
