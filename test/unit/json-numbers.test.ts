import { JsonNumbers, plainDecimal } from '../../nodes/RevOpsTrigger/json-numbers';

describe('plainDecimal', () => {
	it.each([
		['0', '0'],
		['-0', '0'],
		['-0.00', '0'],
		['12.50', '12.5'],
		['007.50', '7.5'],
		['1e3', '1000'],
		['1E+2', '100'],
		['-1.2e1', '-12'],
		['1.5e-3', '0.0015'],
		['123.456e2', '12345.6'],
		['9007199254740993', '9007199254740993'],
		['1e21', '1000000000000000000000'],
	])('writes %s as %s', (text, expected) => {
		expect(plainDecimal(text)).toBe(expected);
	});

	it.each(['1e401', '1e-99999999', 'abc', '1.', '.5', '+1'])('gives null for %s', (text) => {
		expect(plainDecimal(text)).toBeNull();
	});
});

describe('JsonNumbers', () => {
	const numbersOf = (json: string) => ({
		numbers: new JsonNumbers(json),
		parsed: JSON.parse(json) as Record<string, number>,
	});

	it('gives the digits that were sent for numbers JSON parsing rounds', () => {
		const { numbers, parsed } = numbersOf(
			'{"id":9007199254740993,"big":18446744073709551617,"fine":0.30000000000000001}',
		);
		expect(numbers.textOf(parsed.id)).toBe('9007199254740993');
		expect(numbers.textOf(parsed.big)).toBe('18446744073709551617');
		expect(numbers.textOf(parsed.fine)).toBe('0.30000000000000001');
	});

	it('gives exact numbers as their value, and ignores digits inside strings', () => {
		const { numbers, parsed } = numbersOf('{"a":44400.5,"b":"9007199254740993","c":-7,"d":1e3}');
		expect([numbers.textOf(parsed.a), numbers.textOf(parsed.c), numbers.textOf(parsed.d)]).toEqual([
			'44400.5',
			'-7',
			'1000',
		]);
		expect(numbers.textOf(9007199254740992)).toBe('9007199254740992');
	});

	it('gives null when two different numbers of the body parse to the same value', () => {
		const { numbers, parsed } = numbersOf(
			'{"a":9007199254740993,"b":9007199254740992,"c":0.3,"d":0.30000000000000001}',
		);
		expect([
			numbers.textOf(parsed.a),
			numbers.textOf(parsed.b),
			numbers.textOf(parsed.c),
			numbers.textOf(parsed.d),
		]).toEqual([null, null, null, null]);
	});

	it('gives null for a rounded number whose text is too long to write out', () => {
		const { numbers, parsed } = numbersOf('{"a":1e-99999999}');
		expect(numbers.textOf(parsed.a)).toBeNull();
	});

	it('does not scan the body until a number is asked for', () => {
		const matchAll = jest.spyOn(String.prototype, 'matchAll');
		try {
			const numbers = new JsonNumbers('{"a":1}');
			expect(matchAll).not.toHaveBeenCalled();
			numbers.textOf(1);
			expect(matchAll).toHaveBeenCalledTimes(1);
		} finally {
			matchAll.mockRestore();
		}
	});
});
