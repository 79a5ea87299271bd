/**
 * ISO 4217 minor-unit digits for every active currency code (list of 2024-06-25). Codes whose
 * minor unit ISO gives as "N.A." (XAU, XDR, XXX, ...) are left out: they have no smallest unit
 * to count in.
 */
const CODES_BY_DIGITS: Record<number, string> = {
	0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
	2:
		'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
		'CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
		'GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD ' +
		'LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN ' +
		'PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB ' +
		'TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD YER ZAR ZMW ZWG',
	3: 'BHD IQD JOD KWD LYD OMR TND',
	4: 'CLF UYW',
};

const MINOR_UNIT_DIGITS = new Map<string, number>(
	Object.entries(CODES_BY_DIGITS).flatMap(([digits, codes]) =>
		codes.split(' ').map((code): [string, number] => [code, Number(digits)]),
	),
);

/** Digits after the decimal point in `code`'s smallest unit (USD 2, JPY 0, KWD 3), or undefined. */
export function minorUnitDigits(code: string): number | undefined {
	return MINOR_UNIT_DIGITS.get(code.toUpperCase());
}

/** Every code in the table, for tests against a reference list. */
export function knownCurrencies(): ReadonlyMap<string, number> {
	return MINOR_UNIT_DIGITS;
}
