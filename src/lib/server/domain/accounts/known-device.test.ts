import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { DEVICE_DAYS, knownDevice, rememberDevice } from './known-device';

const key = randomBytes(32);
const now = new Date('2026-03-01T10:00:00Z');
const anne = '0190f1a2-0000-7000-8000-000000000001';
const bob = '0190f1a2-0000-7000-8000-000000000002';

describe('known devices', () => {
  it('recognise the account a browser logged in to, and only that one', () => {
    const cookie = rememberDevice(key, null, anne, now);
    const id = knownDevice(key, cookie, anne, now);
    expect(id).toBeTruthy();
    expect(knownDevice(key, cookie, bob, now)).toBeNull();
    // Renewing keeps the device's id; a second account joins the same cookie.
    const both = rememberDevice(key, rememberDevice(key, cookie, anne, now), bob, now);
    expect(knownDevice(key, both, anne, now)).toBe(id);
    expect(knownDevice(key, both, bob, now)).toBeTruthy();
  });

  it('refuse forged, re-signed, expired and garbled cookies', () => {
    const cookie = rememberDevice(key, null, anne, now);
    const [, issued, nonce, sig] = cookie.split('.');
    expect(knownDevice(key, `${bob}.${issued}.${nonce}.${sig}`, bob, now)).toBeNull();
    expect(knownDevice(randomBytes(32), cookie, anne, now)).toBeNull();
    expect(knownDevice(key, `${anne}.${issued}.${nonce}.${sig.slice(0, -1)}x`, anne, now)).toBeNull();
    expect(knownDevice(key, cookie, anne, new Date(now.getTime() + (DEVICE_DAYS + 1) * 86_400_000))).toBeNull();
    for (const junk of ['', '....', '~~~', 'x'.repeat(5000), `${anne}.zz.`]) expect(knownDevice(key, junk, anne, now)).toBeNull();
  });
});
