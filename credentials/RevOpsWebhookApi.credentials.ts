import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The Verification Key RevOps shows for each webhook. RevOps has no API to check it
 * against, so the RevOps Trigger tests it locally (see `testedBy` on the node).
 */
export class RevOpsWebhookApi implements ICredentialType {
	name = 'revOpsWebhookApi';

	displayName = 'RevOps Webhook API';

	icon: Icon = {
		light: 'file:../nodes/RevOpsTrigger/revops.svg',
		dark: 'file:../nodes/RevOpsTrigger/revops.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-revops/n8n-nodes-revops#revops-setup';

	properties: INodeProperties[] = [
		{
			displayName: 'Verification Key',
			name: 'verificationKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The key RevOps signs each delivery with. In RevOps, open Settings > Webhooks, open the webhook that points at this workflow and copy its Verification Key.',
		},
	];
}
