/**
 * The client's address, by one rule on every surface. Behind a reverse proxy the socket's
 * peer is the proxy, so the address comes from a header, but only when the operator says
 * which one: adapter-node's `ADDRESS_HEADER` (e.g. `X-Forwarded-For`, `X-Real-IP`) and,
 * for `X-Forwarded-For`, `XFF_DEPTH` (how many trusted proxies append to it; the address is
 * taken that many entries from the right, never the left-most one, which the client
 * writes). Without `ADDRESS_HEADER`, headers are ignored and the socket's peer is used, so
 * nobody can pick their own address by sending a header.
 *
 * Pages, form actions and the JSON API get it from SvelteKit (`event.getClientAddress()`,
 * which adapter-node computes from the same two variables); the surfaces answered before
 * SvelteKit (WebSocket upgrades, mail providers' one-click unsubscribe) use
 * `addressOfRequest`, which applies the same rule to a raw node request.
 */

/** When the address cannot be known (a configured header is missing): all such requests share one bucket. */
export const UNKNOWN_ADDRESS = 'unknown';

/** The configured rule (`config.addressHeader`, `config.xffDepth`: the variables adapter-node reads). */
export type AddressRule = { addressHeader: string | null; xffDepth: number };

type NodeRequest = { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } | null };

/** The client's address for a raw node request, as adapter-node would compute it for a page. */
export function addressOfRequest(req: NodeRequest, rule: AddressRule): string {
  if (!rule.addressHeader) return req.socket?.remoteAddress || UNKNOWN_ADDRESS;
  const raw = req.headers[rule.addressHeader];
  const value = (Array.isArray(raw) ? raw.join(',') : raw)?.trim();
  if (!value) return UNKNOWN_ADDRESS;
  if (rule.addressHeader !== 'x-forwarded-for') return value;
  const addresses = value.split(',').map((s) => s.trim());
  if (rule.xffDepth < 1 || rule.xffDepth > addresses.length) return UNKNOWN_ADDRESS;
  return addresses[addresses.length - rule.xffDepth] || UNKNOWN_ADDRESS;
}

/**
 * The client's address for a SvelteKit request. adapter-node throws when a configured
 * header is missing or X-Forwarded-For is shorter than `XFF_DEPTH`; that request gets the
 * shared "unknown" address rather than none (which would escape per-address limits).
 */
export function addressOfEvent(event: { getClientAddress(): string }): string {
  try {
    return event.getClientAddress() || UNKNOWN_ADDRESS;
  } catch {
    return UNKNOWN_ADDRESS;
  }
}
