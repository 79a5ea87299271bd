/**
 * The decimal text of a delivery's JSON numbers. `JSON.parse` turns every number into a
 * double, which silently rounds integers past 2^53 and decimals with more than 15 to 17
 * significant digits: two event ids that differ only in their last digits would become one.
 * The readers ask here for the text a number was written as, and get null when the body
 * does not say it unambiguously, so nothing the item summarises is rounded without a warning.
 */

/** Beyond this exponent a number is 0 or Infinity as a double, and its digits are not worth writing out. */
const MAX_EXPONENT = 400;
/** Distinct rounded values remembered per delivery; past it, no number of the delivery is trusted. */
const MAX_ROUNDED_VALUES = 10_000;
/** A decimal with this many significant digits or fewer is exactly what its double prints as. */
const EXACT_DIGITS = 15;

const NUMBER = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
// A string is consumed whole, so digits inside strings and keys are never taken for numbers.
const TOKEN = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * A decimal number's text in one canonical form (`-12.5`, `0.001`, `9007199254740993`):
 * no exponent, no leading or trailing zeros, no `-0`. Null when it is not a number or its
 * exponent is out of bounds.
 */
export function plainDecimal(text: string): string | null {
	const match = NUMBER.exec(text);
	if (!match) return null;
	const [, sign, whole, fraction = '', exponentText = '0'] = match;
	const exponent = Number(exponentText);
	if (Math.abs(exponent) > MAX_EXPONENT) return null;
	const written = whole + fraction;
	const digits = written.replace(/^0+/, '');
	if (digits === '') return '0';
	const pointAt = whole.length + exponent - (written.length - digits.length);
	const integer = pointAt <= 0 ? '0' : digits.slice(0, pointAt).padEnd(pointAt, '0');
	const decimals = (pointAt < 0 ? '0'.repeat(-pointAt) + digits : digits.slice(pointAt)).replace(
		/0+$/,
		'',
	);
	return `${sign}${integer}${decimals ? `.${decimals}` : ''}`;
}

/** Whether a number written as `text` is certainly the double it parses to, without writing the double out. */
function isShortEnough(text: string): boolean {
	if (/[eE]/.test(text)) return false;
	return text.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length <= EXACT_DIGITS;
}

export class JsonNumbers {
	/** Doubles that some number of the body was rounded to, with the texts that were rounded to each. */
	private rounded: Map<number, Set<string | null>> | undefined;
	private tooManyRounded = false;

	private text: string | undefined;

	/**
	 * `json` is what was parsed, as bytes or text; '' for a delivery whose values are all
	 * strings. Bytes are decoded only when a number is asked for, so an item without JSON
	 * numbers in its summaries costs no copy of a large body.
	 */
	constructor(private readonly json: Buffer | string) {}

	/**
	 * The text `value` was written as, in `plainDecimal` form. Null when the body wrote
	 * different numbers that all parse to `value`, or one that cannot be written out.
	 */
	textOf(value: number): string | null {
		if (!Number.isFinite(value)) return null;
		const rounded = this.roundedNumbers();
		if (this.tooManyRounded) return null;
		const texts = rounded.get(value);
		if (texts === undefined) return plainDecimal(String(value));
		return texts.size === 1 ? [...texts][0] : null;
	}

	/**
	 * Built on the first question only: a delivery whose summaries are all strings never scans
	 * its body. A second pass, only when something was rounded, adds the numbers written
	 * exactly that parse to the same doubles: they make those doubles ambiguous.
	 */
	private roundedNumbers(): Map<number, Set<string | null>> {
		if (this.rounded !== undefined) return this.rounded;
		const rounded = new Map<number, Set<string | null>>();
		this.rounded = rounded;
		for (const token of this.numberTokens()) {
			if (isShortEnough(token)) continue;
			const value = Number(token);
			const text = plainDecimal(token);
			if (text !== null && text === plainDecimal(String(value))) continue;
			rounded.set(value, (rounded.get(value) ?? new Set()).add(text));
			if (rounded.size > MAX_ROUNDED_VALUES) {
				this.tooManyRounded = true;
				return rounded;
			}
		}
		if (rounded.size === 0) return rounded;
		for (const token of this.numberTokens()) rounded.get(Number(token))?.add(plainDecimal(token));
		return rounded;
	}

	private *numberTokens(): Generator<string> {
		this.text ??= typeof this.json === 'string' ? this.json : this.json.toString('utf8');
		for (const [token] of this.text.matchAll(TOKEN)) if (!token.startsWith('"')) yield token;
	}
}
