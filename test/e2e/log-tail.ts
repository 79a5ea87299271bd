import type { N8nInstance } from '../../tools/n8n/instance';

/** After a test with a failed assertion, print the end of n8n's log: the first thing to read. */
export function printLogTailOnFailure(instance: () => N8nInstance | undefined): void {
	afterEach(() => {
		const state = expect.getState();
		const n8n = instance();
		if (n8n && state.assertionCalls > state.numPassingAsserts) {
			console.log(`n8n ${n8n.version} log tail:\n${n8n.logTail(60)}`);
		}
	});
}
