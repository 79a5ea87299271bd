import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

const ANOTHER_KEY =
	"Optional. The key of another RevOps webhook that delivers to this workflow, or a previous key while you rotate. A delivery signed with any of the keys is accepted; the item's 'verifiedWithKey' says which one.";

/**
 * The Verification Keys RevOps shows for each webhook: the current one, and up to four more for
 * a key rotation or further RevOps webhooks into the same workflow. RevOps has no API to check
 * them against, so the RevOps Trigger tests them locally (see `testedBy` on the node). The field
 * names are the node's VERIFICATION_KEY_FIELDS, written out so n8n's lint can read them.
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
			name: 'verificationSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The key RevOps signs each delivery with. In RevOps, open Settings > Webhooks, open the webhook that points at this workflow and copy its Verification Key.',
		},
		{
			displayName: 'Verification Key 2',
			name: 'verificationSecret2',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: ANOTHER_KEY,
		},
		{
			displayName: 'Verification Key 3',
			name: 'verificationSecret3',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: ANOTHER_KEY,
		},
		{
			displayName: 'Verification Key 4',
			name: 'verificationSecret4',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: ANOTHER_KEY,
		},
		{
			displayName: 'Verification Key 5',
			name: 'verificationSecret5',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: ANOTHER_KEY,
		},
	];
}
