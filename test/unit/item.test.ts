/**
 * The item builder, reached through the delivery pipeline (so each item is built from an envelope
 * the reader accepted) and directly over generated envelopes.
 */
import { createHash } from 'crypto';

import fc from 'fast-check';

import { readEnvelope } from '../../nodes/RevOpsTrigger/envelope';
import { REVOPS_EVENTS } from '../../nodes/RevOpsTrigger/events';
import { MAX_LISTED_WARNINGS, MAX_SUMMARY_ENTRIES, toItem } from '../../nodes/RevOpsTrigger/item';
import { DeliveryRejection } from '../../nodes/RevOpsTrigger/verify';
import { fixtureBytes, jsonBytes } from '../support/fixtures';
import { deliver, emittedItem, postRequest } from '../support/requests';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('toItem', () => {
	const catalogued = REVOPS_EVENTS.map((event) => event.type);
	const anyValue = fc.jsonValue({ maxDepth: 3 });
	const envelopes = fc.record(
		{
			event: fc.oneof(
				fc.constantFrom(...catalogued),
				fc.record(
					{
						type: fc.oneof(fc.constantFrom(...catalogued), anyValue),
						time: anyValue,
						id: anyValue,
					},
					{ requiredKeys: [] },
				),
			),
			deal: fc.dictionary(
				fc.constantFrom(
					'id',
					'status',
					'account_id',
					'customer',
					'net_price',
					'net_price_currency',
					'original_net_price',
					'original_net_price_currency',
					'feature_flags',
					'terms',
					'__proto__',
				),
				anyValue,
			),
			account: fc.dictionary(fc.constantFrom('account_id', 'name', 'email', 'status'), anyValue),
		},
		{ requiredKeys: [] },
	);

	it('never throws: every envelope the reader accepts becomes an item, whatever its fields hold', () => {
		fc.assert(
			fc.property(envelopes, (json) => {
				let envelope;
				try {
					envelope = readEnvelope(json);
				} catch (error) {
					// The reader's only way to refuse; anything else is a bug.
					expect(error).toBeInstanceOf(DeliveryRejection);
					expect((error as DeliveryRejection).status).toBe(400);
					return;
				}
				const bytes = jsonBytes(json);
				const item = toItem(envelope, { kind: 'json', bytes }, null);
				expect(item.objectType).toBe(envelope.objectType);
				expect(item.warnings.length).toBeLessThanOrEqual(MAX_LISTED_WARNINGS + 1);
			}),
			{ numRuns: 500 },
		);
	});
});

describe('de-duplication keys', () => {
	// One fixture per catalogued event, each named after its type.
	const bodies = REVOPS_EVENTS.map((event) => event.type);

	it('is the same for identical bodies (retries) and differs between events', async () => {
		const keys = await Promise.all(
			bodies.map(
				async (name) => (await emittedItem(deliver(postRequest(fixtureBytes(name))))).dedupeKey,
			),
		);
		expect(new Set(keys).size).toBe(bodies.length);
		const again = await Promise.all(
			bodies.map(
				async (name) => (await emittedItem(deliver(postRequest(fixtureBytes(name))))).dedupeKey,
			),
		);
		expect(again).toEqual(keys);
	});

	it('keeps events that share an id apart by their type', async () => {
		const updated = jsonBytes({ event: { id: 'same', type: 'deal-updated' }, deal: { id: 'd' } });
		const signed = jsonBytes({ event: { id: 'same', type: 'deal-signed' }, deal: { id: 'd' } });
		expect((await emittedItem(deliver(postRequest(updated)))).dedupeKey).not.toBe(
			(await emittedItem(deliver(postRequest(signed)))).dedupeKey,
		);
	});

	it('ignores event.hash, so two events that share one but differ in time keep apart', async () => {
		const at = (time: number) =>
			jsonBytes({
				event: { type: 'account-updated', time, hash: 'a'.repeat(64) },
				account: { account_id: 'a' },
			});
		const first = await emittedItem(deliver(postRequest(at(1715703605))));
		const second = await emittedItem(deliver(postRequest(at(1715703999))));
		expect(first.dedupeKey).toBe(`account-updated:sha256:${sha256(at(1715703605))}`);
		expect(second.dedupeKey).not.toBe(first.dedupeKey);
	});

	it('reads a numeric event.id as its text', async () => {
		const body = jsonBytes({ event: { id: 42, type: 'deal-updated' }, deal: { id: 'd' } });
		expect(await emittedItem(deliver(postRequest(body)))).toMatchObject({
			eventId: '42',
			dedupeKey: 'deal-updated:id:42',
			warnings: [],
		});
	});

	// JSON.parse reads all three as 9007199254740992: the ids stay as they were sent.
	it.each(['9007199254740991', '9007199254740992', '9007199254740993', '18446744073709551617'])(
		'keeps the digits of numeric event.id %s, on either side of 2^53',
		async (id) => {
			const body = Buffer.from(
				`{"event":{"id":${id},"type":"deal-updated"},"deal":{"id":"d","account_id":${id}}}`,
			);
			expect(await emittedItem(deliver(postRequest(body)))).toMatchObject({
				eventId: id,
				accountId: id,
				dedupeKey: `deal-updated:id:${id}`,
				warnings: [],
			});
		},
	);

	it('gives events whose numeric ids differ only past 2^53 different keys', async () => {
		const keyOf = async (id: string) =>
			(
				await emittedItem(
					deliver(
						postRequest(Buffer.from(`{"event":{"id":${id},"type":"deal-signed"},"deal":{}}`)),
					),
				)
			).dedupeKey;
		expect(await keyOf('9007199254740993')).not.toBe(await keyOf('9007199254740992'));
	});

	it('falls back to the body hash, with a warning, when the body does not say which digits an id had', async () => {
		// Two different numbers that parse to one double: the id cannot be told from the other one.
		const body = Buffer.from(
			'{"event":{"id":9007199254740993,"type":"deal-signed"},"deal":{"terms":[{"friendly_name":"PO","value":9007199254740992}]}}',
		);
		const item = await emittedItem(deliver(postRequest(body)));
		expect(item).toMatchObject({
			eventId: null,
			dedupeKey: `deal-signed:sha256:${sha256(body)}`,
			terms: { PO: null },
		});
		expect(item.warnings).toEqual([
			'event.id: the JSON number has more digits than can be read exactly; RevOps should send it as text',
			'deal.terms[0].value: the JSON number has more digits than can be read exactly; RevOps should send it as text',
		]);
	});

	it("keeps an unknown event type from forging another event's key through the separator", async () => {
		const keyOf = async (type: string, id: string) =>
			(await emittedItem(deliver(postRequest(jsonBytes({ event: { id, type }, deal: {} })))))
				.dedupeKey;
		expect(await keyOf('x:id:1', '2')).toBe('x%3Aid%3A1:id:2');
		expect(await keyOf('x', '1:id:2')).toBe('x:id:1:id:2');
	});
});

