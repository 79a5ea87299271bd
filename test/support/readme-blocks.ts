/**
 * The README's text and its code blocks, for tests that do exactly what the README tells users
 * to do.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

/** The README as users read it; every test that checks what it says reads it from here. */
export const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The first fenced block of `language` after `marker` in the README, without its fences. */
export function readmeBlock(marker: string, language: string): string {
	const markerAt = README.indexOf(marker);
	const fence = `\`\`\`${language}\n`;
	const start = markerAt < 0 ? -1 : README.indexOf(fence, markerAt);
	if (start < 0) throw new Error(`README.md has no ${language} block after ${marker}`);
	return README.slice(start + fence.length, README.indexOf('```', start + 1));
}

/** The first ```sh block after `marker` in the README, without its fences. */
export function readmeShellBlock(marker: string): string {
	return readmeBlock(marker, 'sh');
}

/** A block of `NAME=value` lines as an environment; single quotes around a value are dropped. */
export function readmeEnvironment(marker: string): Record<string, string> {
	return Object.fromEntries(
		readmeShellBlock(marker)
			.split('\n')
			.filter((line) => line.includes('='))
			.map((line) => {
				const [name, ...value] = line.split('=');
				return [
					name.trim(),
					value
						.join('=')
						.trim()
						.replace(/^'(.*)'$/, '$1'),
				];
			}),
	);
}
