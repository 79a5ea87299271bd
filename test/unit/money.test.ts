import { readMoney } from '../../nodes/RevOpsTrigger/money';
import { DeliveryRejection } from '../../nodes/RevOpsTrigger/rejection';

describe('readMoney', () => {
	it.each([
		['44400.00', 'USD', 2, { amount: '44400.00', currency: 'USD', precision: 2, minorUnits: 4440000 }],
		['4860000', 'JPY', 0, { amount: '4860000', currency: 'JPY', precision: 0, minorUnits: 4860000 }],
		['48000', 'USD', 2, { amount: '48000.00', currency: 'USD', precision: 2, minorUnits: 4800000 }],
		['48000.5', 'USD', '2', { amount: '48000.50', currency: 'USD', precision: 2, minorUnits: 4800050 }],
		['0.10', 'EUR', 2, { amount: '0.10', currency: 'EUR', precision: 2, minorUnits: 10 }],
		['12.340', 'BHD', 3, { amount: '12.340', currency: 'BHD', precision: 3, minorUnits: 12340 }],
		['007.50', 'USD', 2, { amount: '7.50', currency: 'USD', precision: 2, minorUnits: 750 }],
		['-12.00', 'USD', 2, { amount: '-12.00', currency: 'USD', precision: 2, minorUnits: -1200 }],
		['-0.00', 'USD', 2, { amount: '0.00', currency: 'USD', precision: 2, minorUnits: 0 }],
		['19.99', 'USD', undefined, { amount: '19.99', currency: 'USD', precision: 2, minorUnits: 1999 }],
		['5.000', 'USD', 2, { amount: '5.00', currency: 'USD', precision: 2, minorUnits: 500 }],
		['19.99', null, 2, { amount: '19.99', currency: null, precision: 2, minorUnits: 1999 }],
	])('reads %s %s with precision %s exactly', (amount, currency, precision, expected) => {
		expect(readMoney(amount, currency, precision, 'price')).toEqual(expected);
	});

	it('keeps an amount finer than its precision as received instead of rounding it', () => {
		expect(readMoney('0.0040', 'USD', 2, 'price')).toEqual({
			amount: '0.0040',
			currency: 'USD',
			precision: 2,
			minorUnits: null,
		});
	});

	it('gives no minor units when they pass the safe integer range, but keeps the exact amount', () => {
		expect(readMoney('123456789012345678.99', 'USD', 2, 'price')).toEqual({
			amount: '123456789012345678.99',
			currency: 'USD',
			precision: 2,
			minorUnits: null,
		});
	});

	it('never goes through binary floats: 0.1 + 0.2 style amounts stay exact', () => {
		expect(readMoney('0.30', 'USD', 2, 'price')?.minorUnits).toBe(30);
		expect(readMoney('1152921504606846.97', 'USD', 2, 'price')?.amount).toBe('1152921504606846.97');
	});

	it('reads a JSON number amount through its decimal text', () => {
		expect(readMoney(44400.5, 'USD', 2, 'price')).toEqual({
			amount: '44400.50',
			currency: 'USD',
			precision: 2,
			minorUnits: 4440050,
		});
	});

	it('treats a missing amount as no money', () => {
		expect(readMoney(undefined, 'USD', 2, 'price')).toBeNull();
		expect(readMoney(null, 'USD', 2, 'price')).toBeNull();
	});

	it.each([
		['a word', 'lots', 'USD', 2, '"price" must be a decimal string such as "44400.00"'],
		['a comma decimal', '44,00', 'USD', 2, '"price" must be a decimal string such as "44400.00"'],
		['an exponent', '1e5', 'USD', 2, '"price" must be a decimal string such as "44400.00"'],
		['an object', { value: 1 }, 'USD', 2, '"price" must be a decimal string such as "44400.00"'],
		['infinity', Infinity, 'USD', 2, '"price" must be a decimal string such as "44400.00"'],
		['a numeric currency', '1.00', 840, 2, '"price_currency" must be an ISO 4217 code such as "USD"'],
		['a negative precision', '1.00', 'USD', -1, '"price_precision" must be a whole number of decimal places from 0 to 18'],
		['a fractional precision', '1.00', 'USD', 1.5, '"price_precision" must be a whole number of decimal places from 0 to 18'],
		['a huge precision', '1.00', 'USD', 40, '"price_precision" must be a whole number of decimal places from 0 to 18'],
	])('refuses %s with a 400 that names the field', (_label, amount, currency, precision, message) => {
		const read = () => readMoney(amount, currency, precision, 'price');
		expect(read).toThrow(DeliveryRejection);
		expect(read).toThrow(message);
	});
});

describe('readMoney bounds', () => {
	it('refuses an amount with more digits than any currency needs', () => {
		expect(() => readMoney('9'.repeat(31), 'USD', 2, 'price')).toThrow('"price" must be a decimal string');
		expect(() => readMoney(`1.${'0'.repeat(19)}`, 'USD', 2, 'price')).toThrow('"price" must be a decimal string');
		expect(readMoney('9'.repeat(30), 'USD', 0, 'price')?.amount).toBe('9'.repeat(30));
	});
});
