import currencyCodes from 'currency-codes';
import fc from 'fast-check';

import { minorUnitDigits, readMoney } from '../../nodes/RevOpsTrigger/money';
import { JsonNumbers } from '../../nodes/RevOpsTrigger/json-numbers';
import { Reading } from '../../nodes/RevOpsTrigger/item';
import { deliver, emittedItem, postRequest } from '../support/requests';

/** Reads an amount given as a string, or as a JSON number written exactly as `amount` (a string starting with `#`). */
const read = (amount: unknown, currency: unknown) => {
	const numberText =
		typeof amount === 'string' && amount.startsWith('#') ? amount.slice(1) : undefined;
	const json = numberText === undefined ? '' : `{"amount":${numberText}}`;
	const reading = new Reading(new JsonNumbers(json));
	const value = numberText === undefined ? amount : (JSON.parse(json) as { amount: number }).amount;
	return { money: readMoney(value, currency, 'price', reading), warnings: reading.warnings() };
};
const money = (
	amount: string,
	currency: string | null,
	minorUnitDigits: number | null,
	minorUnits: number | null,
) => ({
	amount,
	currency,
	minorUnitDigits,
	minorUnits,
});

describe("readMoney: counts every amount in its currency's ISO 4217 minor unit", () => {
	it.each([
		['44400.00', 'USD', money('44400.00', 'USD', 2, 4440000)],
		['44400', 'USD', money('44400.00', 'USD', 2, 4440000)],
		// RevOps' precision 4 writes four decimals; the count is still in cents (the 100x bug this guards).
		['44400.0000', 'USD', money('44400.00', 'USD', 2, 4440000)],
		['#44400', 'USD', money('44400.00', 'USD', 2, 4440000)],
		['#44400.50', 'USD', money('44400.50', 'USD', 2, 4440050)],
		['4860000', 'JPY', money('4860000', 'JPY', 0, 4860000)],
		['4860000.00', 'JPY', money('4860000', 'JPY', 0, 4860000)],
		['#4860000', 'JPY', money('4860000', 'JPY', 0, 4860000)],
		['12.345', 'KWD', money('12.345', 'KWD', 3, 12345)],
		['12', 'KWD', money('12.000', 'KWD', 3, 12000)],
		['#12.345', 'KWD', money('12.345', 'KWD', 3, 12345)],
		['1.5', 'CLF', money('1.5000', 'CLF', 4, 15000)],
		['44400.00', 'usd', money('44400.00', 'usd', 2, 4440000)],
		['12.340', 'BHD', money('12.340', 'BHD', 3, 12340)],
		['007.50', 'USD', money('7.50', 'USD', 2, 750)],
		['-12.00', 'USD', money('-12.00', 'USD', 2, -1200)],
		['-0.00', 'USD', money('0.00', 'USD', 2, 0)],
		['#0.1', 'USD', money('0.10', 'USD', 2, 10)],
		['#1e3', 'USD', money('1000.00', 'USD', 2, 100000)],
		['90071992547409.91', 'USD', money('90071992547409.91', 'USD', 2, Number.MAX_SAFE_INTEGER)],
	])('reads %p %p', (amount, currency, expected) => {
		expect(read(amount, currency)).toEqual({ money: expected, warnings: [] });
	});

	it('never counts digits after the point as the unit: "44400" USD is 4,440,000 cents, not 44,400', () => {
		expect(read('44400', 'USD').money?.minorUnits).toBe(4440000);
		expect(read('#44400.0', 'USD').money?.minorUnits).toBe(4440000);
	});
});

