import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { config } from '@n8n/node-cli/eslint';

// n8n's default configuration (what `npx n8n-node lint` runs in strict mode) lints every .ts
// file with the rules for code that runs inside n8n. test/ and tools/ never ship (package.json
// "files" is dist/ only) and must start processes, read files and print progress, so for them
// the community-node rules are switched off and the generic JavaScript, TypeScript and import
// rules of the same default stay on. This is why package.json has "strict": false.
const unshippedCode = ['test/**/*.ts', 'tools/**/*.ts'];

const communityNodeRulesOff = Object.fromEntries(
	Object.keys(n8nCommunityNodesPlugin.rules).map((rule) => [`@n8n/community-nodes/${rule}`, 'off']),
);

export default [
	...config,
	{
		// n8n's package scanner ignores inline disables, so they are refused here too.
		linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'error' },
	},
	{
		files: unshippedCode,
		rules: {
			...communityNodeRulesOff,
			'no-console': 'off',
			// Tests feed the money code JSON numbers that lose precision on purpose.
			'no-loss-of-precision': 'off',
			// `const { omitted: _omitted, ...rest } = object` drops a field on purpose.
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ ignoreRestSiblings: true, argsIgnorePattern: '^_' },
			],
		},
	},
];
