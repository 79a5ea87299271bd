import { jsonBytes } from '../support/fixtures';
import { deliver, emittedItem, postRequest } from '../support/requests';

const dealSigned = (
	deal: unknown,
	event: unknown = { id: 'e-1', type: 'deal-signed', time: 1715703605 },
) => jsonBytes({ event, deal });

/** What makes a delivery unusable, with the exact 400 message a sender gets back. Nothing else is refused. */
const UNUSABLE: Array<[string, Buffer, string]> = [
	[
		'an empty body',
		Buffer.alloc(0),
		'The request body is empty: RevOps sends the event as a JSON body',
	],
	[
		'malformed JSON',
		Buffer.from('{"event": {'),
		'The body is not valid JSON: RevOps sends one JSON object per delivery',
	],
	[
		'JSON with a trailing comma',
		Buffer.from('{"deal": {},}'),
		'The body is not valid JSON: RevOps sends one JSON object per delivery',
	],
	[
		'invalid UTF-8',
		Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
		'The body is not valid UTF-8',
	],
	[
		'a JSON array',
		jsonBytes([{ deal: {} }]),
		'The delivery must be a JSON object with an "event" and a "deal" or "account"',
	],
	[
		'a JSON string',
		jsonBytes('deal-signed'),
		'The delivery must be a JSON object with an "event" and a "deal" or "account"',
	],
	[
		'JSON null',
		Buffer.from('null'),
		'The delivery must be a JSON object with an "event" and a "deal" or "account"',
	],
	[
		'an object with neither deal nor account',
		jsonBytes({ event: { type: 'deal-signed' } }),
		'The delivery has neither a "deal" nor an "account" object',
	],
	['an empty object', jsonBytes({}), 'The delivery has neither a "deal" nor an "account" object'],
	[
		'a body wrapper around nothing useful',
		jsonBytes({ body: { hello: 1 } }),
		'The delivery has neither a "deal" nor an "account" object',
	],
	['a deal that is a string', dealSigned('d-1'), '"deal" must be an object'],
	['a deal that is a list', dealSigned([{ id: 'd-1' }]), '"deal" must be an object'],
	['a deal that is null', dealSigned(null), '"deal" must be an object'],
	['an account that is a number', jsonBytes({ account: 7 }), '"account" must be an object'],
	[
		'an event that is a number',
		jsonBytes({ event: 7, deal: {} }),
		'"event" must be an object, or an event type such as "deal-signed"',
	],
	[
		'an event that is a list',
		jsonBytes({ event: ['deal-signed'], deal: {} }),
		'"event" must be an object, or an event type such as "deal-signed"',
	],
	[
		'a deal event about an account',
		jsonBytes({ event: { type: 'deal-signed' }, account: {} }),
		'A "deal-signed" event needs a "deal" object',
	],
	[
		'deeply nested JSON',
		Buffer.from(`{"deal":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`),
		'The delivery nests objects deeper than 64 levels',
	],
];

describe('unusable deliveries', () => {
	it.each(UNUSABLE)('answers 400 to %s, naming what is wrong', async (_label, body, message) => {
		expect(await deliver(postRequest(body))).toEqual({ kind: 'reject', status: 400, message });
	});
});

/**
 * Deliveries this trigger refused before it read summaries leniently: each is emitted now,
 * with the summary it could not read null or empty and a warning naming the field.
 */
