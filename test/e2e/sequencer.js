/**
 * The order Jest starts test files in. The end-to-end files run on two workers, so the longest
 * start first (queue mode: a whole set of n8n processes and the trigger suite, a fifth of the
 * e2e time; the installer: two n8n versions and queue mode installing from the registry; the
 * scale-out crash matrix), and the others fill in behind them. Left to its default,
 * Jest orders a checkout it has not timed yet by file size, which can start them last.
 */
const Sequencer = require('@jest/test-sequencer').default;

const LONGEST_FIRST = ['queue.e2e.test.ts', 'installer.e2e.test.ts', 'scale-out.e2e.test.ts'];

class LongestFirst extends Sequencer {
	sort(tests) {
		const rank = (test) => {
			const index = LONGEST_FIRST.findIndex((name) => test.path.endsWith(`/${name}`));
			return index === -1 ? LONGEST_FIRST.length : index;
		};
		// Array.prototype.sort is stable: within a rank, Jest's own order stays.
		return [...super.sort(tests)].sort((a, b) => rank(a) - rank(b));
	}
}

module.exports = LongestFirst;
