/**
 * Headless Chromium from the npm package `@sparticuz/chromium`, which ships the browser
 * binary inside the package, so tests need nothing installed by hand and nothing downloaded
 * from a browser CDN. Unpacked once per package version into the harness cache.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { cacheRoot } from '../n8n/install';
import { withInstallLock } from '../n8n/lock';
import { runCommand } from '../n8n/run';

type Log = (line: string) => void;

export interface ChromiumBinary {
	executablePath: string;
	/** Environment for the browser process: its own fontconfig, so text renders on any machine. */
	env: Record<string, string>;
	version: string;
}

const PACKAGE = '@sparticuz/chromium';
// The package exports only its entry point, so its folder is found through node_modules.
const PACKAGE_DIR = path.resolve(__dirname, '..', '..', 'node_modules', ...PACKAGE.split('/'));

/**
 * The Debian packages that provide the shared libraries the binary links against and that a
 * minimal Debian may lack (everything else it needs is linked in statically).
 */
const DEBIAN_PACKAGE_OF_LIBRARY: Record<string, string> = {
	'libnss3.so': 'libnss3',
	'libnssutil3.so': 'libnss3',
	'libnspr4.so': 'libnspr4',
	'libplc4.so': 'libnspr4',
	'libplds4.so': 'libnspr4',
	'libexpat.so.1': 'libexpat1',
};

function packageVersion(): string {
	return (
		JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }
	).version;
}

/**
 * The package is an ES module that unpacks into `os.tmpdir()` (a shared /tmp could hold another
 * version's binary), so it runs in a child process whose TMPDIR is a cache folder of its own.
 */
async function unpack(dir: string): Promise<string> {
	const script = `import chromium from ${JSON.stringify(PACKAGE)}; process.stdout.write(await chromium.executablePath());`;
	const output = await runCommand(process.execPath, ['--input-type=module', '-e', script], {
		cwd: PACKAGE_DIR,
		env: { ...process.env, TMPDIR: dir },
	});
	return output.trim();
}

/** The package's fonts.conf names Lambda's folders; this one names the unpacked fonts and Debian's. */
function writeFontConfig(dir: string, fontConfigDir: string): void {
	mkdirSync(fontConfigDir, { recursive: true });
	const file = path.join(fontConfigDir, 'fonts.conf');
	const folders = [path.join(dir, 'fonts', 'fonts'), '/usr/share/fonts'];
	writeFileSync(
		file,
		[
			'<?xml version="1.0"?>',
			'<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
			'<fontconfig>',
			...folders.map((folder) => `  <dir>${folder}</dir>`),
			`  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>`,
			'</fontconfig>',
			'',
		].join('\n'),
	);
}

/** Shared libraries `ldd` cannot find for the binary. */
function missingLibraries(executablePath: string): string[] {
	const output = execFileSync('ldd', [executablePath], { encoding: 'utf8' });
	return output
		.split('\n')
		.filter((line) => line.includes('=> not found'))
		.map((line) => line.trim().split(/\s+/)[0] ?? '');
}

/**
 * Installs the Debian packages for missing libraries (as root, with apt-get, after
 * `apt-get update`), and says plainly what to install when it cannot.
 */
async function installMissingLibraries(executablePath: string, log: Log): Promise<void> {
	const missing = missingLibraries(executablePath);
	if (missing.length === 0) return;
	const packages = [...new Set(missing.map((library) => DEBIAN_PACKAGE_OF_LIBRARY[library]))];
	const names = packages.filter((name): name is string => name !== undefined);
	if (
		names.length < packages.length ||
		process.getuid?.() !== 0 ||
		!existsSync('/usr/bin/apt-get')
	) {
		throw new Error(
			`Chromium needs shared libraries this machine lacks: ${missing.join(', ')}. ` +
				`On Debian, as root: apt-get update && apt-get install -y ${names.join(' ') || '<the packages providing them>'}`,
		);
	}
	log(`Chromium: installing Debian packages ${names.join(' ')} for ${missing.join(', ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await runCommand('apt-get', ['update'], { cwd: '/', env });
	await runCommand('apt-get', ['install', '-y', '--no-install-recommends', ...names], {
		cwd: '/',
		env,
	});
	const still = missingLibraries(executablePath);
	if (still.length > 0)
		throw new Error(
			`Chromium still misses ${still.join(', ')} after installing ${names.join(' ')}`,
		);
}

/** The unpacked Chromium, unpacking it (~4 s) and installing missing Debian libraries on first use. */
export async function ensureChromium(log: Log = () => undefined): Promise<ChromiumBinary> {
	const version = packageVersion();
	const dir = path.join(cacheRoot(), `chromium-${version}`);
	const executablePath = path.join(dir, 'chromium');
	const fontConfigDir = path.join(dir, 'fontconfig');
	if (!existsSync(path.join(fontConfigDir, 'fonts.conf'))) {
		await withInstallLock(dir, log, async () => {
			if (existsSync(path.join(fontConfigDir, 'fonts.conf'))) return;
			// A half-unpacked binary from an interrupted run would be taken as done by the package.
			rmSync(dir, { recursive: true, force: true });
			mkdirSync(dir, { recursive: true });
			log(`Chromium ${version}: unpacking ${PACKAGE} into ${dir}`);
			const unpacked = await unpack(dir);
			if (unpacked !== executablePath)
				throw new Error(`${PACKAGE} unpacked to ${unpacked}, expected ${executablePath}`);
			writeFontConfig(dir, fontConfigDir);
		});
	}
	await installMissingLibraries(executablePath, log);
	return { executablePath, env: { FONTCONFIG_PATH: fontConfigDir }, version };
}
