import { readFileSync } from 'fs';

import { README_PATH, readmeWithTable } from '../../tools/docs/events-table';

describe('README', () => {
	it('shows the event table generated from the catalogue (run `npm run docs:events` after changing events.ts)', () => {
		const readme = readFileSync(README_PATH, 'utf8');
		expect(readmeWithTable(readme)).toBe(readme);
	});
});
