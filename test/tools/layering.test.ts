import { readdirSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

const ROOT = resolve(__dirname, '../..');

function typescriptFiles(folder: string): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) return typescriptFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

/** Relative module specifiers of static imports, re-exports, import() and require(). */
function relativeImports(source: string): string[] {
	const specifiers = source.matchAll(
		/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)'(\.[^']*)'/g,
	);
	return [...specifiers].map((match) => match[1]);
}

// Tests may use the dev tooling; tooling that imports tests breaks when a test helper changes.
describe('tools/', () => {
	it.each(typescriptFiles(join(ROOT, 'tools')).map((file) => relative(ROOT, file)))(
		'%s imports nothing from test/',
		(file) => {
			const fromTest = relativeImports(readFileSync(join(ROOT, file), 'utf8')).filter((specifier) =>
				relative(ROOT, resolve(ROOT, dirname(file), specifier)).startsWith('test/'),
			);
			expect(fromTest).toEqual([]);
		},
	);
});
