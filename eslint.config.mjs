import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

// The rule sets n8n's community-package scanner runs. Inline disables are reported as
// errors so the result matches the scanner, which ignores them.
export default [
	{ ignores: ['node_modules/**', 'test/**', 'tools/**', '**/*.js', '**/*.mjs'] },
	{
		linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'error' },
		languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
	},
	n8nCommunityNodesPlugin.configs.recommended,
	{
		files: ['package.json'],
		languageOptions: { parser: n8nNodesBase.configs.community.parser ?? undefined },
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Contradicts @n8n/community-nodes/node-connection-type-literal, which n8n's
			// scanner enforces: outputs use NodeConnectionTypes.Main, not the 'main' literal.
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Applies only to n8n's own repository (the rule says so): community credentials
			// link to their own docs by full URL, as @n8n/community-nodes requires.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
];
