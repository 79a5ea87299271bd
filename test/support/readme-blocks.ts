/**
 * The README's shell blocks, for tests that do exactly what the README tells users to do.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The first ```sh block after `marker` in the README, without its fences. */
export function readmeShellBlock(marker: string): string {
	const start = README.indexOf('```sh\n', README.indexOf(marker));
	if (README.indexOf(marker) < 0 || start < 0)
		throw new Error(`README.md has no sh block after ${marker}`);
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