describe('readMoney: what it cannot count exactly', () => {
	it.each([
		[
			'no currency',
			'19.99',
			null,
			money('19.99', null, null, null),
			'price: no currency, so the amount has no minor unit to count in',
		],
		[
			'a code that is not ISO 4217',
			'19.99',
			'XYZ',
			money('19.99', 'XYZ', null, null),
			'price_currency: "XYZ" is not an ISO 4217 currency with a minor unit, so the amount is not counted in minor units',
		],
		[
			'gold, which has no minor unit',
			'2',
			'XAU',
			money('2', 'XAU', null, null),
			'price_currency: "XAU" is not an ISO 4217 currency with a minor unit, so the amount is not counted in minor units',
		],
		[
			'a fraction of a cent',
			'0.125',
			'USD',
			money('0.125', 'USD', 2, null),
			'price: 0.125 has a fraction of the smallest unit of USD (2 decimal places), so it has no exact minor units',
		],
		[
			'a fraction of a yen, written as RevOps wrote it',
			'00100.50',
			'JPY',
			money('00100.50', 'JPY', 0, null),
			'price: 00100.50 has a fraction of the smallest unit of JPY (0 decimal places), so it has no exact minor units',
		],
		[
			'minor units past the safe integer range',
			'123456789012345678.99',
			'USD',
			money('123456789012345678.99', 'USD', 2, null),
			'price: 123456789012345678.99 is too large to count in minor units exactly',
		],
		[
			'one cent past the safe integer range',
			'90071992547409.92',
			'USD',
			money('90071992547409.92', 'USD', 2, null),
			'price: 90071992547409.92 is too large to count in minor units exactly',
		],
		[
			'a JSON number past 2^53 as written',
			'#9007199254740993',
			'JPY',
			money('9007199254740993', 'JPY', 0, null),
			'price: 9007199254740993 is too large to count in minor units exactly',
		],
		[
			'a JSON number JSON parsing would round to 0.3',
			'#0.300000000000000001',
			'USD',
			money('0.300000000000000001', 'USD', 2, null),
			'price: 0.300000000000000001 has a fraction of the smallest unit of USD (2 decimal places), so it has no exact minor units',
		],
	])('gives %s with a warning', (_label, amount, currency, expected, warning) => {
		expect(read(amount, currency)).toEqual({ money: expected, warnings: [warning] });
	});

	it('gives null money for a number whose digits the body does not tell, with a warning', () => {
		// Two numbers that JSON parsing turns into the same double: which one is this?
		const json = '{"a":0.300000000000000001,"b":0.3}';
		const reading = new Reading(new JsonNumbers(json));
		expect(readMoney((JSON.parse(json) as { b: number }).b, 'USD', 'price', reading)).toBeNull();
		expect(reading.warnings()).toEqual([
			'price: the JSON number cannot be read exactly (too many digits); RevOps should send the amount as text',
		]);
	});

	it('reads a numeric currency as no currency, with a warning for each', () => {
		expect(read('1.00', 840)).toEqual({
			money: money('1.00', null, null, null),
			warnings: [
				'price_currency: expected an ISO 4217 code such as "USD", got a number',
				'price: no currency, so the amount has no minor unit to count in',
			],
		});
	});

	it.each([
		['a word', 'lots', 'text in another format'],
		['a comma decimal', '44,00', 'text in another format'],
		['an exponent in text', '1e5', 'text in another format'],
		['an object', { value: 1 }, 'an object'],
		['a boolean', true, 'a boolean'],
		['31 integer digits', '9'.repeat(31), 'text in another format'],
		['31 decimals', `1.${'0'.repeat(31)}`, 'text in another format'],
	])('gives no money for %s, with a warning', (_label, amount, got) => {
		expect(read(amount, 'USD')).toEqual({
			money: null,
			warnings: [`price: expected a decimal amount such as "44400.00", got ${got}`],
		});
	});

	it.each([undefined, null, ''])('treats an unset amount (%p) as no money, quietly', (amount) => {
		expect(read(amount, '')).toEqual({ money: null, warnings: [] });
	});

	it('never goes through binary floats: amounts stay exact to the last digit', () => {
		expect(read('0.30', 'USD').money?.minorUnits).toBe(30);
		expect(read('1152921504606846.97', 'USD').money?.amount).toBe('1152921504606846.97');
		expect(read('9'.repeat(30), 'JPY').money?.amount).toBe('9'.repeat(30));
	});
});

describe('ISO 4217 minor units', () => {
	// ISO lists these with minor unit "N.A."; the reference package records them as 0.
	const NO_MINOR_UNIT = [
		'XAG',
		'XAU',
		'XBA',
		'XBB',
		'XBC',
		'XBD',
		'XDR',
		'XPD',
		'XPT',
		'XSU',
		'XTS',
		'XUA',
		'XXX',
	];
	const reference = currencyCodes.data.filter((currency) => !NO_MINOR_UNIT.includes(currency.code));

	it('knows every active code with the digits ISO 4217 gives it, and no other of the 17,576 three-letter codes', () => {
		const iso = new Map(reference.map((currency) => [currency.code, currency.digits]));
		const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
		const differing: string[] = [];
		for (const first of letters)
			for (const second of letters)
				for (const third of letters) {
					const code = `${first}${second}${third}`;
					if (minorUnitDigits(code) !== iso.get(code)) differing.push(code);
				}
		expect(differing).toEqual([]);
		expect(iso.size).toBeGreaterThan(150);
	});

	it.each(NO_MINOR_UNIT)('has no minor unit for %s', (code) => {
		expect(minorUnitDigits(code)).toBeUndefined();
	});
});

