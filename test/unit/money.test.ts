import currencyCodes from 'currency-codes';

import { knownCurrencies, minorUnitDigits } from '../../nodes/RevOpsTrigger/currencies';
import { readMoney } from '../../nodes/RevOpsTrigger/money';

const read = (amount: unknown, currency: unknown, precision: unknown) => {
	const warnings: string[] = [];
	return { money: readMoney(amount, currency, precision, 'price', warnings), warnings };
};
const money = (amount: string, currency: string | null, precision: number | null, minorUnits: number | null) => ({
	amount,
	currency,
	precision,
	minorUnits,
});

describe('readMoney: exact amounts in every kind of currency', () => {
	// Currencies with 2, 0, 3 and 4 minor-unit digits; amounts as strings and JSON numbers;
	// with *_precision given (as a number or digits), empty, or missing.
	it.each([
		['44400.00', 'USD', 2, money('44400.00', 'USD', 2, 4440000)],
		['44400.00', 'USD', undefined, money('44400.00', 'USD', 2, 4440000)],
		['44400', 'USD', undefined, money('44400.00', 'USD', 2, 4440000)],
		['44400', 'USD', '', money('44400.00', 'USD', 2, 4440000)],
		[44400, 'USD', undefined, money('44400.00', 'USD', 2, 4440000)],
		[44400.0, 'USD', null, money('44400.00', 'USD', 2, 4440000)],
		[44400.5, 'USD', 2, money('44400.50', 'USD', 2, 4440050)],
		['4860000', 'JPY', 0, money('4860000', 'JPY', 0, 4860000)],
		['4860000', 'JPY', undefined, money('4860000', 'JPY', 0, 4860000)],
		[4860000, 'JPY', '', money('4860000', 'JPY', 0, 4860000)],
		['4860000.00', 'JPY', undefined, money('4860000', 'JPY', 0, 4860000)],
		['12.345', 'KWD', 3, money('12.345', 'KWD', 3, 12345)],
		['12.345', 'KWD', undefined, money('12.345', 'KWD', 3, 12345)],
		['12', 'KWD', undefined, money('12.000', 'KWD', 3, 12000)],
		[12.345, 'KWD', undefined, money('12.345', 'KWD', 3, 12345)],
		['1.5', 'CLF', '4', money('1.5000', 'CLF', 4, 15000)],
		['1.5', 'CLF', undefined, money('1.5000', 'CLF', 4, 15000)],
		[1.5, 'CLF', undefined, money('1.5000', 'CLF', 4, 15000)],
		['44400.00', 'usd', undefined, money('44400.00', 'usd', 2, 4440000)],
		['48000.5', 'USD', '2', money('48000.50', 'USD', 2, 4800050)],
		['12.340', 'BHD', 3, money('12.340', 'BHD', 3, 12340)],
		['007.50', 'USD', 2, money('7.50', 'USD', 2, 750)],
		['-12.00', 'USD', 2, money('-12.00', 'USD', 2, -1200)],
		['-0.00', 'USD', 2, money('0.00', 'USD', 2, 0)],
		['5.000', 'USD', 2, money('5.00', 'USD', 2, 500)],
		['19.99', null, 2, money('19.99', null, 2, 1999)],
		[0.1, 'USD', undefined, money('0.10', 'USD', 2, 10)],
		[1e21, 'JPY', undefined, money('1000000000000000000000', 'JPY', 0, null)],
	])('reads %p %p with precision %p', (amount, currency, precision, expected) => {
		const result = read(amount, currency, precision);
		expect(result.money).toEqual(expected);
		expect(result.warnings).toEqual(expected.minorUnits === null ? ['price: 1000000000000000000000 is too large to count in minor units exactly'] : []);
	});

	it('never counts digits after the point as the precision: "44400" USD is 4,440,000 cents, not 44,400', () => {
		expect(read('44400', 'USD', undefined).money?.minorUnits).toBe(4440000);
		expect(read(44400.0, 'USD', undefined).money?.minorUnits).toBe(4440000);
	});
});

