/** IPv4 CIDR arithmetic of the VPC key (`vpcCidr`) and the subnet plan (components/network/plan.ts). */

/** Parses `a.b.c.d/n` into its 32-bit network address and prefix; undefined when malformed. */
export function parseCidr(cidr: string): { address: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { address, prefix };
}

/** Renders a 32-bit address and prefix as a CIDR string. */
export function formatCidr(address: number, prefix: number): string {
  return `${[24, 16, 8, 0].map((s) => (address >>> s) & 255).join(".")}/${prefix}`;
}

/** Checks a VPC CIDR: syntax, network address, RFC 1918 range and a /16 to /20 size. */
export function validateVpcCidr(cidr: string): string | undefined {
  const parsed = parseCidr(cidr);
  if (!parsed) return "must be an IPv4 CIDR such as 10.0.0.0/16";
  const { address, prefix } = parsed;
  if (prefix < 16 || prefix > 20) {
    return `must have a prefix from /16 to /20 (room for 3 subnet tiers in up to 6 AZs), got /${prefix}`;
  }
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((address & mask) >>> 0 !== address) {
    return `is not a network address: use ${formatCidr((address & mask) >>> 0, prefix)}`;
  }
  const inRange = (base: string, bits: number) => {
    const b = parseCidr(`${base}/${bits}`)!.address;
    const m = (0xffffffff << (32 - bits)) >>> 0;
    return (address & m) >>> 0 === b && prefix >= bits;
  };
  if (!inRange("10.0.0.0", 8) && !inRange("172.16.0.0", 12) && !inRange("192.168.0.0", 16)) {
    return "must lie in a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";
  }
  return undefined;
}
