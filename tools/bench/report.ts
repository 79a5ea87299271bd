/**
 * Turns a bench run into what docs/benchmarks.md shows: one table per engine setting and an SVG
 * chart of the ratios.
 */
import { ENGINE_LABELS, type BenchRun, type CellTotals, type EngineName } from './run';
import {
	PROBE_SCENARIOS,
	SCENARIOS,
	TARGET_LABELS,
	TARGETS,
	VERSION_PROBE,
	type ScenarioName,
	type TargetName,
} from './scenarios';

export interface CellFigures {
	rate: number;
	p50: number;
	p99: number;
	executions: number;
}

function percentile(values: number[], fraction: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

export function figures(cell: CellTotals): CellFigures {
	return {
		rate: (cell.requests / cell.elapsedMs) * 1000,
		p50: percentile(cell.latenciesMs, 0.5),
		p99: percentile(cell.latenciesMs, 0.99),
		executions: cell.executionsCounted,
	};
}

/** Looks cells up by engine, target, scenario and clients. */
export class RunIndex {
	constructor(readonly run: BenchRun) {}

	cell(
		engine: EngineName,
		target: TargetName,
		scenario: ScenarioName,
		connections: number,
	): CellTotals | undefined {
		return this.run.cells.find(
			(cell) =>
				cell.engine === engine &&
				cell.target === target &&
				cell.scenario === scenario &&
				cell.connections === connections,
		);
	}

	rate(
		engine: EngineName,
		target: TargetName,
		scenario: ScenarioName,
		connections: number,
	): number {
		const cell = this.cell(engine, target, scenario, connections);
		return cell ? figures(cell).rate : Number.NaN;
	}

	ratio(
		engine: EngineName,
		top: TargetName,
		bottom: TargetName,
		scenario: ScenarioName,
		connections: number,
	): number {
		return (
			this.rate(engine, top, scenario, connections) /
			this.rate(engine, bottom, scenario, connections)
		);
	}

	get engines(): EngineName[] {
		return [...new Set(this.run.cells.map((cell) => cell.engine))];
	}

	get connections(): number[] {
		return [...new Set(this.run.cells.map((cell) => cell.connections))].sort((a, b) => a - b);
	}
}

const fixed = (value: number, digits: number) =>
	Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
const rateText = (value: number) => fixed(value, value >= 100 ? 0 : 1);
const ratioText = (value: number) => `${fixed(value, 2)}×`;

/** Problems the run found: wrong answers, connection errors, executions that differ from the expected count. */
export function problems(run: BenchRun): string[] {
	return run.cells.flatMap((cell) => {
		const where = `${cell.engine} ${cell.target} ${cell.scenario} ${cell.connections} client(s)`;
		const found: string[] = [];
		if (cell.wrong > 0)
			found.push(`${where}: ${cell.wrong} wrong answers, e.g. ${cell.wrongExamples.join(' | ')}`);
		if (cell.errors > 0) found.push(`${where}: ${cell.errors} connection errors or timeouts`);
		if (cell.executionsCounted !== cell.executionsExpected) {
			found.push(
				`${where}: ${cell.executionsCounted} executions, expected ${cell.executionsExpected}`,
			);
		}
		return found;
	});
}

export function engineTable(index: RunIndex, engine: EngineName): string {
	const header =
		'| requests | clients | A req/s | B req/s | C req/s | F req/s | C/A | C/B | F/C | p50 ms A / B / C / F | p99 ms A / B / C / F | executions A / B / C | isolates per request A / B / C |';
	const rule = `|${' --- |'.repeat(13)}`;
	const rows: string[] = [];
	for (const scenario of SCENARIOS) {
		for (const connections of index.connections) {
			const cells = TARGETS.map((target) => index.cell(engine, target, scenario, connections));
			const figs = cells.map((cell) => (cell ? figures(cell) : undefined));
			const rates = figs.map((fig) => rateText(fig?.rate ?? Number.NaN));
			const p50 = figs.map((fig) => fixed(fig?.p50 ?? Number.NaN, 0)).join(' / ');
			const p99 = figs.map((fig) => fixed(fig?.p99 ?? Number.NaN, 0)).join(' / ');
			const runs = cells
				.slice(0, 3)
				.map((cell) => (cell ? `${cell.executionsCounted}/${cell.requests}` : 'n/a'))
				.join(' / ');
			const isolates = cells
				.slice(0, 3)
				.map((cell) => (cell ? fixed(cell.isolates / cell.requests, 1) : 'n/a'))
				.join(' / ');
			rows.push(
				`| ${scenario} | ${connections} | ${rates.join(' | ')} | ${ratioText(index.ratio(engine, 'C', 'A', scenario, connections))} | ` +
					`${ratioText(index.ratio(engine, 'C', 'B', scenario, connections))} | ${ratioText(index.ratio(engine, 'F', 'C', scenario, connections))} | ${p50} | ${p99} | ${runs} | ${isolates} |`,
			);
		}
	}
	return [`### ${ENGINE_LABELS[engine]}`, '', header, rule, ...rows].join('\n');
}

const escapeXml = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const CHART_TITLE =
	'Throughput of the RevOps Trigger 1.1 (D) relative to DIY (A) and Webhook → No-Op (B)';
export const TITLE_FONT_SIZE = 13;

/**
 * The chart in docs/benchmarks.svg: the RevOps Trigger at node version 1.1, the version new
 * workflows get (target D), against the DIY workflow (A) and n8n's Webhook → No-Op (B), with
 * the 1× line where it is as fast as they are.
 */
export function ratioChart(index: RunIndex): string {
	const series = index.connections.flatMap((connections) =>
		(['A', 'B'] as const).map((bottom) => ({
			bottom,
			connections,
			color: seriesColor(bottom, connections),
		})),
	);
	const barHeight = 9;
	const groupGap = 10;
	const labelWidth = 250;
	const plotWidth = 460;
	const groups = index.engines.flatMap((engine) =>
		SCENARIOS.map((scenario) => ({ engine, scenario })),
	);
	const values = groups.flatMap(({ engine, scenario }) =>
		series.map(({ bottom, connections }) =>
			index.ratio(engine, VERSION_PROBE, bottom, scenario, connections),
		),
	);
	const maxValue = Math.max(2, ...values.filter(Number.isFinite).map((value) => Math.ceil(value)));
	const x = (value: number) => labelWidth + (Math.min(value, maxValue) / maxValue) * plotWidth;
	const groupHeight = series.length * barHeight + groupGap;
	const top = 40;
	const height = top + groups.length * groupHeight + 50;
	const width = labelWidth + plotWidth + 60;
	const parts: string[] = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
		`<rect width="${width}" height="${height}" fill="#ffffff"/>`,
		`<text x="10" y="18" font-size="${TITLE_FONT_SIZE}" font-weight="bold">${CHART_TITLE}</text>`,
	];
	for (let tick = 0; tick <= maxValue; tick += maxValue > 6 ? 2 : 1) {
		parts.push(
			`<line x1="${x(tick)}" y1="${top - 6}" x2="${x(tick)}" y2="${height - 40}" stroke="#ddd"/>`,
		);
		parts.push(`<text x="${x(tick)}" y="${height - 28}" text-anchor="middle">${tick}×</text>`);
	}
	// Drawn apart from the grid: past 6× the grid steps by 2 and has no tick at 1.
	parts.push(
		`<line class="parity" x1="${x(1)}" y1="${top - 6}" x2="${x(1)}" y2="${height - 40}" stroke="#333" stroke-width="1.5"/>`,
		`<text x="${x(1) + 4}" y="${top - 10}" font-size="10">1× = as fast as A or B; right of it, faster</text>`,
	);
	groups.forEach(({ engine, scenario }, groupIndex) => {
		const y0 = top + groupIndex * groupHeight;
		parts.push(
			`<text x="${labelWidth - 8}" y="${y0 + (series.length * barHeight) / 2 + 4}" text-anchor="end">${escapeXml(`${engine}: ${scenario}`)}</text>`,
		);
		series.forEach(({ bottom, connections, color }, seriesIndex) => {
			const value = index.ratio(engine, VERSION_PROBE, bottom, scenario, connections);
			if (!Number.isFinite(value)) return;
			const y = y0 + seriesIndex * barHeight;
			parts.push(
				`<rect x="${labelWidth}" y="${y}" width="${x(value) - labelWidth}" height="${barHeight - 1}" fill="${color}"/>`,
			);
			parts.push(
				`<text x="${x(value) + 3}" y="${y + barHeight - 1}" font-size="9">${value.toFixed(2)}</text>`,
			);
		});
	});
	const legendY = height - 12;
	series.forEach(({ bottom, connections, color }, seriesIndex) => {
		const lx = 10 + seriesIndex * 170;
		parts.push(`<rect x="${lx}" y="${legendY - 9}" width="10" height="10" fill="${color}"/>`);
		parts.push(
			`<text x="${lx + 14}" y="${legendY}">${VERSION_PROBE}/${bottom}, ${connections} client${connections === 1 ? '' : 's'}</text>`,
		);
	});
	parts.push('</svg>');
	return `${parts.join('\n')}\n`;
}

function seriesColor(bottom: 'A' | 'B', connections: number): string {
	if (bottom === 'A') return connections === 1 ? '#1f6feb' : '#79b8ff';
	return connections === 1 ? '#d1242f' : '#ff9492';
}

export function targetLegend(): string {
	return [...TARGETS, ...(Object.keys(PROBE_SCENARIOS) as TargetName[])]
		.map((target) => `- **${TARGET_LABELS[target]}**`)
		.join('\n');
}
