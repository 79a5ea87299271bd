/**
 * What n8n shows and registers for the node (description.ts), read through the node class as
 * n8n loads it.
 */
import { readdirSync } from 'fs';

import { Workflow, type INode, type INodeTypes } from 'n8n-workflow';

import { REVOPS_EVENTS } from '../../nodes/RevOpsTrigger/events';
import { RevOpsTrigger } from '../../nodes/RevOpsTrigger/RevOpsTrigger.node';
import { EXAMPLES_DIR, readExample } from '../../tools/n8n/examples';
import { TRIGGER_TYPE } from '../../tools/n8n/workflows';

const node = new RevOpsTrigger();

describe('RevOps Trigger description', () => {
	const { description } = node;

	it('serves POST and GET on one URL, answering on receipt or after the workflow as the user chose', () => {
		const responseMode =
			'={{$parameter["acknowledge"] === "whenWorkflowSucceeds" ? "lastNode" : "onReceived"}}';
		const responseData =
			'={{$parameter["acknowledge"] === "whenWorkflowSucceeds" ? "firstEntryJson" : "RevOps API Event Received"}}';
		expect(description.webhooks).toMatchObject(
			['POST', 'GET'].map((httpMethod) => ({
				name: 'default',
				httpMethod,
				path: 'webhook',
				responseMode,
				responseData,
			})),
		);
		expect(
			description.properties.find((property) => property.name === 'acknowledge')?.default,
		).toBe('whenReceived');
	});

	it('offers All Events, then every catalogued event in alphabetical order, as Trigger On without a tooltip', () => {
		const events = description.properties.find((property) => property.name === 'events');
		expect(events?.type).toBe('multiOptions');
		expect(events?.displayName).toBe('Trigger On');
		expect(events?.description).toBeUndefined();
		expect(events?.options?.map((option) => option.name)).toEqual([
			'All Events',
			'Account Created',
			'Account Deleted',
			'Account Updated',
			'Deal Activated',
			'Deal Created',
			'Deal Signed',
			'Deal Updated',
		]);
		expect(events?.options).toEqual(
			expect.arrayContaining([
				{
					name: 'All Events',
					value: '*',
					description: 'Every event, including types RevOps adds later',
				},
				...REVOPS_EVENTS.map((event) => ({
					name: event.label,
					value: event.type,
					description: event.description,
				})),
			]),
		);
	});

	it('shows the chosen events in Title Case as the subtitle, evaluated by n8n-workflow', () => {
		const nodeTypes = {
			getByName: () => node,
			getByNameAndVersion: () => node,
			getKnownTypes: () => ({}),
		} as unknown as INodeTypes;
		const subtitleFor = (events: string[]) => {
			const trigger: INode = {
				id: 'trigger',
				name: 'RevOps Trigger',
				type: 'n8n-nodes-revops.revOpsTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { events },
			};
			const workflow = new Workflow({
				nodes: [trigger],
				connections: {},
				active: false,
				nodeTypes,
			});
			return workflow.expression.getSimpleParameterValue(
				trigger,
				description.subtitle as string,
				'internal',
				{},
			);
		};
		expect(subtitleFor(['*'])).toBe('All Events');
		expect(subtitleFor(['deal-signed', 'deal-updated'])).toBe('Deal Signed, Deal Updated');
		expect(subtitleFor(['deal-active', 'account-deleted'])).toBe('Deal Activated, Account Deleted');
	});

	it('asks for the credential with every Authentication but None, since every other value verifies', () => {
		expect(description.credentials).toEqual([
			{
				name: 'revOpsWebhookApi',
				required: true,
				testedBy: 'revOpsVerificationKeyTest',
				displayOptions: { hide: { authentication: ['none'] } },
			},
		]);
	});
});

describe('the workflows shipped in examples/', () => {
	it('use the RevOps Trigger at the version new workflows get, as a user importing them expects', () => {
		const { defaultVersion } = node.description;
		// One of them (revops-diy-webhook.json) shows the same job with n8n's own Webhook node.
		const triggers = readdirSync(EXAMPLES_DIR)
			.filter((file) => file.endsWith('.json'))
			.flatMap((file) =>
				readExample(file)
					.nodes.filter((found) => found.type === TRIGGER_TYPE)
					.map((trigger) => `${file}: ${trigger.typeVersion}`),
			);
		expect(triggers.length).toBeGreaterThanOrEqual(5);
		expect(triggers).toEqual(
			triggers.map((trigger) => trigger.replace(/: .*$/, `: ${defaultVersion}`)),
		);
	});

	it('keep their sticky notes clear of their nodes, so an imported workflow reads at a glance', () => {
		// n8n draws a node in a 100 x 100 box from its position; a sticky note from its position,
		// `width` x `height`.
		const NODE_SIZE = 100;
		const covered = readdirSync(EXAMPLES_DIR)
			.filter((file) => file.endsWith('.json'))
			.flatMap((file) => {
				const { nodes } = readExample(file);
				const notes = nodes.filter((found) => found.type === 'n8n-nodes-base.stickyNote');
				return nodes.flatMap(({ name, type, position: [x, y] }) =>
					type === 'n8n-nodes-base.stickyNote'
						? []
						: notes
								.filter(({ position: [left, top], parameters }) => {
									const { width, height } = parameters as { width: number; height: number };
									return (
										x + NODE_SIZE > left &&
										x < left + width &&
										y + NODE_SIZE > top &&
										y < top + height
									);
								})
								.map((note) => `${file}: ${name} under ${note.name}`),
				);
			});
		expect(covered).toEqual([]);
	});
});
