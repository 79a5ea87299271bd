/**
 * unit: the node's pure modules and glue, in milliseconds.
 * tools: the RevOps sender against a local HTTP server.
 * e2e: the packed package inside real n8n processes on 127.0.0.1 (run with --runInBand).
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
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform: typescript,
			testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
			globalSetup: '<rootDir>/test/e2e/global-setup.ts',
			globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
			slowTestThreshold: 60,
		},
	],
};
