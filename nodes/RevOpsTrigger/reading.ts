/**
 * What the readers of one delivery share. Warnings travel with the item: a field the trigger
 * only summarises and could not read is named there instead of making the trigger refuse a
 * delivery RevOps would then lose. JSON numbers are read as the text they were written as.
 */
import type { JsonNumbers } from './json-numbers';

/** Warning lines an item lists; the rest are counted, so a hostile body cannot grow the item without bound. */
export const MAX_LISTED_WARNINGS = 20;

export class Reading {
	private readonly listed: string[] = [];
	private unlisted = 0;

	constructor(private readonly numbers: JsonNumbers) {}

	warn(line: string): void {
		if (this.listed.length < MAX_LISTED_WARNINGS) this.listed.push(line);
		else this.unlisted += 1;
	}

	/** The item's `warnings`: the first lines as written, then one line counting the rest. */
	warnings(): string[] {
		if (this.unlisted === 0) return [...this.listed];
		return [...this.listed, `... and ${this.unlisted} more warnings like these, not listed`];
	}

	/** The decimal text a JSON number was written as, or null when the body does not say it exactly. */
	numberText(value: number): string | null {
		return this.numbers.textOf(value);
	}
}
