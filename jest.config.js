/**
 * unit: the node's pure modules and glue, in milliseconds.
 * tools: the RevOps sender against a local HTTP server.
 */
const typescript = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] };

module.exports = {
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			transform: typescript,
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
		},
		{
			displayName: 'tools',
			testEnvironment: 'node',
			transform: typescript,
			testMatch: ['<rootDir>/test/tools/**/*.test.ts'],
		},
	],
};
