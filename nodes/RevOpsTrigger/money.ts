/**
 * RevOps amounts to exact money, counted in the currency's ISO 4217 minor unit. Amounts are
 * decimal strings, or JSON numbers read as the text they were written as; never binary floats.
 * RevOps' `*_precision` says how many digits it wrote, not which unit an amount counts in
 * ("44400.0000" USD at precision 4 is still 4,440,000 cents), so the item does not use it.
 */
import type { Reading } from './item';
import { describeType, isUnset } from './json-values';
import type { RevOpsMoney } from './types';

/**
 * ISO 4217 minor-unit digits for every active currency code (list of 2024-06-25). Codes whose
 * minor unit ISO gives as "N.A." (XAU, XDR, XXX, ...) are left out: they have no smallest unit
 * to count in.
 */
const CODES_BY_DIGITS: Record<number, string> = {
	0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
	2:
		'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
		'CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
		'GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD ' +
		'LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN ' +
		'PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB ' +
		'TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD YER ZAR ZMW ZWG',
	3: 'BHD IQD JOD KWD LYD OMR TND',
	4: 'CLF UYW',
};

const MINOR_UNIT_DIGITS = new Map<string, number>(
	Object.entries(CODES_BY_DIGITS).flatMap(([digits, codes]) =>
		codes.split(' ').map((code): [string, number] => [code, Number(digits)]),
	),
);

/** Digits after the decimal point in `code`'s smallest unit (USD 2, JPY 0, KWD 3), or undefined. */
export function minorUnitDigits(code: string): number | undefined {
	return MINOR_UNIT_DIGITS.get(code.toUpperCase());
}

// Bounded so a hostile amount of a million digits cannot make BigInt work for seconds.
const DECIMAL = /^(-?)(\d{1,30})(?:\.(\d{1,30}))?$/;
const MAX_MINOR_UNITS = BigInt(Number.MAX_SAFE_INTEGER);

/** The amount's decimal text: a string as sent, a JSON number as written. Null (with a warning) otherwise. */
function readAmountText(amount: unknown, field: string, reading: Reading): string | null {
	const text = typeof amount === 'number' ? reading.numberText(amount) : amount;
	if (typeof text === 'string' && DECIMAL.test(text)) return text;
	reading.warn(
		typeof amount === 'number' && text === null
			? `${field}: the JSON number cannot be read exactly (too many digits); RevOps should send the amount as text`
			: `${field}: expected a decimal amount such as "44400.00", got ${describeType(amount)}`,
	);
	return null;
}

function readCurrency(value: unknown, field: string, reading: Reading): string | null {
	if (isUnset(value)) return null;
	if (typeof value === 'string') return value;
	reading.warn(`${field}: expected an ISO 4217 code such as "USD", got ${describeType(value)}`);
	return null;
}

/**
 * Reads one RevOps amount with its `_currency` sibling. An unset amount (missing, null, "")
 * gives null quietly. `minorUnits` is null, with a warning that names the field, whenever it
 * would not be an exact count of the currency's ISO 4217 minor unit; `amount` is then kept
 * exactly as RevOps wrote it.
 */
export function readMoney(
	amount: unknown,
	currency: unknown,
	field: string,
	reading: Reading,
): RevOpsMoney | null {
	if (isUnset(amount)) return null;
	const text = readAmountText(amount, field, reading);
	if (text === null) return null;
	const code = readCurrency(currency, `${field}_currency`, reading);
	const digits = code === null ? undefined : minorUnitDigits(code);
	if (code === null || digits === undefined) {
		reading.warn(
			code === null
				? `${field}: no currency, so the amount has no minor unit to count in`
				: `${field}_currency: "${code.slice(0, 12)}" is not an ISO 4217 currency with a minor unit, so the amount is not counted in minor units`,
		);
		return { amount: text, currency: code, minorUnitDigits: null, minorUnits: null };
	}
	const [, sign, whole, fraction = ''] = DECIMAL.exec(text) as RegExpExecArray;
	const significantFraction = fraction.replace(/0+$/, '');
	if (significantFraction.length > digits) {
		reading.warn(
			`${field}: ${text} has a fraction of the smallest unit of ${code} (${digits} decimal places), so it has no exact minor units`,
		);
		return { amount: text, currency: code, minorUnitDigits: digits, minorUnits: null };
	}
	const paddedFraction = significantFraction.padEnd(digits, '0');
	const magnitude = BigInt(whole + paddedFraction);
	if (magnitude > MAX_MINOR_UNITS) {
		reading.warn(`${field}: ${text} is too large to count in minor units exactly`);
		return { amount: text, currency: code, minorUnitDigits: digits, minorUnits: null };
	}
	const negative = sign === '-' && magnitude !== 0n;
	return {
		amount: `${negative ? '-' : ''}${BigInt(whole).toString()}${digits > 0 ? `.${paddedFraction}` : ''}`,
		currency: code,
		minorUnitDigits: digits,
		minorUnits: Number(negative ? -magnitude : magnitude),
	};
}
