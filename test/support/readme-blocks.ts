/**
 * The README's text and its shell blocks, for tests that do exactly what the README tells users
 * to do.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

/** The README as users read it; every test that checks what it says reads it from here. */
export const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The first ```sh block after `marker` in the README, without its fences. */
export function readmeShellBlock(marker: string): string {
	const markerAt = README.indexOf(marker);
	const start = markerAt < 0 ? -1 : README.indexOf('```sh\n', markerAt);
	if (start < 0) throw new Error(`README.md has no sh block after ${marker}`);
	return README.slice(start + '```sh\n'.length, README.indexOf('```', start + 1));
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
