/**
 * The optional IP allowlist: single addresses and CIDR ranges, IPv4 and IPv6, matched against
 * the client address n8n reports (which already honours N8N_PROXY_HOPS). Written out here
 * because community nodes may not import `net`.
 */

/**
 * Every address is compared as IPv6, IPv4 a.b.c.d as ::ffff:a.b.c.d, because n8n reports an IPv4
 * client in either spelling depending on how the server socket is bound, and an allowlist entry
 * may use either too. An IPv6 range that spans ::ffff:0:0/96, such as ::/0 or ::ffff:0:0/80,
 * therefore admits IPv4 clients as well.
 */
const IPV4_MAPPED = 0xffffn << 32n;

interface Range {
	network: bigint;
	/** Out of 128 bits, so an IPv4 /24 is stored as /120. */
	prefix: number;
}

function parseIpv4(text: string): bigint | null {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255))
		return null;
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

/** `bits` is the width the address is written in, which is what a /prefix after it counts. */
function parseAddress(text: string): { value: bigint; bits: 32 | 128 } | null {
	const ipv4 = parseIpv4(text);
	if (ipv4 !== null) return { value: IPV4_MAPPED | ipv4, bits: 32 };
	// A zone (fe80::1%eth0) names the interface the host was reached through, not the host.
	const [address, zone] = text.split('%', 2);
	if (zone === '') return null;
	const ipv6 = parseIpv6(address);
	return ipv6 === null ? null : { value: ipv6, bits: 128 };
}

function networkOf(value: bigint, prefix: number): bigint {
	const hostBits = BigInt(128 - prefix);
	return (value >> hostBits) << hostBits;
}

function parseRange(entry: string): Range | null {
	const [address, prefixText, extra] = entry.split('/');
	if (extra !== undefined) return null;
	const parsed = parseAddress(address);
	if (!parsed) return null;
	if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
	const written = prefixText === undefined ? parsed.bits : Number(prefixText);
	if (written > parsed.bits) return null;
	const prefix = 128 - parsed.bits + written;
	return { network: networkOf(parsed.value, prefix), prefix };
}

export interface IpAllowlist {
	ranges: Range[];
	/**
	 * The text lists no entry at all (empty, or only commas and spaces): the option is unset, so
	 * any address may deliver. Decided from the entries rather than the raw text so that ", ,"
	 * means the same at activation and at delivery; a list whose entries are all invalid is not
	 * empty and refuses every address.
	 */
	allowsAny: boolean;
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
	return { ranges, invalid, allowsAny: entries.length === 0 };
}

export function isIpAllowed(allowlist: IpAllowlist, ip: string | undefined): boolean {
	if (allowlist.allowsAny) return true;
	const address = ip === undefined ? null : parseAddress(ip);
	if (!address) return false;
	return allowlist.ranges.some((range) => networkOf(address.value, range.prefix) === range.network);
}
