import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * The reaper's program, run by plain Node. It reads "watch <pgid>", "forget <pgid>" and
 * "remove <folder>" lines on stdin. When stdin closes (the harness process ended, however it
 * ended), it stops the groups still watched (SIGTERM, SIGKILL after 5 s) and removes the
 * folders.
 */
const REAPER_PROGRAM = `
const { rmSync } = require('node:fs');
const groups = new Set();
const folders = new Set();
const signal = (pgid, name) => { try { process.kill(-pgid, name); return true; } catch { return false; } };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitUntilGone(ms) {
  const deadline = Date.now() + ms;
  while ([...groups].some((pgid) => signal(pgid, 0)) && Date.now() < deadline) await sleep(100);
}
let partial = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (partial + chunk).split('\\n');
  partial = lines.pop();
  for (const line of lines) {
    const [verb, ...rest] = line.split(' ');
    const argument = rest.join(' ');
    if (verb === 'watch') groups.add(Number(argument));
    if (verb === 'forget') groups.delete(Number(argument));
    if (verb === 'remove') folders.add(argument);
  }
});
process.stdin.on('error', () => undefined);
process.stdin.on('close', async () => {
  for (const pgid of groups) signal(pgid, 'SIGTERM');
  await waitUntilGone(5000);
  for (const pgid of groups) signal(pgid, 'SIGKILL');
  await waitUntilGone(2000);
  for (const folder of folders) rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
});
`;

/**
 * A small detached process that cleans up after this one when no exit handler can: after a
 * SIGKILL, and under Jest, whose test sandbox gets a copy of `process` whose 'exit' and
 * signal listeners never fire. The pipe to its stdin closes whenever this process ends, for
 * any reason; that is its cue.
 */
export class Reaper {
	private child: ChildProcess | undefined;

	watchGroup(pgid: number): void {
		this.send(`watch ${pgid}`);
	}

	forgetGroup(pgid: number): void {
		this.send(`forget ${pgid}`);
	}

	removeFolderAtExit(folder: string): void {
		this.send(`remove ${folder}`);
	}

	private send(line: string): void {
		this.child ??= Reaper.spawn();
		this.child.stdin?.write(`${line}\n`);
	}

	private static spawn(): ChildProcess {
		const child = spawn(process.execPath, ['-e', REAPER_PROGRAM], {
			detached: true,
			stdio: ['pipe', 'ignore', 'ignore'],
		});
		// Neither the reaper nor the pipe to it may keep this process alive.
		child.unref();
		(child.stdin as Socket | null)?.unref();
		child.stdin?.on('error', () => undefined); // the reaper died first: nothing left to tell it
		return child;
	}
}

/** The one reaper of this process, shared by every server the harness starts. */
export const reaper = new Reaper();
