import { isIpAllowed, parseIpAllowlist } from '../../nodes/RevOpsTrigger/ip-allowlist';

describe('IP allowlist', () => {
	const list = parseIpAllowlist('203.0.113.7, 198.51.100.0/24,2001:db8::/32 , ::1, 10.0.0.0/8');

	it('reads every valid entry', () => {
		expect(list.invalid).toEqual([]);
		expect(list.ranges).toHaveLength(5);
	});

	it.each([
		['203.0.113.7', true],
		['203.0.113.8', false],
		['198.51.100.0', true],
		['198.51.100.255', true],
		['198.51.101.1', false],
		['10.200.3.4', true],
		['11.0.0.1', false],
		['2001:db8::1', true],
		['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
		['2001:db9::1', false],
		['::1', true],
		['::2', false],
		['::ffff:203.0.113.7', true],
		['::ffff:cb00:7107', true],
		['::ffff:203.0.113.9', false],
		['not-an-ip', false],
		['', false],
	])('%s is allowed: %s', (ip, allowed) => {
		expect(isIpAllowed(list, ip)).toBe(allowed);
	});

	it('allows nothing for an undefined address', () => {
		expect(isIpAllowed(list, undefined)).toBe(false);
	});

	it('matches an entry written as IPv4-mapped IPv6 against the plain IPv4 client', () => {
		expect(isIpAllowed(parseIpAllowlist('::ffff:192.0.2.1'), '192.0.2.1')).toBe(true);
	});

	it.each([
		'300.1.1.1',
		'1.2.3',
		'1.2.3.4/33',
		'2001:db8::/129',
		'2001:::1',
		'1:2:3:4:5:6:7:8:9',
		'1.2.3.4/8/1',
		'example.com',
		'1.2.3.4/-1',
	])('reports %s as invalid', (entry) => {
		expect(parseIpAllowlist(`127.0.0.1, ${entry}`).invalid).toEqual([entry]);
	});

	it('treats an empty list as no entries', () => {
		expect(parseIpAllowlist(' , ')).toEqual({ ranges: [], invalid: [] });
	});
});
