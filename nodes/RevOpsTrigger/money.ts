import { rejectInput } from './rejection';
import type { RevOpsMoney } from './types';

// Bounded so a hostile amount of a million digits cannot make BigInt work for seconds.
const DECIMAL = /^(-?)(\d{1,30})(?:\.(\d{1,18}))?$/;
const MAX_PRECISION = 18;

function readPrecision(value: unknown, field: string, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const digits = typeof value === 'number' ? String(value) : value;
	if (typeof digits !== 'string' || !/^\d{1,2}$/.test(digits) || Number(digits) > MAX_PRECISION) {
		return rejectInput(`"${field}" must be a whole number of decimal places from 0 to ${MAX_PRECISION}`);
	}
	return Number(digits);
}

/**
 * Reads a RevOps amount (a decimal string in major units) without going through binary
 * floats. `amount` is rewritten with exactly `precision` fractional digits; an amount with
 * more non-zero digits than `precision` allows is kept as received with `minorUnits: null`
 * rather than rounded.
 */
export function readMoney(
	amount: unknown,
	currency: unknown,
	precision: unknown,
	field: string,
): RevOpsMoney | null {
	if (amount === undefined || amount === null) return null;
	const text = typeof amount === 'number' && Number.isFinite(amount) ? String(amount) : amount;
	const match = typeof text === 'string' ? DECIMAL.exec(text) : null;
	if (!match) return rejectInput(`"${field}" must be a decimal string such as "44400.00"`);
	if (currency !== undefined && currency !== null && typeof currency !== 'string') {
		return rejectInput(`"${field}_currency" must be an ISO 4217 code such as "USD"`);
	}
	const [, sign, whole, fraction = ''] = match;
	const places = readPrecision(precision, `${field}_precision`, fraction.length);
	const significantFraction = fraction.replace(/0+$/, '');
	const code = (currency as string | null | undefined) ?? null;
	if (significantFraction.length > places) {
		return { amount: text as string, currency: code, precision: places, minorUnits: null };
	}
	const paddedFraction = significantFraction.padEnd(places, '0');
	const minor = BigInt(whole + paddedFraction) * (sign ? -1n : 1n);
	const isSafe = minor <= BigInt(Number.MAX_SAFE_INTEGER) && minor >= -BigInt(Number.MAX_SAFE_INTEGER);
	const negative = sign && minor !== 0n ? '-' : '';
	return {
		amount: `${negative}${BigInt(whole).toString()}${places > 0 ? `.${paddedFraction}` : ''}`,
		currency: code,
		precision: places,
		minorUnits: isSafe ? Number(minor) : null,
	};
}
