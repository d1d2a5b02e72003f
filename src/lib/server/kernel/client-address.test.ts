import { describe, expect, it } from 'vitest';
import { addressOfEvent, addressOfRequest, UNKNOWN_ADDRESS } from './client-address';
import { loadConfig } from '../config';

const req = (headers: Record<string, string>, remoteAddress = '10.0.0.2') => ({ headers, socket: { remoteAddress } });

describe('client address', () => {
  it('ignores forwarding headers unless ADDRESS_HEADER says which one to trust', () => {
    const plain = loadConfig({});
    expect(plain.addressHeader).toBeNull();
    expect(addressOfRequest(req({ 'x-forwarded-for': '6.6.6.6', 'x-real-ip': '6.6.6.6' }), plain)).toBe('10.0.0.2');
  });

  it('reads X-Forwarded-For from the right, XFF_DEPTH entries in (the left-most is the client’s own claim)', () => {
    const one = loadConfig({ ADDRESS_HEADER: 'X-Forwarded-For' });
    const two = loadConfig({ ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '2' });
    const h = { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.1' };
    expect(addressOfRequest(req(h), one)).toBe('10.0.0.1');
    expect(addressOfRequest(req(h), two)).toBe('203.0.113.9');
    // Too short for the configured depth, or missing: one shared "unknown" bucket, never the socket's proxy.
    expect(addressOfRequest(req({ 'x-forwarded-for': '203.0.113.9' }), two)).toBe(UNKNOWN_ADDRESS);
    expect(addressOfRequest(req({}), one)).toBe(UNKNOWN_ADDRESS);
  });

  it('reads another header as it is', () => {
    const cfg = loadConfig({ ADDRESS_HEADER: 'X-Real-IP' });
    expect(addressOfRequest(req({ 'x-real-ip': '203.0.113.4' }), cfg)).toBe('203.0.113.4');
  });

  it('stops the server on a wrong value, with a clear line', () => {
    expect(() => loadConfig({ XFF_DEPTH: '0' })).toThrow(/XFF_DEPTH/);
    expect(() => loadConfig({ XFF_DEPTH: 'two' })).toThrow(/XFF_DEPTH/);
    expect(() => loadConfig({ ADDRESS_HEADER: 'X Forwarded: For' })).toThrow(/ADDRESS_HEADER/);
  });

  it('gives SvelteKit requests the same shared bucket when adapter-node cannot tell', () => {
    expect(addressOfEvent({ getClientAddress: () => '203.0.113.4' })).toBe('203.0.113.4');
    expect(
      addressOfEvent({
        getClientAddress: () => {
          throw new Error('Address header was specified with ADDRESS_HEADER=x-forwarded-for but is absent from request');
        },
      }),
    ).toBe(UNKNOWN_ADDRESS);
  });
});
