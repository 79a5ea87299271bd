import { DeliveryRejection } from '../../nodes/RevOpsTrigger/verify';

/** The refusal `run` throws (or rejects with), as status and message. */
export async function refusal(run: () => unknown): Promise<{ status: number; message: string }> {
	try {
		await run();
	} catch (error) {
		if (error instanceof DeliveryRejection) return { status: error.status, message: error.message };
		throw error;
	}
	throw new Error('expected a refusal, got none');
}
