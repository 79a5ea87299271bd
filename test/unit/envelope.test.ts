import { eventBlockOf, eventTimeOf, unwrapBody } from '../../nodes/RevOpsTrigger/envelope';

describe('unwrapBody', () => {
	it('removes the body wrapper only when the top level has no envelope key', () => {
		const inner = { event: { type: 'deal-signed' }, deal: {} };
		expect(unwrapBody({ body: inner })).toBe(inner);
		const withEvent = { event: 'deal-signed', body: inner };
		expect(unwrapBody(withEvent)).toBe(withEvent);
		const bodyNotAnObject = { body: 'text' };
		expect(unwrapBody(bodyNotAnObject)).toBe(bodyNotAnObject);
	});
});

describe('eventBlockOf', () => {
	it.each([
		['an object, as sent', { id: 'e', type: 'deal-signed' }, { id: 'e', type: 'deal-signed' }],
		['a bare type', 'deal-signed', { type: 'deal-signed' }],
		['nothing', undefined, {}],
		['null', null, {}],
		['a number', 7, undefined],
		['a list', ['deal-signed'], undefined],
	])('reads %s', (_label, event, block) => {
		expect(eventBlockOf(event)).toEqual(block);
	});
});

describe('eventTimeOf', () => {
	it.each([
		[1715703605, '2024-05-14T16:20:05.000Z'],
		['1715703605', '2024-05-14T16:20:05.000Z'],
		[1715703605123, '2024-05-14T16:20:05.123Z'],
		['1715703605123', '2024-05-14T16:20:05.123Z'],
		[0, '1970-01-01T00:00:00.000Z'],
	])('reads %p as %s', (time, iso) => {
		expect(eventTimeOf(time)).toBe(iso);
	});

	// The last: 16 digits of seconds lie past the largest date JavaScript has.
	it.each([
		undefined,
		null,
		'',
		'yesterday',
		'2024-05-14T16:20:05Z',
		-5,
		1715703605.5,
		true,
		{},
		'9999999999999999',
	])('gives null for %p', (time) => {
		expect(eventTimeOf(time)).toBeNull();
	});
});
