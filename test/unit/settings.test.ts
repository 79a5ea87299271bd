import fc from 'fast-check';

import { ALL_EVENTS, REVOPS_EVENTS } from '../../nodes/RevOpsTrigger/events';
import { parseIpAllowlist } from '../../nodes/RevOpsTrigger/ip-allowlist';
import {
	checkSettings,
	UnresolvedParameter,
	type NodeParameters,
} from '../../nodes/RevOpsTrigger/settings';

const EVENT_TYPES = [ALL_EVENTS, ...REVOPS_EVENTS.map((event) => event.type)];
const usable: NodeParameters = {
	events: ['deal-signed'],
	authentication: 'verificationKey',
	acknowledge: 'whenReceived',
	options: {},
};

/** The setting the check names for these parameters, or 'usable'. */
function verdict(parameters: Partial<NodeParameters>): string {
	const checked = checkSettings({ ...usable, ...parameters });
	return checked.ok ? 'usable' : checked.problem.setting;
}

describe('checkSettings', () => {
	it('passes usable settings through, typed, with absent options left out', () => {
		expect(checkSettings(usable)).toEqual({
			ok: true,
			settings: { events: ['deal-signed'], authentication: 'verificationKey' },
		});
		expect(
			checkSettings({
				events: ['*', 'account-created'],
				authentication: 'none',
				options: { ipAllowlist: '203.0.113.0/24', maxEventAgeMinutes: 0 },
			}),
		).toEqual({
			ok: true,
			settings: {
				events: ['*', 'account-created'],
				authentication: 'none',
				ipAllowlist: parseIpAllowlist('203.0.113.0/24'),
				maxEventAgeMinutes: 0,
			},
		});
	});

	it('accepts every non-empty list of catalogued event types, and All Events', () => {
		fc.assert(
			fc.property(
				fc.array(fc.constantFrom(...EVENT_TYPES), { minLength: 1, maxLength: 10 }),
				(events) => verdict({ events }) === 'usable',
			),
		);
	});

	it('refuses a Trigger On that is not a non-empty list of catalogued types, never matching part of a name', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string(),
					fc.integer(),
					fc.constant([]),
					fc.constant(null),
					fc.object(),
					// A list holding at least one value that is not a whole catalogued name.
					fc
						.tuple(
							fc.array(fc.constantFrom(...EVENT_TYPES)),
							fc.oneof(
								fc.string().filter((text) => !EVENT_TYPES.includes(text)),
								fc.integer(),
								fc.constant(null),
							),
						)
						.map(([known, odd]) => [...known, odd]),
				),
				(events) => verdict({ events }) === 'Trigger On',
			),
		);
		for (const part of ['deal', 'signed', 'deal-', ' deal-signed', 'Deal-Signed', 'All Events'])
			expect([part, verdict({ events: [part] })]).toEqual([part, 'Trigger On']);
		// An entry that is undefined (a sparse list, or an expression's [undefined]) is unknown too.
		expect(verdict({ events: ['deal-signed', undefined] })).toBe('Trigger On');
	});

	it.each([
		['a whole number', 30, 'usable'],
		['0, which turns the check off', 0, 'usable'],
		['absent', undefined, 'usable'],
		['negative', -1, 'Reject Events Older Than (Minutes)'],
		['a fraction', 0.5, 'Reject Events Older Than (Minutes)'],
		['not a number', Number.NaN, 'Reject Events Older Than (Minutes)'],
		['infinite', Number.POSITIVE_INFINITY, 'Reject Events Older Than (Minutes)'],
		['text holding a number', '30', 'Reject Events Older Than (Minutes)'],
		['null', null, 'Reject Events Older Than (Minutes)'],
		['true', true, 'Reject Events Older Than (Minutes)'],
	])('reads a maximum age that is %s as %s', (_label, maxEventAgeMinutes, expected) => {
		expect(verdict({ options: { maxEventAgeMinutes } })).toBe(expected);
	});

	it.each([
		['addresses and ranges', '203.0.113.7, 198.51.100.0/24, 2001:db8::/32', 'usable'],
		['empty', '', 'usable'],
		['only separators', ' , ,', 'usable'],
		['absent', undefined, 'usable'],
		['a word among addresses', '203.0.113.7, office', 'IP(s) Allowlist'],
		['a number', 127, 'IP(s) Allowlist'],
		['a list', ['203.0.113.7'], 'IP(s) Allowlist'],
		['null', null, 'IP(s) Allowlist'],
	])('reads an allowlist that is %s as %s', (_label, ipAllowlist, expected) => {
		expect(verdict({ options: { ipAllowlist } })).toBe(expected);
	});

	it.each([
		['verificationKey', 'usable'],
		['none', 'usable'],
		['None', 'Authentication'],
		['', 'Authentication'],
		[undefined, 'Authentication'],
		[0, 'Authentication'],
	])('reads Authentication %p as %s', (authentication, expected) => {
		expect(verdict({ authentication })).toBe(expected);
	});

	it.each([
		['whenReceived', 'usable'],
		['whenWorkflowSucceeds', 'usable'],
		[undefined, 'usable'],
		['lastNode', 'Acknowledge'],
		[null, 'Acknowledge'],
	])('reads Acknowledge %p as %s', (acknowledge, expected) => {
		expect(verdict({ acknowledge })).toBe(expected);
	});

	it('refuses Options that are not a collection, and takes absent Options as none set', () => {
		expect(verdict({ options: 'none' })).toBe('Options');
		expect(verdict({ options: ['ipAllowlist'] })).toBe('Options');
		expect(verdict({ options: undefined })).toBe('usable');
	});

	it('names a parameter whose expression n8n could not resolve, with a one-line reason of bounded length', () => {
		const checked = checkSettings({
			...usable,
			events: new UnresolvedParameter(`Referenced node doesn't exist\n${'x'.repeat(500)}`),
		});
		expect(checked.ok).toBe(false);
		if (checked.ok) return;
		expect(checked.problem.setting).toBe('Trigger On');
		expect(checked.problem.problem).toContain(
			"'Trigger On' is a value n8n could not resolve (Referenced node doesn't exist",
		);
		expect(checked.problem.problem.length).toBeLessThan(300);
		expect(checked.problem.problem).not.toContain('\n');
	});

	it('quotes at most 60 characters of a value it refuses', () => {
		const checked = checkSettings({ ...usable, events: ['x'.repeat(10_000)] });
		expect(!checked.ok && checked.problem.problem.length).toBeLessThan(200);
	});
});
