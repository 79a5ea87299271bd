import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { EXPECTED_ITEMS } from '../support/expected-items';
import { fixtureBytes, fixtureNames, SIGNATURE_VECTORS, TEST_KEY } from '../support/fixtures';
import { itemChecker, ownFields } from '../support/output-schema';
import { deliver, emittedItem, getRequest, postRequest } from '../support/requests';
import { outputSchema, type JsonSchema } from '../../tools/schema/output-schema';

// The generator compiles nodes/RevOpsTrigger/types.ts: seconds, not milliseconds.
jest.setTimeout(60_000);

let schema: JsonSchema;
let check: (item: unknown) => string[];

beforeAll(() => {
	schema = outputSchema();
	check = itemChecker(schema);
});

const itemOf = async (name: string) => await emittedItem(deliver(postRequest(fixtureBytes(name))));

/** What the README offers to paste as mock data: the signed deal-signed item, as n8n shows it. */
const SAMPLE_ITEM_PATH = join(__dirname, '..', '..', 'docs', 'sample-item.json');

async function signedItemOf(name: string): Promise<Record<string, unknown>> {
	const request = postRequest(fixtureBytes(name), { signature: SIGNATURE_VECTORS[name] });
	return await emittedItem(
		deliver(request, { events: ['*'], authentication: 'verificationKey' }, TEST_KEY),
	);
}

describe('the output schema', () => {
	it.each(fixtureNames())('matches the item of %s', async (name) => {
		expect(check(await itemOf(name))).toEqual([]);
	});

	it.each(Object.keys(SIGNATURE_VECTORS))('matches the signed item of %s', async (name) => {
		const item = await signedItemOf(name);
		expect(item.verifiedWithKey).toBe(1);
		expect(check(item)).toEqual([]);
	});

	it('matches an item sent by GET and one with warnings', async () => {
		const payload = fixtureBytes('account-created').toString('utf8');
		const byGet = await emittedItem(
			deliver(getRequest({ payload }, `payload=${encodeURIComponent(payload)}`)),
		);
		expect(check(byGet)).toEqual([]);
		const unreadable = Buffer.from(
			JSON.stringify({
				event: { type: 'deal-signed', time: 'soon' },
				deal: { id: {}, net_price: '1.001', net_price_currency: 'USD', terms: 'none' },
			}),
		);
		const warned = await emittedItem(deliver(postRequest(unreadable)));
		expect((warned.warnings as string[]).length).toBeGreaterThan(0);
		// deal.id and deal.terms break RevOps' documented types: only the node's own fields match.
		expect(check(ownFields(warned))).toEqual([]);
	});

	it('rejects an item with a field it does not list, or a field of the wrong type', async () => {
		const item = await itemOf('deal-signed');
		expect(check({ ...item, surprise: true })).not.toEqual([]);
		expect(check({ ...item, netPrice: '48000.00' })).not.toEqual([]);
		expect(check({ ...item, objectType: 'account' })).not.toEqual([]);
		expect(check({ ...(await itemOf('account-created')), dealId: 'd-1' })).not.toEqual([]);
	});

	it("lists every field of both item shapes at the top level, where n8n's editor reads them", async () => {
		const fields = new Set<string>();
		for (const name of Object.keys(EXPECTED_ITEMS)) {
			for (const field of Object.keys(await itemOf(name))) fields.add(field);
		}
		expect(schema.type).toBe('object');
		expect(Object.keys(schema.properties as object).sort()).toEqual([...fields].sort());
	});

	it('describes every top-level field and every money field', () => {
		const properties = schema.properties as Record<string, JsonSchema>;
		const money = properties.netPrice.properties as Record<string, JsonSchema>;
		for (const field of [...Object.values(properties), ...Object.values(money)]) {
			expect(typeof field.description).toBe('string');
		}
	});

	// After a change to the item: UPDATE_SAMPLE_ITEM=1 npx jest --selectProjects unit -t 'sample-item'
	it('docs/sample-item.json is the signed deal-signed item, field for field and in order', async () => {
		const expected = `${JSON.stringify([await signedItemOf('deal-signed.json')], null, 2)}\n`;
		if (process.env.UPDATE_SAMPLE_ITEM === '1') writeFileSync(SAMPLE_ITEM_PATH, expected);
		expect(existsSync(SAMPLE_ITEM_PATH) && readFileSync(SAMPLE_ITEM_PATH, 'utf8')).toBe(expected);
		expect(check((JSON.parse(expected) as unknown[])[0])).toEqual([]);
	});
});
