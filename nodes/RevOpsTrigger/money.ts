/**
 * RevOps amounts to exact money, counted in the currency's ISO 4217 minor unit. Amounts are
 * decimal strings, or JSON numbers read as the text they were written as; never binary floats.
 * RevOps' `*_precision` says how many digits it wrote, not which unit an amount counts in
 * ("44400.0000" USD at precision 4 is still 4,440,000 cents), so the item does not use it.
 */
import { minorUnitDigits } from './currencies';
import type { Reading } from './reading';
import type { RevOpsMoney } from './types';
import { describeType, isUnset } from './values';

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
		return { amount: text, currency: code, precision: null, minorUnits: null };
	}
	const [, sign, whole, fraction = ''] = DECIMAL.exec(text) as RegExpExecArray;
	const significantFraction = fraction.replace(/0+$/, '');
	if (significantFraction.length > digits) {
		reading.warn(
			`${field}: ${text} has a fraction of the smallest unit of ${code} (${digits} decimal places), so it has no exact minor units`,
		);
		return { amount: text, currency: code, precision: digits, minorUnits: null };
	}
	const paddedFraction = significantFraction.padEnd(digits, '0');
	const magnitude = BigInt(whole + paddedFraction);
	if (magnitude > MAX_MINOR_UNITS) {
		reading.warn(`${field}: ${text} is too large to count in minor units exactly`);
		return { amount: text, currency: code, precision: digits, minorUnits: null };
	}
	const negative = sign === '-' && magnitude !== 0n;
	return {
		amount: `${negative ? '-' : ''}${BigInt(whole).toString()}${digits > 0 ? `.${paddedFraction}` : ''}`,
		currency: code,
		precision: digits,
		minorUnits: Number(negative ? -magnitude : magnitude),
	};
}
