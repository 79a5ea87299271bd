/**
 * The README's Troubleshooting section, which quotes n8n's answers and log lines word for word
 * with `<id>` for a webhook or workflow id: the end-to-end tests that reproduce each entry check
 * that what n8n said is quoted there.
 */
import { README } from './readme-blocks';

const START = README.indexOf('\n## Troubleshooting\n');
const TROUBLESHOOTING = START < 0 ? '' : README.slice(START, README.indexOf('\n## ', START + 1));

/** Fails unless the section quotes `observed`, with each of `ids` written as `<id>`. */
export function expectQuoted(observed: string, ...ids: string[]): void {
	expect(observed.trim()).not.toBe('');
	const quoted = ids.reduce((text, id) => text.split(id).join('<id>'), observed);
	expect(TROUBLESHOOTING).toContain(quoted);
}
