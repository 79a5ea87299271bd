import { handleDelivery } from '../../nodes/RevOpsTrigger/delivery';
import { jsonBytes } from '../support/fixtures';
import { postRequest } from '../support/requests';

const everything = { events: ['*'], verificationKey: undefined, signature: undefined };
const dealSigned = (deal: unknown, event: unknown = { id: 'e-1', type: 'deal-signed', time: 1715703605 }) =>
	jsonBytes({ event, deal });

/** Every class of bad input, with the exact 400 message a sender gets back. */
const BAD_INPUT: Array<[string, Buffer, string]> = [
	['an empty body', Buffer.alloc(0), 'The request body is empty: RevOps sends the event as a JSON body'],
	['malformed JSON', Buffer.from('{"event": {'), 'The body is not valid JSON: RevOps sends one JSON object per delivery'],
	['JSON with a trailing comma', Buffer.from('{"deal": {},}'), 'The body is not valid JSON: RevOps sends one JSON object per delivery'],
	['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'The body is not valid UTF-8'],
	['a JSON array', jsonBytes([{ deal: {} }]), 'The delivery must be a JSON object with an "event" and a "deal" or "account"'],
	['a JSON string', jsonBytes('deal-signed'), 'The delivery must be a JSON object with an "event" and a "deal" or "account"'],
	['JSON null', Buffer.from('null'), 'The delivery must be a JSON object with an "event" and a "deal" or "account"'],
	['an object with neither deal nor account', jsonBytes({ event: { type: 'deal-signed' } }), 'The delivery has neither a "deal" nor an "account" object'],
	['an empty object', jsonBytes({}), 'The delivery has neither a "deal" nor an "account" object'],
	['a body wrapper around nothing useful', jsonBytes({ body: { hello: 1 } }), 'The delivery has neither a "deal" nor an "account" object'],
	['a deal that is a string', dealSigned('d-1'), '"deal" must be an object'],
	['a deal that is a list', dealSigned([{ id: 'd-1' }]), '"deal" must be an object'],
	['a deal that is null', dealSigned(null), '"deal" must be an object'],
	['an account that is a number', jsonBytes({ account: 7 }), '"account" must be an object'],
	['an event that is a string', jsonBytes({ event: 'deal-signed', deal: {} }), '"event" must be an object'],
	['a numeric event.type', dealSigned({}, { type: 7 }), '"event.type" must be a non-empty string such as "deal-signed"'],
	['an empty event.type', dealSigned({}, { type: '' }), '"event.type" must be a non-empty string such as "deal-signed"'],
	['an event.type that is an object', dealSigned({}, { type: { name: 'deal-signed' } }), '"event.type" must be a non-empty string such as "deal-signed"'],
	['a deal event about an account', jsonBytes({ event: { type: 'deal-signed' }, account: {} }), 'A "deal-signed" event needs a "deal" object'],
	['both objects and an unknown type', jsonBytes({ event: { type: 'x' }, deal: {}, account: {} }), 'The delivery has both a "deal" and an "account"; "event.type" must say which it is about'],
	['a numeric event.id', dealSigned({}, { id: 42, type: 'deal-signed' }), '"event.id" must be a string'],
	['a numeric event.hash', dealSigned({}, { hash: 42, type: 'deal-signed' }), '"event.hash" must be a string'],
	['an event.time in words', dealSigned({}, { type: 'deal-signed', time: 'yesterday' }), '"event.time" must be Unix seconds (or milliseconds) as a number or a string of digits'],
	['a negative event.time', dealSigned({}, { type: 'deal-signed', time: -5 }), '"event.time" must be Unix seconds (or milliseconds) as a number or a string of digits'],
	['a fractional event.time', dealSigned({}, { type: 'deal-signed', time: 1715703605.5 }), '"event.time" must be Unix seconds (or milliseconds) as a number or a string of digits'],
	['an ISO event.time', dealSigned({}, { type: 'deal-signed', time: '2024-05-14T16:20:05Z' }), '"event.time" must be Unix seconds (or milliseconds) as a number or a string of digits'],
	['an event.time past the calendar', dealSigned({}, { type: 'deal-signed', time: '9999999999999999' }), '"event.time" is out of range'],
	['a numeric deal.status', dealSigned({ status: 3 }), '"deal.status" must be a string'],
	['a numeric deal.id', dealSigned({ id: 3 }), '"deal.id" must be a string'],
	['a customer that is a string', dealSigned({ customer: 'Acme' }), '"deal.customer" must be an object'],
	['feature_flags that is an object', dealSigned({ feature_flags: { sso: true } }), '"deal.feature_flags" must be a list of objects'],
	['feature_flags holding strings', dealSigned({ feature_flags: ['sso'] }), '"deal.feature_flags" must be a list of objects'],
	['a feature flag with a numeric name', dealSigned({ feature_flags: [{ name: 'a' }, { name: 1, enabled: true }] }), '"deal.feature_flags[1].name" must be a string'],
	['terms holding null', dealSigned({ terms: [null] }), '"deal.terms" must be a list of objects'],
	['a term with a numeric value', dealSigned({ terms: [{ friendly_name: 'PO', value: 7 }] }), '"deal.terms[0].value" must be a string'],
	['a net price in words', dealSigned({ net_price: 'a lot' }), '"deal.net_price" must be a decimal string such as "44400.00"'],
	['an original net price with a bad precision', dealSigned({ original_net_price: '1.00', original_net_price_precision: 'two' }), '"deal.original_net_price_precision" must be a whole number of decimal places from 0 to 18'],
	['deeply nested JSON', Buffer.from(`{"deal":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`), 'The delivery nests objects deeper than 64 levels'],
	['a numeric account.name', jsonBytes({ event: { type: 'account-updated' }, account: { name: 5 } }), '"account.name" must be a string'],
];

describe('bad input', () => {
	it.each(BAD_INPUT)('answers 400 to %s, naming what is wrong', (_label, body, message) => {
		expect(handleDelivery(postRequest(body), everything)).toEqual({ kind: 'reject', status: 400, message });
	});
});

describe('nesting limit', () => {
	const nested = (depth: number) => `{"deal":{"custom":${'['.repeat(depth - 2)}${']'.repeat(depth - 2)}}}`;

	it('accepts an envelope exactly 64 levels deep and refuses 65', () => {
		expect(handleDelivery(postRequest(Buffer.from(nested(64))), everything).kind).toBe('emit');
		expect(handleDelivery(postRequest(Buffer.from(nested(65))), everything)).toMatchObject({ kind: 'reject', status: 400 });
	});
});

describe('multipart bodies', () => {
	it('answers 415, since n8n has already turned them into form fields', () => {
		const request = { ...postRequest(Buffer.alloc(0)), contentType: 'multipart/form-data' };
		expect(handleDelivery(request, everything)).toEqual({
			kind: 'reject',
			status: 415,
			message: 'RevOps sends events as application/json; multipart bodies are not accepted',
		});
	});
});
