import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeCircle } from '../../../../../tests/support/discussions-factories';
import { startPushService } from '../../../../../tests/support/push-service';
import { allowedEndpoint, deviceName } from './push.service';

describe('push endpoints and device names', () => {
  const config = { pushServices: ['fcm.googleapis.com', '*.push.apple.com', '127.0.0.1:9999'] };
  it('accepts only the configured push services, over https', () => {
    expect(allowedEndpoint(config, 'https://fcm.googleapis.com/fcm/send/abc')).toBe(true);
    expect(allowedEndpoint(config, 'https://api.push.apple.com/3/device/x')).toBe(true);
    expect(allowedEndpoint(config, 'http://fcm.googleapis.com/fcm/send/abc')).toBe(false);
    expect(allowedEndpoint(config, 'https://push.apple.com.evil.org/x')).toBe(false);
    expect(allowedEndpoint(config, 'https://evil.org/fcm.googleapis.com')).toBe(false);
    expect(allowedEndpoint(config, 'https://user:pw@fcm.googleapis.com/x')).toBe(false);
    expect(allowedEndpoint(config, 'https://127.0.0.1:9999/push/1')).toBe(true);
    expect(allowedEndpoint(config, 'http://127.0.0.1:9999/push/1')).toBe(false);
    expect(allowedEndpoint(config, 'http://127.0.0.1:8080/admin')).toBe(false);
    expect(allowedEndpoint(config, 'not a url')).toBe(false);
  });
  it('names a device after its browser', () => {
    expect(deviceName('Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36')).toBe('Chrome · Android');
    expect(deviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toBe('Safari · iOS');
    expect(deviceName('')).toBe('Browser');
  });
});

describe.each(engines)('%s: push, a channel of the pipeline', (engine) => {
  let svc: Awaited<ReturnType<typeof startPushService>>;
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  beforeAll(async () => {
    svc = await startPushService();
  });
  afterAll(() => svc.stop());
  beforeEach(async () => {
    app = await createTestApp(engine, { PUSH_SERVICES: svc.host }, { push: svc.transport });
    c = await makeCircle(app, 'closed');
  });
  afterEach(() => app.cleanup());

  const drain = async () => {
    while ((await app.jobs.runDue(100)) > 0) {}
  };

  it('rings each of the member’s devices once, encrypted for it, in their language; a gone device is forgotten', async () => {
    const phone = svc.device();
    const laptop = svc.device();
    await app.push.subscribe(c.anne.actor, { endpoint: phone.endpoint, keys: phone.keys }, { userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile' });
    await app.push.subscribe(c.anne.actor, { endpoint: laptop.endpoint, keys: laptop.keys, name: 'Laptop' });
    expect((await app.push.devices(c.anne.actor)).items.map((d) => d.name).sort()).toEqual(['Chrome · Android', 'Laptop']);
    const d = await app.discussions.create(c.bert.actor, { groupSlug: c.g.slug, title: 'Marché', body: `@${c.anne.handle} tu viens ?` });
    await drain();
    const mine = svc.received.filter((r) => [phone.id, laptop.id].includes(r.deviceId));
    expect(mine).toHaveLength(2);
    const p = mine[0].payload;
    expect(p).toMatchObject({ type: 'notify', title: 'Bert Janssens vous a mentionné·e dans «\u00a0Marché\u00a0»', body: `@${c.anne.handle} tu viens ?`, url: `/d/${d.id}`, tag: `discussion:${d.id}` });
    expect(mine[0].headers.urgency).toBe('high');
    expect(String(mine[0].headers.topic)).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    // The same event never rings twice: running the jobs again sends nothing.
    await drain();
    expect(svc.received.filter((r) => [phone.id, laptop.id].includes(r.deviceId))).toHaveLength(2);
    // The phone is gone: the push service says 410, the device is forgotten.
    svc.forget(phone);
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: `@${c.anne.handle} ?` });
    await drain();
    expect((await app.push.devices(c.anne.actor)).items.map((x) => x.name)).toEqual(['Laptop']);
  });

  it('follows preferences and quiet hours; reading on one device closes on the others', async () => {
    const phone = svc.device();
    await app.push.subscribe(c.anne.actor, { endpoint: phone.endpoint, keys: phone.keys });
    await app.notifications.savePreferences(c.anne.actor, { choices: { mentioned: { push: 'off' } } });
    const d = await app.discussions.create(c.bert.actor, { groupSlug: c.g.slug, title: 'Off', body: `@${c.anne.handle}` });
    await drain();
    expect(svc.received.filter((r) => r.deviceId === phone.id)).toEqual([]);
    await app.notifications.savePreferences(c.anne.actor, { choices: { mentioned: { push: 'now' } }, quietFrom: '10', quietTo: '12' });
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: `@${c.anne.handle} now?` });
    await drain();
    expect(svc.received.filter((r) => r.deviceId === phone.id)).toEqual([]);
    app.clock.advance(3600_000);
    await drain();
    const got = svc.received.filter((r) => r.deviceId === phone.id);
    expect(got.map((r) => r.payload.type)).toEqual(['notify']);
    // Anne reads it (on her laptop): the phone is told to close it.
    await app.discussions.open(c.anne.actor, { discussionId: d.id });
    await drain();
    expect(svc.received.filter((r) => r.deviceId === phone.id).map((r) => r.payload)).toEqual([expect.objectContaining({ type: 'notify' }), { type: 'clear', tags: [`discussion:${d.id}`] }]);
  });

  it('refuses endpoints of any other server, malformed keys, others’ devices', async () => {
    const dev = svc.device();
    await expect(app.push.subscribe(c.anne.actor, { endpoint: 'https://127.0.0.1:1/internal', keys: dev.keys })).rejects.toMatchObject({ kind: 'invalid', issues: [{ path: 'endpoint', code: 'push_endpoint' }] });
    await expect(app.push.subscribe(c.anne.actor, { endpoint: dev.endpoint, keys: { p256dh: 'abc', auth: dev.keys.auth } })).rejects.toMatchObject({ kind: 'invalid' });
    const mine = await app.push.subscribe(c.anne.actor, { endpoint: dev.endpoint, keys: dev.keys });
    await expect(app.push.remove(c.bert.actor, { id: mine.id })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.push.rename(c.bert.actor, { id: mine.id, name: 'x' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.push.devices({ kind: 'visitor' })).rejects.toMatchObject({ kind: 'unauthenticated' });
    // The same browser used by Bert afterwards: the device moves to him.
    await app.push.subscribe(c.bert.actor, { endpoint: dev.endpoint, keys: dev.keys });
    expect((await app.push.devices(c.anne.actor)).items).toEqual([]);
    expect((await app.push.devices(c.bert.actor)).items).toHaveLength(1);
  });
});
