/**
 * The Verification Keys a RevOps Webhook API credential holds: the current key first, then the
 * previous key during a rotation or the keys of further RevOps webhooks that deliver to the same
 * workflow. Five is enough for a rotation across a few webhooks, and bounds the HMACs a forged
 * request costs. The names contain "secret" so n8n's lint sees them as secrets; the credential
 * file writes them out literally (a unit test keeps the two lists equal).
 */
export const VERIFICATION_KEY_FIELDS = [
	'verificationSecret',
	'verificationSecret2',
	'verificationSecret3',
	'verificationSecret4',
	'verificationSecret5',
] as const;

export type VerificationKeyCredential = Partial<
	Record<(typeof VERIFICATION_KEY_FIELDS)[number], unknown>
>;

/** A key the credential holds, with its position in the credential (1 = 'Verification Key'). */
export interface VerificationKey {
	position: number;
	key: string;
}

/** How the credential editor and every message name the key at `position`. */
export function keyLabel(position: number): string {
	return position === 1 ? 'Verification Key' : `Verification Key ${position}`;
}

/** The keys that are set, in order; empty fields are skipped, so an empty list means no key at all. */
export function verificationKeys(credential: VerificationKeyCredential): VerificationKey[] {
	return VERIFICATION_KEY_FIELDS.flatMap((field, index) => {
		const key = credential[field];
		return typeof key === 'string' && key !== '' ? [{ position: index + 1, key }] : [];
	});
}

/**
 * What the credential test tells the user: the first key that cannot be right (none at all,
 * surrounding spaces, a repeat), named by its label and never shown; or how many keys are set.
 */
export function checkCredentialKeys(credential: VerificationKeyCredential): {
	ok: boolean;
	message: string;
} {
	const keys = verificationKeys(credential);
	if (keys.length === 0)
		return { ok: false, message: "Enter the 'Verification Key' shown for the webhook in RevOps" };
	for (const [index, { position, key }] of keys.entries()) {
		if (key.trim() !== key) {
			return {
				ok: false,
				message: `'${keyLabel(position)}' starts or ends with a space: copy it again from RevOps`,
			};
		}
		const earlier = keys.slice(0, index).find((other) => other.key === key);
		if (earlier) {
			return {
				ok: false,
				message: `'${keyLabel(position)}' is the same as '${keyLabel(earlier.position)}': remove one of them`,
			};
		}
	}
	const count = keys.length === 1 ? 'The key is set' : `${keys.length} keys are set`;
	return {
		ok: true,
		message: `${count}. RevOps has no API to check keys: send a test event from RevOps to confirm.`,
	};
}
