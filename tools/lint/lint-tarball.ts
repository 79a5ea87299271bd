/**
 * Lints what users install: packs the package, unpacks the tarball, checks what it holds
 * (tarball-contents.ts) and runs n8n's community-node rules over its dist/ and package.json,
 * the way n8n's package scanner does (inline eslint-disable comments are not honoured).
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

import { NODE_FILE, nodeVersions } from '../schema/output-schema';
import { tarballProblems } from './tarball-contents';

const repoRoot = join(__dirname, '..', '..');

async function main(): Promise<number> {
	const workDir = mkdtempSync(join(tmpdir(), 'revops-lint-'));
	try {
		execFileSync('npm', ['pack', '--silent', '--pack-destination', workDir], {
			cwd: repoRoot,
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		const tarball = readdirSync(workDir).find((file) => file.endsWith('.tgz'));
		if (!tarball) throw new Error('npm pack produced no tarball');
		execFileSync('tar', ['-xzf', join(workDir, tarball), '-C', workDir]);
		const packageDir = join(workDir, 'package');
		const files = execFileSync('tar', ['-tzf', join(workDir, tarball)], { encoding: 'utf8' })
			.trim()
			.split('\n')
			.map((file) => file.replace(/^package\//, ''));
		const contentProblems = tarballProblems({
			files,
			n8n: JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).n8n ?? {},
			read: (path) => readFileSync(join(packageDir, path), 'utf8'),
			nodeVersions: { [NODE_FILE]: nodeVersions() },
		});
		for (const problem of contentProblems) console.log(`tarball ${tarball}: ${problem}`);
		const eslint = new ESLint({
			cwd: packageDir,
			overrideConfigFile: true,
			overrideConfig: [
				{ linterOptions: { noInlineConfig: true } },
				// The package.json rules walk it as an object expression, which this parser gives.
				{ files: ['package.json'], languageOptions: { parser: tseslint.parser } },
				n8nCommunityNodesPlugin.configs.recommended,
			],
		});
		const results = await eslint.lintFiles(['dist/**/*.js', 'package.json']);
		const formatter = await eslint.loadFormatter('stylish');
		const report = await formatter.format(results);
		const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
		const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
		if (report) console.log(report);
		console.log(
			`tarball ${tarball}: ${files.length} files, ${contentProblems.length} content problems, ${results.length} linted, ${errors} errors, ${warnings} warnings`,
		);
		return errors === 0 && contentProblems.length === 0 ? 0 : 1;
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
