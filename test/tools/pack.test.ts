import { packPackage } from '../../tools/n8n/package';
import { runCommand } from '../../tools/n8n/run';
import { readmeShellBlock } from '../support/readme-blocks';

jest.mock('../../tools/n8n/run', () => ({
	runCommand: jest.fn(async (_command: string, args: string[]) =>
		args[0] === 'pack' ? JSON.stringify([{ filename: 'n8n-nodes-revops-0.1.0.tgz' }]) : '',
	),
}));

/** A command line as a person types it: without the flags and values the harness adds for itself. */
const typed = ([command, args]: [string, string[], ...unknown[]]) =>
	[
		command,
		...args.filter(
			(arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--pack-'),
		),
	].join(' ');

describe("the README's build of the package before it is on npm", () => {
	it('is the checkout CI makes (npm ci), then the commands the end-to-end tests pack with', async () => {
		await packPackage('/checkout');
		const packing = jest.mocked(runCommand).mock.calls.map(typed);
		expect(packing).toEqual(['npm run build', 'npm pack']);
		expect(readmeShellBlock('**build it**').trim()).toBe(['npm ci', ...packing].join(' && '));
	});
});
