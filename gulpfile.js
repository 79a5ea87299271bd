const { rmSync } = require('fs');
const { src, dest } = require('gulp');

// tsc never deletes output, so files of removed sources would otherwise ship in the tarball.
async function clean() {
	rmSync('dist', { recursive: true, force: true });
}

// tsc emits only JavaScript; the icons and codex files n8n loads beside each node
// and credential are copied into dist/ at the same relative paths.
function buildIcons() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports.clean = clean;
exports['build:icons'] = buildIcons;
