/**
 * The publish workflow's gate: refuses to publish unless the tag is package.json's version,
 * package.json's repository.url names the GitHub repository the workflow runs in (npm's
 * provenance statement and n8n's package checks both tie the package to that repository), and
 * CHANGELOG.md has a section for the version. Writes the npm dist-tag to $GITHUB_OUTPUT.
 */
import { appendFileSync, readFileSync } from 'fs';
import { join } from 'path';

export interface ReleaseContext {
	/** `tag` or `branch` (GitHub's github.ref_type). */
	refType: string;
	/** The tag or branch name (github.ref_name), e.g. `v0.2.0`. */
	refName: string;
	/** `owner/name` of the repository the workflow runs in (github.repository). */
	repository: string;
	packageVersion: string;
	/** package.json's repository: a string or `{ url }`. */
	packageRepository: unknown;
	/** CHANGELOG.md's text. */
	changelog: string;
}

/** `owner/name` (lower case) of a GitHub repository URL in any form npm accepts, or null. */
export function githubRepositoryOf(url: string): string | null {
	const match =
		/^github:([^/\s]+)\/([^/\s#]+?)(?:\.git)?$/i.exec(url) ??
		/^(?:git\+)?(?:https?|ssh|git):\/\/(?:[^@/]+@)?github\.com[/:]([^/\s]+)\/([^/\s#]+?)(?:\.git)?\/?(?:#.*)?$/i.exec(
			url,
		) ??
		/^git@github\.com:([^/\s]+)\/([^/\s#]+?)(?:\.git)?$/i.exec(url) ??
		/^([A-Za-z0-9][\w.-]*)\/([\w.-]+?)$/.exec(url);
	return match ? `${match[1]}/${match[2]}`.toLowerCase() : null;
}

/** Why this run must not publish; empty when it may. */
export function releaseRefusals(context: ReleaseContext): string[] {
	const refusals: string[] = [];
	if (context.refType === 'tag') {
		if (context.refName !== `v${context.packageVersion}`) {
			refusals.push(
				`The tag ${context.refName} is not package.json's version ${context.packageVersion}: tag the commit v${context.packageVersion}, or set "version" to the tag without its "v".`,
			);
		}
	} else {
		refusals.push(
			`Publishing runs from a version tag, not the ${context.refType} ${context.refName}: push the tag v${context.packageVersion}.`,
		);
	}
	const url =
		typeof context.packageRepository === 'string'
			? context.packageRepository
			: ((context.packageRepository as { url?: unknown } | undefined)?.url ?? '');
	const named = typeof url === 'string' ? githubRepositoryOf(url) : null;
	if (named !== context.repository.toLowerCase()) {
		refusals.push(
			`package.json's repository.url (${JSON.stringify(url)}) does not name ${context.repository}, where this workflow runs: set it to "git+https://github.com/${context.repository}.git".`,
		);
	}
	const heading = `## [${context.packageVersion}]`;
	if (
		!context.changelog
			.split('\n')
			.some((line) => line.startsWith(`${heading} `) || line === heading)
	) {
		refusals.push(
			`CHANGELOG.md has no "${heading} - YYYY-MM-DD" section: move the Unreleased entries under it before tagging.`,
		);
	}
	return refusals;
}

/** Pre-releases (1.0.0-rc.1) go to `next`, so that `npm install n8n-nodes-revops` and n8n keep getting the last stable release. */
export function distTag(version: string): 'latest' | 'next' {
	return version.includes('-') ? 'next' : 'latest';
}

function main(): number {
	const repoRoot = join(__dirname, '..', '..');
	const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
		name: string;
		version: string;
		repository?: unknown;
	};
	const context: ReleaseContext = {
		refType: process.env.REF_TYPE ?? '',
		refName: process.env.REF_NAME ?? '',
		repository: process.env.REPOSITORY ?? '',
		packageVersion: packageJson.version,
		packageRepository: packageJson.repository,
		changelog: readFileSync(join(repoRoot, 'CHANGELOG.md'), 'utf8'),
	};
	// A dry run publishes nothing, so it only reports what a real run would refuse.
	const dryRun = process.env.DRY_RUN === 'true';
	const refusals = releaseRefusals(context);
	for (const refusal of refusals) console.log(`::${dryRun ? 'warning' : 'error'}::${refusal}`);
	if (refusals.length > 0 && !dryRun) return 1;
	const tag = distTag(packageJson.version);
	if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `dist-tag=${tag}\n`);
	console.log(
		`${dryRun ? 'Dry run: would publish' : 'Publishing'} ${packageJson.name}@${packageJson.version} from ${context.repository} under the npm tag "${tag}"`,
	);
	return 0;
}

if (require.main === module) process.exit(main());
