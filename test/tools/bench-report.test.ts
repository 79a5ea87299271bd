import { CHART_TITLE, ratioChart, RunIndex, TITLE_FONT_SIZE } from '../../tools/bench/report';
import type { BenchRun, CellTotals } from '../../tools/bench/run';
import { SCENARIOS, VERSION_PROBE, type TargetName } from '../../tools/bench/scenarios';

/** A run where the probe answers `probeRate` requests per second and A and B answer 100. */
function runWithProbeAt(probeRate: number): BenchRun {
	const cells: CellTotals[] = [];
	for (const scenario of SCENARIOS) {
		for (const connections of [1, 8]) {
			for (const target of ['A', 'B', VERSION_PROBE] as TargetName[]) {
				const rate = target === VERSION_PROBE ? probeRate : 100;
				cells.push({
					engine: 'vm',
					target,
					scenario,
					connections,
					requests: rate,
					wrong: 0,
					wrongExamples: [],
					errors: 0,
					elapsedMs: 1000,
					executionsExpected: 0,
					executionsCounted: 0,
					isolates: 0,
					latenciesMs: [1],
				});
			}
		}
	}
	return { cells, startedAt: new Date(0), finishedAt: new Date(1000) };
}

const tickX = (svg: string, label: string) => {
	const match = new RegExp(`<text x="([\\d.]+)"[^>]*>${label}</text>`).exec(svg);
	if (!match) throw new Error(`no tick labelled ${label}`);
	return Number(match[1]);
};

describe('the ratio chart', () => {
	// Up to 6× the grid has a tick at every whole ratio; past it, every second one, so none at 1×.
	it.each([3, 23])(
		'draws the 1× line where the probe is as fast as A or B (probe at %d×)',
		(ratio) => {
			const svg = ratioChart(new RunIndex(runWithProbeAt(100 * ratio)));
			const parity = (tickX(svg, '0×') + tickX(svg, '2×')) / 2;
			const line = /<line class="parity" x1="([\d.]+)"[^>]*stroke="#333"/.exec(svg);
			expect(Number(line?.[1])).toBeCloseTo(parity, 6);
		},
	);

	it('labels each bar with its ratio', () => {
		const svg = ratioChart(new RunIndex(runWithProbeAt(2300)));
		expect(svg.match(/>23\.00</g)).toHaveLength(SCENARIOS.length * 4);
	});

	it('has room for its title (bold sans-serif averages about 0.6 em a character)', () => {
		const svg = ratioChart(new RunIndex(runWithProbeAt(100)));
		const width = Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
		expect(10 + CHART_TITLE.length * TITLE_FONT_SIZE * 0.6).toBeLessThan(width);
	});
});
