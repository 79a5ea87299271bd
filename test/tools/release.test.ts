import {
	distTag,
	githubRepositoryOf,
	releaseRefusals,
	type ReleaseContext,
} from '../../tools/release/check';

const onTag: ReleaseContext = {
	refType: 'tag',
	refName: 'v0.2.0',
	repository: 'n8n-nodes-revops/n8n-nodes-revops',
	packageVersion: '0.2.0',
	packageRepository: {
		type: 'git',
		url: 'git+https://github.com/n8n-nodes-revops/n8n-nodes-revops.git',
	},
	changelog:
		'# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2026-12-01\n\n### Added\n\n- Something\n\n## [0.1.0] - 2026-11-30\n',
};

describe('githubRepositoryOf', () => {
	it.each([
		'git+https://github.com/n8n-nodes-revops/n8n-nodes-revops.git',
		'https://github.com/n8n-nodes-revops/n8n-nodes-revops',
		'https://github.com/N8N-Nodes-RevOps/n8n-nodes-revops/',
		'git://github.com/n8n-nodes-revops/n8n-nodes-revops.git',
		'git+ssh://git@github.com/n8n-nodes-revops/n8n-nodes-revops.git',
		'git@github.com:n8n-nodes-revops/n8n-nodes-revops.git',
		'github:n8n-nodes-revops/n8n-nodes-revops',
		'n8n-nodes-revops/n8n-nodes-revops',
	])('reads owner/name from %s', (url) => {
		expect(githubRepositoryOf(url)).toBe('n8n-nodes-revops/n8n-nodes-revops');
	});

	it.each([
		'https://gitlab.com/n8n-nodes-revops/n8n-nodes-revops.git',
		'https://github.com/n8n-nodes-revops',
		'https://github.com.evil.example/n8n-nodes-revops/n8n-nodes-revops',
		'',
	])('names no GitHub repository in %j', (url) => {
		expect(githubRepositoryOf(url)).toBeNull();
	});
});

describe('releaseRefusals', () => {
	it('lets a tag equal to v + package.json version publish from the named repository', () => {
		expect(releaseRefusals(onTag)).toEqual([]);
	});

	it.each(['v0.2.1', '0.2.0', 'v0.2.0-rc.1'])('refuses the tag %s for version 0.2.0', (refName) => {
		const refusals = releaseRefusals({ ...onTag, refName });
		expect(refusals).toHaveLength(1);
		expect(refusals[0]).toContain(`The tag ${refName} is not package.json's version 0.2.0`);
	});

	it('refuses a fork or a renamed repository that package.json does not name', () => {
		const refusals = releaseRefusals({ ...onTag, repository: 'someone/n8n-nodes-revops' });
		expect(refusals).toEqual([expect.stringContaining('does not name someone/n8n-nodes-revops')]);
	});

	it('accepts a repository named as a plain string, whatever its letter case', () => {
		expect(
			releaseRefusals({
				...onTag,
				repository: 'N8N-Nodes-RevOps/n8n-nodes-revops',
				packageRepository: 'github:n8n-nodes-revops/n8n-nodes-revops',
			}),
		).toEqual([]);
	});

	it.each([undefined, {}, { url: 42 }])(
		'refuses a package.json whose repository is %j',
		(packageRepository) => {
			expect(releaseRefusals({ ...onTag, packageRepository })).toEqual([
				expect.stringContaining('does not name'),
			]);
		},
	);

	it('refuses to publish from a branch', () => {
		expect(releaseRefusals({ ...onTag, refType: 'branch', refName: 'main' })).toEqual([
			expect.stringContaining('Publishing runs from a version tag, not the branch main'),
		]);
	});
});

describe('releaseRefusals and the changelog', () => {
	it('refuses a version that CHANGELOG.md has no section for', () => {
		const changelog = '# Changelog\n\n## [Unreleased]\n\n- Something\n\n## [0.1.0] - 2026-11-30\n';
		expect(releaseRefusals({ ...onTag, changelog })).toEqual([
			expect.stringContaining('CHANGELOG.md has no "## [0.2.0] - YYYY-MM-DD" section'),
		]);
	});

	it('does not take a longer version for this one', () => {
		const changelog = '## [0.2.0-rc.1] - 2026-11-30\n## [10.2.0] - 2026-11-30\n';
		expect(releaseRefusals({ ...onTag, changelog })).toHaveLength(1);
	});
});

describe('distTag', () => {
	it('publishes releases as latest and pre-releases as next', () => {
		expect(distTag('1.2.3')).toBe('latest');
		expect(distTag('1.3.0-rc.1')).toBe('next');
	});
});
