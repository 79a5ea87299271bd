import type { PublicApi, RestSession } from './http';
import type { N8nVersion } from './install';
import { sleep } from './process';

/**
 * What `GET /rest/workflows/{id}/publication-status` answers in n8n 2.x. Publishing there is
 * asynchronous: the public API call queues it and the triggers are activated a moment later.
 */
interface PublicationStatus {
	status: 'not_published' | 'in_progress' | 'published' | 'partial' | 'failed';
	liveVersionId: string | null;
	pendingVersionId: string | null;
	triggers: Array<{ nodeId: string; status: string; errorMessage: string | null }>;
}

interface Clients {
	version: N8nVersion;
	api: PublicApi;
	session: RestSession;
	timeoutMs: number;
}

/**
 * Makes a workflow live (n8n 1.x "activate", 2.x "publish") and returns once n8n reports its
 * triggers active; webhooks answered at once in every trial. Throws with n8n's answer (unknown
 * node type, missing credential, webhook conflict) or the trigger's own activation error.
 */
export async function publishWorkflow(clients: Clients, workflowId: string): Promise<void> {
	const { version, api } = clients;
	if (version.startsWith('1.')) {
		await api.call('POST', `/workflows/${workflowId}/activate`); // synchronous in 1.x
		return;
	}
	const published = await api.call<{ activeVersionId?: string | null; versionId?: string }>(
		'POST',
		`/workflows/${workflowId}/publish`,
	);
	const versionId = published.activeVersionId ?? published.versionId;
	await waitForPublication(clients, workflowId, (status) => {
		if (status.status === 'failed' || status.status === 'partial') {
			const errors = status.triggers
				.filter((trigger) => trigger.errorMessage)
				.map((trigger) => trigger.errorMessage);
			throw new Error(
				`n8n could not publish workflow ${workflowId} (${status.status}): ${errors.join('; ') || 'no trigger error given'}`,
			);
		}
		return (
			status.status === 'published' &&
			(versionId === undefined || status.liveVersionId === versionId)
		);
	});
}

export async function unpublishWorkflow(clients: Clients, workflowId: string): Promise<void> {
	const { version, api } = clients;
	if (version.startsWith('1.')) {
		await api.call('POST', `/workflows/${workflowId}/deactivate`);
		return;
	}
	await api.call('POST', `/workflows/${workflowId}/unpublish`);
	await waitForPublication(clients, workflowId, (status) => status.status === 'not_published');
}

async function waitForPublication(
	{ session, timeoutMs }: Clients,
	workflowId: string,
	settled: (status: PublicationStatus) => boolean,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const status = await session.call<PublicationStatus>(
			'GET',
			`/rest/workflows/${workflowId}/publication-status`,
		);
		if (settled(status)) return;
		if (Date.now() > deadline) {
			throw new Error(
				`Workflow ${workflowId} publication did not settle within ${timeoutMs} ms; last status ${JSON.stringify(status)}`,
			);
		}
		await sleep(100);
	}
}
