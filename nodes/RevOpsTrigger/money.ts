/**
 * RevOps amounts to exact money: decimal strings in major units, never binary floats. The
 * precision comes from `*_precision`, else from the currency's ISO 4217 minor unit, and is
 * never guessed from how many digits the amount happens to have after its point.
 */
import { minorUnitDigits } from './currencies';
import type { RevOpsMoney } from './types';
import { describeType, isUnset, type Warnings } from './warnings';

// Bounded so a hostile amount of a million digits cannot make BigInt work for seconds.
const DECIMAL = /^(-?)(\d{1,30})(?:\.(\d{1,18}))?$/;
const MAX_PRECISION = 18;
/** Up to 15 significant digits, a JSON number's shortest decimal form is the number that was written. */
const MAX_EXACT_NUMBER_DIGITS = 15;

/**
 * A JSON number as the decimal text it was most likely written as, or null when a double
 * cannot hold it exactly. `String()` gives the shortest form that round-trips, which for 15
 * significant digits or fewer is the text that was sent.
 */
function numberToDecimal(value: number): string | null {
	const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
	if (!match) return null;
	const [, sign, whole, fraction = '', exponent = '0'] = match;
	const digits = whole + fraction;
	if (digits.replace(/^0+/, '').replace(/0+$/, '').length > MAX_EXACT_NUMBER_DIGITS) return null;
	const pointAt = whole.length + Number(exponent);
	const padded = pointAt <= 0 ? '0'.repeat(1 - pointAt) + digits : digits.padEnd(pointAt, '0');
	const integerLength = Math.max(pointAt, 1);
	const integer = padded.slice(0, integerLength).replace(/^0+(?=\d)/, '');
	const decimals = padded.slice(integerLength).replace(/0+$/, '');
	return `${sign}${integer}${decimals ? `.${decimals}` : ''}`;
}

function readPrecision(value: unknown, field: string, warnings: Warnings): number | undefined {
	if (isUnset(value)) return undefined;
	const digits = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
	if (typeof digits === 'string' && /^\d{1,2}$/.test(digits) && Number(digits) <= MAX_PRECISION) return Number(digits);
	warnings.push(`${field}: expected a whole number of decimal places from 0 to ${MAX_PRECISION}, got ${describeType(value)}`);
	return undefined;
}

function readCurrency(value: unknown, field: string, warnings: Warnings): string | null {
	if (isUnset(value)) return null;
	if (typeof value === 'string') return value;
	warnings.push(`${field}: expected an ISO 4217 code such as "USD", got ${describeType(value)}`);
	return null;
}

/** Where the precision comes from when `*_precision` gives none: the currency's ISO 4217 minor unit. */
function fallbackPrecision(currency: string | null, field: string, warnings: Warnings): number | null {
	const digits = currency === null ? undefined : minorUnitDigits(currency);
	if (digits !== undefined) return digits;
	warnings.push(
		currency === null
			? `${field}: no precision and no currency, so the amount cannot be counted in minor units`
			: `${field}: no precision, and "${currency.slice(0, 12)}" is not an ISO 4217 currency with a minor unit`,
	);
	return null;
}

/**
 * Reads one RevOps amount with its `_currency` and `_precision` siblings. Unset values
 * (missing, null, "") give null quietly; values that cannot be read give null, or money
 * with `minorUnits: null`, plus a warning that names the field.
 */
export function readMoney(
	amount: unknown,
	currency: unknown,
	precision: unknown,
	field: string,
	warnings: Warnings,
): RevOpsMoney | null {
	if (isUnset(amount)) return null;
	let text: string | null;
	if (typeof amount === 'number' && Number.isFinite(amount)) {
		text = numberToDecimal(amount);
		if (text === null) {
			warnings.push(`${field}: the JSON number ${amount} has more than ${MAX_EXACT_NUMBER_DIGITS} significant digits, so it may not be the amount that was sent`);
			return { amount: String(amount), currency: readCurrency(currency, `${field}_currency`, warnings), precision: null, minorUnits: null };
		}
	} else {
		text = typeof amount === 'string' ? amount : null;
	}
	const match = text === null ? null : DECIMAL.exec(text);
	if (!match) {
		warnings.push(`${field}: expected a decimal amount such as "44400.00", got ${describeType(amount)}`);
		return null;
	}
	const code = readCurrency(currency, `${field}_currency`, warnings);
	const places = readPrecision(precision, `${field}_precision`, warnings) ?? fallbackPrecision(code, field, warnings);
	const [, sign, whole, fraction = ''] = match;
	const significantFraction = fraction.replace(/0+$/, '');
	const isZero = /^0*$/.test(whole + significantFraction);
	const negative = sign && !isZero ? '-' : '';
	const asWritten = `${negative}${BigInt(whole).toString()}${fraction ? `.${fraction}` : ''}`;
	if (places === null) return { amount: asWritten, currency: code, precision: null, minorUnits: null };
	if (significantFraction.length > places) {
		warnings.push(`${field}: ${text} has more decimal places than its precision of ${places}, so it has no exact minor units`);
		return { amount: asWritten, currency: code, precision: places, minorUnits: null };
	}
	const paddedFraction = significantFraction.padEnd(places, '0');
	const minor = BigInt(whole + paddedFraction) * (negative ? -1n : 1n);
	const isSafe = minor <= BigInt(Number.MAX_SAFE_INTEGER) && minor >= -BigInt(Number.MAX_SAFE_INTEGER);
	if (!isSafe) warnings.push(`${field}: ${text} is too large to count in minor units exactly`);
	return {
		amount: `${negative}${BigInt(whole).toString()}${places > 0 ? `.${paddedFraction}` : ''}`,
		currency: code,
		precision: places,
		minorUnits: isSafe ? Number(minor) : null,
	};
}
