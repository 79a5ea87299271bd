import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

import { ALL_EVENTS, REVOPS_EVENTS } from '../../nodes/RevOpsTrigger/events';
import { FIXTURE_DIR } from '../support/fixtures';

describe('the event catalogue', () => {
	it('names each event type, option label and description once', () => {
		for (const field of ['type', 'label', 'description'] as const) {
			const values = REVOPS_EVENTS.map((event) => event[field]);
			expect([field, new Set(values).size]).toEqual([field, values.length]);
		}
		expect(REVOPS_EVENTS.map((event) => event.type)).not.toContain(ALL_EVENTS);
	});

	it("gives each event the object its type names, as RevOps' types are <object>-<change>", () => {
		for (const event of REVOPS_EVENTS)
			expect([event.type, event.type.split('-')[0]]).toEqual([event.type, event.object]);
	});

	it("has a sample delivery of RevOps' for each event, carrying that type and its object", () => {
		for (const event of REVOPS_EVENTS) {
			const sample = join(FIXTURE_DIR, `${event.type}.json`);
			expect([event.type, existsSync(sample)]).toEqual([event.type, true]);
			const delivery = JSON.parse(readFileSync(sample, 'utf8')) as Record<string, unknown> & {
				event: { type: string };
			};
			expect([event.type, delivery.event.type, typeof delivery[event.object]]).toEqual([
				event.type,
				event.type,
				'object',
			]);
		}
	});
});