/**
 * The oracle: the amount as an integer `scaled` times 10^-`scale`, from its text alone, and the
 * digits from the `currency-codes` table, never from the node's own table or code.
 */
function oracleMinorUnits(text: string, code: string | null): bigint | null {
	const ISO_NA = [
		'XAG',
		'XAU',
		'XBA',
		'XBB',
		'XBC',
		'XBD',
		'XDR',
		'XPD',
		'XPT',
		'XSU',
		'XTS',
		'XUA',
		'XXX',
	];
	const entry = code === null ? undefined : currencyCodes.code(code.toUpperCase());
	if (entry === undefined || ISO_NA.includes(entry.code)) return null;
	const [mantissa, exponent = '0'] = text.toLowerCase().split('e');
	const [whole, fraction = ''] = mantissa.split('.');
	const scaled = BigInt(whole.replace('-', '') + fraction) * (whole.startsWith('-') ? -1n : 1n);
	const shift = entry.digits - fraction.length + Number(exponent);
	if (shift >= 0) return scaled * 10n ** BigInt(shift);
	const divisor = 10n ** BigInt(-shift);
	return scaled % divisor === 0n ? scaled / divisor : null;
}

describe('property: minorUnits, whenever set, is the amount in ISO minor units exactly', () => {
	fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261204) });
	const activeCodes = currencyCodes.codes();
	const currency = fc.oneof(
		fc.constantFrom(...activeCodes),
		fc.constantFrom(...activeCodes).map((code) => code.toLowerCase()),
		fc.stringMatching(/^[A-Z]{3}$/),
		fc.constantFrom('', 'US', 'USDX', ' USD'),
	);
	const precision = fc.oneof(
		fc.constant(undefined),
		fc.constant(''),
		fc.integer({ min: -2, max: 20 }),
		fc.integer({ min: 0, max: 20 }).map(String),
		fc.constantFrom('two', 2.5, null),
	);
	const digits = (min: number, max: number) =>
		fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
	const amountText = fc
		.record({
			negative: fc.boolean(),
			whole: digits(1, 24),
			fraction: fc.option(digits(1, 24), { nil: undefined }),
		})
		.map(
			({ negative, whole, fraction }) =>
				`${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`,
		);
	// JSON forbids leading zeros in numbers; exponents are allowed there and not in strings.
	const numberText = fc
		.record({
			text: amountText.map((text) => text.replace(/^(-?)0+(?=\d)/, '$1')),
			exponent: fc.option(fc.integer({ min: -6, max: 6 }), { nil: undefined }),
		})
		.map(({ text, exponent }) => (exponent === undefined ? text : `${text}e${exponent}`));
	const amount = fc.oneof(
		amountText.map((text) => ({ json: JSON.stringify(text), text })),
		numberText.map((text) => ({ json: text, text })),
		fc
			.constantFrom('0', '-0', '0.00', '44400.0000', '9007199254740993', '0.300000000000000001')
			.map((text) => ({ json: text, text })),
	);

	it('holds through the whole trigger for generated amounts, currencies and precisions', async () => {
		await fc.assert(
			fc.asyncProperty(amount, currency, precision, async ({ json, text }, code, places) => {
				const precisionJson =
					places === undefined ? '' : `,"net_price_precision":${JSON.stringify(places)}`;
				const body = `{"event":{"type":"deal-signed"},"deal":{"net_price":${json},"net_price_currency":${JSON.stringify(code)}${precisionJson}}}`;
				const item = await emittedItem(deliver(postRequest(Buffer.from(body))));
				const netPrice = item.netPrice as {
					amount: string;
					minorUnitDigits: number | null;
					minorUnits: number | null;
				} | null;
				const expected = oracleMinorUnits(text, code === '' ? null : code);
				if (netPrice !== null && netPrice.minorUnits !== null) {
					expect(expected).not.toBeNull();
					expect(BigInt(netPrice.minorUnits)).toBe(expected);
					expect(netPrice.minorUnitDigits).toBe(currencyCodes.code(code.toUpperCase())?.digits);
					expect(netPrice.amount.split('.')[1]?.length ?? 0).toBe(netPrice.minorUnitDigits);
				} else {
					// Null only for a reason the oracle agrees with, or a count beyond 2^53.
					const tooLarge =
						expected !== null &&
						(expected > BigInt(Number.MAX_SAFE_INTEGER) ||
							expected < -BigInt(Number.MAX_SAFE_INTEGER));
					if (expected !== null && !tooLarge) expect({ body, netPrice }).toBeNull();
					expect(
						(item.warnings as string[]).some((line) => line.startsWith('deal.net_price')),
					).toBe(true);
				}
			}),
			{ numRuns: 2000 },
		);
	});
});
