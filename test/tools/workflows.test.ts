import { readFileSync } from 'fs';
import { join } from 'path';

import { lintWorkflow, WORKFLOWS_DIR } from '../../tools/lint/workflows';

const PUBLISH = join(WORKFLOWS_DIR, 'publish.yml');
const CI = join(WORKFLOWS_DIR, 'ci.yml');

/** The workflow with one passage replaced; fails if the passage is not in it. */
function broken(path: string, passage: string, replacement: string): string {
	const source = readFileSync(path, 'utf8');
	expect(source).toContain(passage);
	return source.replace(passage, replacement);
}

// `npm run lint:workflows` checks the committed workflows; these show that the same check fails
// a broken one.
describe('actionlint on the workflows', () => {
	it('reports a misspelt permission on the publish job', async () => {
		const problems = await lintWorkflow(
			PUBLISH,
			broken(PUBLISH, 'id-token: write', 'id-token: writ'),
		);
		expect(problems.map((problem) => problem.kind)).toContain('permissions');
	});

	it('reports a step output that no step sets', async () => {
		const problems = await lintWorkflow(
			PUBLISH,
			broken(PUBLISH, 'steps.release.outputs.dist-tag', 'steps.relase.outputs.dist-tag'),
		);
		expect(problems.map((problem) => problem.kind)).toContain('expression');
	});

	it('reports an input the workflow does not declare', async () => {
		const problems = await lintWorkflow(
			PUBLISH,
			broken(PUBLISH, 'inputs.dry-run == true }}', 'inputs.dryrun == true }}'),
		);
		expect(problems.map((problem) => problem.kind)).toContain('expression');
	});

	it('reports an unknown input of a popular action in the CI workflow', async () => {
		const problems = await lintWorkflow(CI, broken(CI, 'node-version: 20', 'node-versions: 20'));
		expect(problems.map((problem) => problem.kind)).toContain('action');
	});
});
