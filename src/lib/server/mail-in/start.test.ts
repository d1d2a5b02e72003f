import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../tests/support/app';
import { freePort } from '../../../../tests/support/ports';
import { startMailSurfaces } from './start';

/** Connects and reads the first line: the SMTP greeting, or the connection error's code. */
const greet = (host: string, port: number) =>
  new Promise<string>((resolve) => {
    const s = net.connect({ host, port });
    s.setTimeout(3000, () => (s.destroy(), resolve('timeout')));
    s.once('data', (d) => (s.destroy(), resolve(d.toString().slice(0, 3))));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });

describe('inbound SMTP in the production entry', () => {
  it('listens only on the interface HOST names', async () => {
    const port = await freePort();
    const app = await createTestApp('sqlite', { HOST: '127.0.0.2', SMTP_IN_PORT: String(port) });
    const surfaces = startMailSurfaces(app, { quiet: true, schedulerMs: 3600_000 });
    try {
      await surfaces.start();
      expect(await greet('127.0.0.2', port)).toBe('220');
      expect(await greet('127.0.0.1', port)).toBe('ECONNREFUSED');
    } finally {
      await surfaces.close();
      await app.cleanup();
    }
  });
});
