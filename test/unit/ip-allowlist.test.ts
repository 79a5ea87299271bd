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

	describe('an IPv4-mapped IPv6 range', () => {
		const mapped = parseIpAllowlist('::ffff:203.0.113.0/120');

		it('is a valid entry', () => {
			expect(mapped.invalid).toEqual([]);
			expect(mapped.ranges).toHaveLength(1);
		});

		it.each([
			['203.0.113.9', true],
			['::ffff:203.0.113.9', true],
			['::ffff:cb00:71ff', true],
			['203.0.114.1', false],
			['::ffff:203.0.114.1', false],
			['::cb00:7109', false],
			['2001:db8::1', false],
		])('%s is allowed: %s', (ip, allowed) => {
			expect(isIpAllowed(mapped, ip)).toBe(allowed);
		});

		it('is an IPv6 range like any other when its prefix is under 96', () => {
			const wide = parseIpAllowlist('::ffff:0:0/80');
			expect(wide.invalid).toEqual([]);
			expect(isIpAllowed(wide, '192.0.2.1')).toBe(true);
			expect(isIpAllowed(wide, '::ffff:192.0.2.1')).toBe(true);
			expect(isIpAllowed(wide, '::1')).toBe(true);
			expect(isIpAllowed(wide, '2001:db8::1')).toBe(false);
		});

		it('reports a prefix over 128 as invalid', () => {
			expect(parseIpAllowlist('::ffff:203.0.113.0/129').invalid).toEqual([
				'::ffff:203.0.113.0/129',
			]);
		});
	});

	it('keeps a plain IPv4 range to IPv4 clients', () => {
		const ipv4 = parseIpAllowlist('0.0.0.0/0');
		expect(isIpAllowed(ipv4, '198.51.100.1')).toBe(true);
		expect(isIpAllowed(ipv4, '::ffff:198.51.100.1')).toBe(true);
		expect(isIpAllowed(ipv4, '::1')).toBe(false);
		expect(isIpAllowed(ipv4, '2001:db8::1')).toBe(false);
	});

	describe('an IPv6 zone', () => {
		const linkLocal = parseIpAllowlist('fe80::/10');

		it.each([
			['fe80::1%eth0', true],
			['fe80::1', true],
			['fe80::1%', false],
			['192.0.2.1%eth0', false],
		])('client %s is allowed by fe80::/10: %s', (ip, allowed) => {
			expect(isIpAllowed(linkLocal, ip)).toBe(allowed);
		});

		it('does not widen a range the address is outside of', () => {
			expect(isIpAllowed(parseIpAllowlist('2001:db8::/32'), 'fe80::1%eth0')).toBe(false);
		});

		it('is accepted in an entry and ignored', () => {
			const zoned = parseIpAllowlist('fe80::1%eth0, fe80::%en0/64');
			expect(zoned.invalid).toEqual([]);
			expect(isIpAllowed(zoned, 'fe80::1')).toBe(true);
			expect(isIpAllowed(zoned, 'fe80::2%eth1')).toBe(true);
			expect(isIpAllowed(zoned, 'fe80:0:0:1::2')).toBe(false);
		});
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
		'fe80::1%',
		'1.2.3.4%eth0',
	])('reports %s as invalid', (entry) => {
		expect(parseIpAllowlist(`127.0.0.1, ${entry}`).invalid).toEqual([entry]);
	});

	it.each(['', '   ', ' , ', ', ,', ',,,'])(
		'treats %p as no entries, which allows any address',
		(text) => {
			const empty = parseIpAllowlist(text);
			expect(empty).toEqual({ ranges: [], invalid: [], allowsAny: true });
			expect(isIpAllowed(empty, '203.0.113.7')).toBe(true);
			expect(isIpAllowed(empty, '2001:db8::1')).toBe(true);
		},
	);

	it('does not allow any address when it has entries', () => {
		expect(list.allowsAny).toBe(false);
	});

	it('refuses every address when every entry is invalid', () => {
		const allInvalid = parseIpAllowlist('example.com, , 300.1.1.1');
		expect(allInvalid).toEqual({
			ranges: [],
			invalid: ['example.com', '300.1.1.1'],
			allowsAny: false,
		});
		for (const ip of ['203.0.113.7', '::ffff:203.0.113.7', '2001:db8::1', '::1', undefined]) {
			expect(isIpAllowed(allInvalid, ip)).toBe(false);
		}
	});
});
