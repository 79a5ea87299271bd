import {
	eventBlockOf,
	eventTimeOf,
	readDelivery,
	readEnvelope,
	unwrapBody,
} from '../../nodes/RevOpsTrigger/envelope';
import { fixtureBytes } from '../support/fixtures';
import { refusal } from '../support/refusal';

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

describe('readDelivery', () => {
	it('reads a bracketed query as it was parsed, without decoding the query string', () => {
		const envelope = readDelivery({
			kind: 'query',
			bytes: Buffer.from([0xff]),
			envelope: { event: { type: 'account-created', time: '1715703605' }, account: {} },
		});
		expect([envelope.eventType, envelope.eventTime]).toEqual([
			'account-created',
			'2024-05-14T16:20:05.000Z',
		]);
	});

	it('decodes a body as UTF-8 JSON before reading the envelope', async () => {
		expect(
			await refusal(() => readDelivery({ kind: 'json', bytes: Buffer.from([0x7b, 0xff, 0x7d]) })),
		).toEqual({ status: 400, message: 'The body is not valid UTF-8' });
		expect(readDelivery({ kind: 'json', bytes: fixtureBytes('deal-signed') }).eventType).toBe(
			'deal-signed',
		);
	});
});

describe('readEnvelope', () => {
	it.each([
		['Unix seconds', 1715703605, '2024-05-14T16:20:05.000Z'],
		['Unix milliseconds as text', '1715703605123', '2024-05-14T16:20:05.123Z'],
		['no time', undefined, null],
		['a time it cannot read', 'yesterday', null],
	])('decides the event time from %s, without refusing', (_label, time, eventTime) => {
		expect(readEnvelope({ event: { type: 'deal-signed', time }, deal: {} }).eventTime).toBe(
			eventTime,
		);
	});

	it('refuses an event block of the wrong kind', async () => {
		expect(await refusal(() => readEnvelope({ event: 7, deal: {} }))).toEqual({
			status: 400,
			message: '"event" must be an object, or an event type such as "deal-signed"',
		});
	});

	it('names the event from the given type, or infers it from the status', () => {
		expect(readEnvelope({ event: 'deal-created', deal: { status: 'signed' } })).toMatchObject({
			eventType: 'deal-created',
			eventTypeInferred: false,
		});
		expect(readEnvelope({ event: {}, deal: { status: 'signed' } })).toMatchObject({
			eventType: 'deal-signed',
			eventTypeInferred: true,
		});
	});
});