describe('readMoney: what it cannot count exactly', () => {
	it.each([
		['no precision and no currency', '19.99', undefined, undefined, money('19.99', null, null, null), 'price: no precision and no currency, so the amount cannot be counted in minor units'],
		['no precision and a code that is not ISO 4217', '19.99', 'XYZ', undefined, money('19.99', 'XYZ', null, null), 'price: no precision, and "XYZ" is not an ISO 4217 currency with a minor unit'],
		['no precision and gold, which has no minor unit', '2', 'XAU', '', money('2', 'XAU', null, null), 'price: no precision, and "XAU" is not an ISO 4217 currency with a minor unit'],
		['an amount finer than its precision', '0.0040', 'USD', 2, money('0.0040', 'USD', 2, null), 'price: 0.0040 has more decimal places than its precision of 2, so it has no exact minor units'],
		['minor units past the safe integer range', '123456789012345678.99', 'USD', 2, money('123456789012345678.99', 'USD', 2, null), 'price: 123456789012345678.99 is too large to count in minor units exactly'],
		['a JSON number with more than 15 significant digits', 1152921504606846.9, 'USD', 2, money('1152921504606847', 'USD', null, null), 'price: the JSON number 1152921504606847 has more than 15 significant digits, so it may not be the amount that was sent'],
		['a precision in words, falling back to ISO 4217', '1.00', 'USD', 'two', money('1.00', 'USD', 2, 100), 'price_precision: expected a whole number of decimal places from 0 to 18, got text in another format'],
		['a negative precision, falling back to ISO 4217', '1.00', 'KWD', -1, money('1.000', 'KWD', 3, 1000), 'price_precision: expected a whole number of decimal places from 0 to 18, got a number'],
		['a numeric currency', '1.00', 840, 2, money('1.00', null, 2, 100), 'price_currency: expected an ISO 4217 code such as "USD", got a number'],
	])('gives %s with a warning', (_label, amount, currency, precision, expected, warning) => {
		expect(read(amount, currency, precision)).toEqual({ money: expected, warnings: [warning] });
	});

	it.each([
		['a word', 'lots', 'text in another format'],
		['a comma decimal', '44,00', 'text in another format'],
		['an exponent in text', '1e5', 'text in another format'],
		['an object', { value: 1 }, 'an object'],
		['a boolean', true, 'a boolean'],
		['infinity', Infinity, 'a number'],
		['31 integer digits', '9'.repeat(31), 'text in another format'],
		['19 decimals', `1.${'0'.repeat(19)}`, 'text in another format'],
	])('gives no money for %s, with a warning', (_label, amount, got) => {
		expect(read(amount, 'USD', 2)).toEqual({
			money: null,
			warnings: [`price: expected a decimal amount such as "44400.00", got ${got}`],
		});
	});

	it.each([undefined, null, ''])('treats an unset amount (%p) as no money, quietly', (amount) => {
		expect(read(amount, '', '')).toEqual({ money: null, warnings: [] });
	});

	it('never goes through binary floats: amounts stay exact to the last digit', () => {
		expect(read('0.30', 'USD', 2).money?.minorUnits).toBe(30);
		expect(read('1152921504606846.97', 'USD', 2).money?.amount).toBe('1152921504606846.97');
		expect(read('9'.repeat(30), 'USD', 0).money?.amount).toBe('9'.repeat(30));
	});
});

describe('ISO 4217 minor units', () => {
	// ISO lists these with minor unit "N.A."; the reference package records them as 0.
	const NO_MINOR_UNIT = ['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX'];
	const reference = currencyCodes.data.filter((currency) => !NO_MINOR_UNIT.includes(currency.code));

	it('knows every active code with the digits ISO 4217 gives it, and no other code', () => {
		expect(Object.fromEntries(knownCurrencies())).toEqual(Object.fromEntries(reference.map((currency) => [currency.code, currency.digits])));
		expect(reference.length).toBeGreaterThan(150);
	});

	it.each(NO_MINOR_UNIT)('has no minor unit for %s', (code) => {
		expect(minorUnitDigits(code)).toBeUndefined();
	});
});