describe('feature flags', () => {
	const flagsOf = async (featureFlags: unknown) => {
		const item = await emittedItem(
			deliver(
				postRequest(
					jsonBytes({ event: { type: 'deal-signed' }, deal: { feature_flags: featureFlags } }),
				),
			),
		);
		return {
			enabled: item.enabledFeatureFlags,
			disabled: item.disabledFeatureFlags,
			warnings: item.warnings,
		};
	};

	it.each([
		['booleans', [{ name: 'a', enabled: true }, { name: 'b', enabled: false }, { name: 'c' }]],
		// A GET delivery carries every value as text.
		['text', [{ name: 'a', enabled: 'true' }, { name: 'b', enabled: 'false' }, { name: 'c' }]],
		// n8n's query parser turns a long list into an object keyed by index.
		[
			'an index-keyed object',
			{ 1: { name: 'b', enabled: false }, 0: { name: 'a', enabled: true }, 2: { name: 'c' } },
		],
	])('splits flags sent as %s into enabled and disabled, in order', async (_, featureFlags) => {
		expect(await flagsOf(featureFlags)).toEqual({
			enabled: ['a'],
			disabled: ['b', 'c'],
			warnings: [],
		});
	});

	it('reads RevOps\' unset value "" as no flags, without a warning', async () => {
		expect(await flagsOf('')).toEqual({ enabled: [], disabled: [], warnings: [] });
	});

	it('counts a flag whose enabled it cannot read as disabled, and leaves out a flag without a name', async () => {
		expect(await flagsOf([{ name: 'a', enabled: 'yes' }, { enabled: true }])).toEqual({
			enabled: [],
			disabled: ['a'],
			warnings: [
				'deal.feature_flags[0].enabled: expected true or false, got text in another format; read as off',
				'deal.feature_flags[1]: a flag without a name',
			],
		});
	});
});

describe('bounded items', () => {
	it(`lists the first ${MAX_LISTED_WARNINGS} warnings and counts the rest`, async () => {
		const flags = Array.from({ length: 5000 }, (_, index) => ({
			name: `f${index}`,
			enabled: 'maybe',
		}));
		const item = await emittedItem(
			deliver(
				postRequest(jsonBytes({ event: { type: 'deal-signed' }, deal: { feature_flags: flags } })),
			),
		);
		const warnings = item.warnings as string[];
		expect(warnings).toHaveLength(MAX_LISTED_WARNINGS + 1);
		expect(warnings[0]).toBe(
			'deal.feature_flags[0].enabled: expected true or false, got text in another format; read as off',
		);
		// One per flag, and one saying disabledFeatureFlags lists only the first MAX_SUMMARY_ENTRIES.
		expect(warnings[MAX_LISTED_WARNINGS]).toBe(
			`... and ${5001 - MAX_LISTED_WARNINGS} more warnings like these, not listed`,
		);
	});

	it(`keeps the first ${MAX_SUMMARY_ENTRIES} enabled and disabled flags and terms, and says so`, async () => {
		const count = MAX_SUMMARY_ENTRIES + 5;
		const deal = {
			feature_flags: Array.from({ length: count * 2 }, (_, index) => ({
				name: `f${index}`,
				enabled: index % 2 === 0,
			})),
			terms: Array.from({ length: count }, (_, index) => ({
				friendly_name: `t${index}`,
				value: 'v',
			})),
		};
		const item = await emittedItem(
			deliver(postRequest(jsonBytes({ event: { type: 'deal-signed' }, deal }))),
		);
		const namesOf = (enabled: boolean) =>
			deal.feature_flags
				.filter((flag) => flag.enabled === enabled)
				.slice(0, MAX_SUMMARY_ENTRIES)
				.map((flag) => flag.name);
		expect(item.enabledFeatureFlags).toEqual(namesOf(true));
		expect(item.disabledFeatureFlags).toEqual(namesOf(false));
		expect(Object.keys(item.terms as object)).toHaveLength(MAX_SUMMARY_ENTRIES);
		expect(item.warnings).toEqual([
			`deal.feature_flags: ${count} enabled flags; enabledFeatureFlags lists the first ${MAX_SUMMARY_ENTRIES}`,
			`deal.feature_flags: ${count} disabled flags; disabledFeatureFlags lists the first ${MAX_SUMMARY_ENTRIES}`,
			`deal.terms: ${count} named terms; terms holds the first ${MAX_SUMMARY_ENTRIES} names`,
		]);
		expect((item.deal as typeof deal).feature_flags).toHaveLength(count * 2);
	});
});
