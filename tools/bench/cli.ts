/**
 * `npm run bench`: the whole bench (three engine settings; the DIY workflow, Webhook → No-Op,
 * the RevOps Trigger in four variants and a node:http floor; three kinds of request; 1 and 8
 * clients) and the node's own cost inside n8n-core, written to docs/benchmarks.md and
 * docs/benchmarks.svg. Takes 20 to 25 minutes on 2 shared cores.
 * Options: --engines=vm,lazy,legacy --rounds=3 --seconds=4 --out=docs --no-write
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { packPackage } from '../n8n/package';
import { stopAll } from '../n8n/instance';
import { benchmarksMarkdown, type BenchSource } from './document';
import { runMicrobench } from './micro';
import { problems, ratioChart, RunIndex } from './report';
import { ENGINES, runBench, type EngineName } from './run';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function option(name: string, fallback: string): string {
	const prefix = `--${name}=`;
	return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

/** The commit the bench runs from, read before it starts, so the page can say what it measured. */
function benchSource(): BenchSource {
	const git = (...args: string[]) =>
		execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
	return {
		commit: git('rev-parse', '--short', 'HEAD'),
		changed: git('status', '--porcelain') !== '',
	};
}

async function main(): Promise<void> {
	const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);
	const engines = option('engines', ENGINES.join(',')).split(',') as EngineName[];
	const unknown = engines.filter((engine) => !ENGINES.includes(engine));
	if (unknown.length > 0)
		throw new Error(`unknown engine setting(s) ${unknown.join(', ')}; use ${ENGINES.join(', ')}`);
	const settings = {
		rounds: Number(option('rounds', '3')),
		cellSeconds: Number(option('seconds', '4')),
	};
	const outDir = path.resolve(REPO_ROOT, option('out', 'docs'));

	const source = benchSource();
	log(`commit ${source.commit}${source.changed ? ' with uncommitted changes' : ''}`);
	log('microbenchmark of webhook() in n8n-core');
	const micro = await runMicrobench({ log });
	log('packing the package');
	const tarball = await packPackage(REPO_ROOT);
	const run = await runBench({
		tarball,
		engines,
		...settings,
		connections: [1, 8],
		minRequestsPerConnection: 3,
		warmUpRequests: 3,
		log,
	});
	const found = problems(run);
	for (const problem of found) log(`PROBLEM ${problem}`);

	const markdown = benchmarksMarkdown(run, micro, settings, source);
	process.stdout.write(`\n${markdown}\n`);
	if (!process.argv.includes('--no-write')) {
		mkdirSync(outDir, { recursive: true });
		writeFileSync(path.join(outDir, 'benchmarks.md'), markdown);
		writeFileSync(path.join(outDir, 'benchmarks.svg'), ratioChart(new RunIndex(run)));
		log(`wrote ${path.relative(REPO_ROOT, outDir)}/benchmarks.md and benchmarks.svg`);
	}
	if (found.length > 0) process.exitCode = 1;
}

main()
	.catch((error: unknown) => {
		process.stderr.write(
			`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exitCode = 1;
	})
	.finally(() => void stopAll());
