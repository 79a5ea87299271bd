/**
 * The optional IP allowlist: single addresses and CIDR ranges, IPv4 and IPv6, matched against
 * the client address n8n reports (which already honours N8N_PROXY_HOPS). Written out here
 * because community nodes may not import `net`.
 */

interface Range {
	version: 4 | 6;
	network: bigint;
	prefix: number;
}

function parseIpv4(text: string): bigint | null {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null;
	return parts.reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(text: string): bigint | null {
	let hex = text;
	if (text.includes('.')) {
		// An embedded IPv4 tail, as in ::ffff:192.0.2.1, is the last two groups.
		const lastColon = text.lastIndexOf(':');
		const ipv4 = parseIpv4(text.slice(lastColon + 1));
		if (ipv4 === null) return null;
		hex = `${text.slice(0, lastColon + 1)}${(ipv4 >> 16n).toString(16)}:${(ipv4 & 0xffffn).toString(16)}`;
	}
	const halves = hex.split('::');
	if (halves.length > 2) return null;
	const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
	const head = groupsOf(halves[0]);
	const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
	const given = [...head, ...tail];
	if (!given.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return null;
	if (halves.length === 1 ? given.length !== 8 : given.length > 7) return null;
	const groups = [...head, ...Array<string>(8 - given.length).fill('0'), ...tail];
	return groups.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
}

/** An address as a comparable range of one, unwrapping IPv4-mapped IPv6 (::ffff:a.b.c.d). */
function parseAddress(text: string): { version: 4 | 6; value: bigint } | null {
	const ipv4 = parseIpv4(text);
	if (ipv4 !== null) return { version: 4, value: ipv4 };
	const ipv6 = parseIpv6(text);
	if (ipv6 === null) return null;
	if (ipv6 >> 32n === 0xffffn) return { version: 4, value: ipv6 & 0xffffffffn };
	return { version: 6, value: ipv6 };
}

function parseRange(entry: string): Range | null {
	const [address, prefixText, extra] = entry.split('/');
	if (extra !== undefined) return null;
	const parsed = parseAddress(address);
	if (!parsed) return null;
	const bits = parsed.version === 4 ? 32 : 128;
	if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
	const prefix = prefixText === undefined ? bits : Number(prefixText);
	if (prefix > bits) return null;
	const hostBits = BigInt(bits - prefix);
	return { version: parsed.version, network: (parsed.value >> hostBits) << hostBits, prefix };
}

export interface IpAllowlist {
	ranges: Range[];
	/** Entries that are neither an address nor a CIDR range. */
	invalid: string[];
}

/** Reads a comma-separated list such as "203.0.113.7, 198.51.100.0/24, 2001:db8::/32". */
export function parseIpAllowlist(text: string): IpAllowlist {
	const entries = text
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
	const ranges: Range[] = [];
	const invalid: string[] = [];
	for (const entry of entries) {
		const range = parseRange(entry);
		if (range) ranges.push(range);
		else invalid.push(entry);
	}
	return { ranges, invalid };
}

export function isIpAllowed(allowlist: IpAllowlist, ip: string | undefined): boolean {
	const address = ip === undefined ? null : parseAddress(ip);
	if (!address) return false;
	return allowlist.ranges.some((range) => {
		if (range.version !== address.version) return false;
		const hostBits = BigInt((range.version === 4 ? 32 : 128) - range.prefix);
		return (address.value >> hostBits) << hostBits === range.network;
	});
}