const LENIENT: Array<[string, Buffer, Record<string, unknown>, string[]]> = [
	[
		"an event that is a bare string (RevOps' curl example)",
		jsonBytes({ deal: { id: 'd' }, event: 'deal-created' }),
		{ eventType: 'deal-created', event: { type: 'deal-created' } },
		[],
	],
	[
		'a numeric event.type',
		dealSigned({ status: 'signed' }, { type: 7 }),
		{ eventType: 'deal-signed', eventTypeInferred: true },
		[
			'event.type: expected an event type such as "deal-signed", got a number; inferred from the status',
		],
	],
	[
		'an empty event.type',
		dealSigned({}, { type: '' }),
		{ eventType: 'deal-updated', eventTypeInferred: true },
		[],
	],
	[
		'an event.type that is an object',
		dealSigned({}, { type: { name: 'deal-signed' } }),
		{ eventType: 'deal-updated' },
		[
			'event.type: expected an event type such as "deal-signed", got an object; inferred from the status',
		],
	],
	[
		// Only the seven catalogued types need their own object (the 400 row of the README).
		'a deal-* type RevOps may add later, with an account and no deal',
		jsonBytes({ event: { type: 'deal-archived' }, account: { account_id: 'a' } }),
		{ objectType: 'account', eventType: 'deal-archived', accountId: 'a' },
		[],
	],
	[
		'both objects and an unknown type',
		jsonBytes({ event: { type: 'x' }, deal: {}, account: {} }),
		{ objectType: 'deal', eventType: 'x' },
		[
			'The delivery has both a "deal" and an "account" and no known "event.type"; read as a deal event',
		],
	],
	[
		'a numeric event.hash',
		dealSigned({}, { hash: 42, type: 'deal-signed' }),
		{ eventType: 'deal-signed' },
		[],
	],
	[
		'an event.time in words',
		dealSigned({}, { type: 'deal-signed', time: 'yesterday' }),
		{ eventTime: null },
		['event.time: expected Unix seconds or milliseconds, got text in another format'],
	],
	[
		'a negative event.time',
		dealSigned({}, { type: 'deal-signed', time: -5 }),
		{ eventTime: null },
		['event.time: expected Unix seconds or milliseconds, got a number'],
	],
	[
		'an event.time past the calendar',
		dealSigned({}, { type: 'deal-signed', time: '9999999999999999' }),
		{ eventTime: null },
		['event.time: expected Unix seconds or milliseconds, got text in another format'],
	],
	['a numeric deal.status', dealSigned({ status: 3 }), { dealStatus: '3' }, []],
	['a numeric deal.id', dealSigned({ id: 3 }), { dealId: '3' }, []],
	[
		'an object deal.id',
		dealSigned({ id: { uuid: 'x' } }),
		{ dealId: null },
		['deal.id: expected text, got an object'],
	],
	[
		'a customer that is a string',
		dealSigned({ customer: 'Acme' }),
		{ customerName: null },
		['deal.customer: expected an object, got text in another format'],
	],
	[
		'feature_flags that is an object',
		dealSigned({ feature_flags: { sso: true } }),
		{ enabledFeatureFlags: [] },
		['deal.feature_flags: expected a list, got an object'],
	],
	[
		'feature_flags holding strings',
		dealSigned({ feature_flags: ['sso', { name: 'b', enabled: true }] }),
		{ enabledFeatureFlags: ['b'] },
		['deal.feature_flags[0]: expected an object, got text in another format'],
	],
	[
		'a feature flag with a numeric name',
		dealSigned({ feature_flags: [{ name: 'a' }, { name: 1, enabled: true }] }),
		{ enabledFeatureFlags: ['1'] },
		[],
	],
	[
		'a feature flag enabled with "yes"',
		dealSigned({ feature_flags: [{ name: 'a', enabled: 'yes' }] }),
		{ enabledFeatureFlags: [] },
		[
			'deal.feature_flags[0].enabled: expected true or false, got text in another format; read as off',
		],
	],
	[
		'terms holding null',
		dealSigned({ terms: [null] }),
		{ terms: {} },
		['deal.terms[0]: expected an object, got null'],
	],
	[
		'a term with a numeric value',
		dealSigned({ terms: [{ friendly_name: 'Contract Term (Months)', value: 12 }] }),
		{ terms: { 'Contract Term (Months)': '12' } },
		[],
	],
	[
		'a term with a list as its value',
		dealSigned({ terms: [{ friendly_name: 'PO', value: ['a'] }] }),
		{ terms: { PO: null } },
		['deal.terms[0].value: expected text, got a list'],
	],
	[
		'a net price in words',
		dealSigned({ net_price: 'a lot' }),
		{ netPrice: null },
		['deal.net_price: expected a decimal amount such as "44400.00", got text in another format'],
	],
	[
		'an empty net price',
		dealSigned({ net_price: '', net_price_currency: '', net_price_precision: '' }),
		{ netPrice: null },
		[],
	],
	// RevOps' precision only says how many digits it wrote: the item counts in ISO 4217 minor units and never reads it.
	[
		'an original net price with a precision in words',
		dealSigned({
			original_net_price: '1.00',
			original_net_price_currency: 'USD',
			original_net_price_precision: 'two',
		}),
		{ originalNetPrice: { amount: '1.00', currency: 'USD', minorUnitDigits: 2, minorUnits: 100 } },
		[],
	],
	[
		'a numeric account.name',
		jsonBytes({ event: { type: 'account-updated' }, account: { name: 5 } }),
		{ accountName: '5' },
		[],
	],
	[
		'an account.email that is an object',
		jsonBytes({ event: { type: 'account-updated' }, account: { email: {} } }),
		{ accountEmail: null },
		['account.email: expected text, got an object'],
	],
];

describe('deliveries with fields the trigger cannot read', () => {
	it.each(LENIENT)(
		'emits %s, with the warnings it names',
		async (_label, body, fields, warnings) => {
			expect(await emittedItem(deliver(postRequest(body)))).toMatchObject({ ...fields, warnings });
		},
	);
});

describe('nesting limit', () => {
	const nested = (depth: number) =>
		`{"deal":{"custom":${'['.repeat(depth - 2)}${']'.repeat(depth - 2)}}}`;

	it('accepts an envelope exactly 64 levels deep and refuses 65', async () => {
		expect((await deliver(postRequest(Buffer.from(nested(64))))).kind).toBe('emit');
		expect(await deliver(postRequest(Buffer.from(nested(65))))).toMatchObject({
			kind: 'reject',
			status: 400,
		});
	});
});

describe('multipart bodies', () => {
	it('answers 415, since n8n has already turned them into form fields', async () => {
		expect(
			await deliver(postRequest(Buffer.alloc(0), { contentType: 'multipart/form-data' })),
		).toEqual({
			kind: 'reject',
			status: 415,
			message: 'RevOps sends events as application/json; multipart bodies are not accepted',
		});
	});
});
