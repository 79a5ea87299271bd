import { staysQuiet, type ExecutionSummary } from '../../tools/n8n/executions';

const execution = (id: string): ExecutionSummary => ({
	id,
	status: 'success',
	finished: true,
	mode: 'webhook',
	startedAt: new Date().toISOString(),
	stoppedAt: new Date().toISOString(),
	itemsByNode: {},
});

/** A list of executions that gains one `after` ms from now, as n8n lists a run that starts late. */
function listGainingOneAfter(after: number) {
	const start = Date.now();
	return async () => (Date.now() - start >= after ? [execution('late')] : []);
}

describe('staysQuiet', () => {
	it('fails when a run appears during the quiet period, however late in it', async () => {
		await expect(staysQuiet(listGainingOneAfter(800), [], 1_200, (found) => found)).rejects.toThrow(
			'expected no more than 0 executions, but 1 appeared within a 1200 ms quiet period',
		);
	});

	it('waits the whole quiet period before it passes', async () => {
		const started = Date.now();
		expect(await staysQuiet(listGainingOneAfter(5_000), [], 1_000, (found) => found)).toEqual([]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
	});
});
