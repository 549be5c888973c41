import { createServer, type AddressInfo, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { scriptedPrompter } from '../../src/cli/prompter.js';
import { runDbPush } from '../../src/commands/db/push.js';
import { BackendUnavailable, UsageError } from '../../src/errors.js';
import { pushConnection } from '../../src/services/db/push.js';
import { testContext } from '../helpers/context.js';

/** Postgres's SSLRequest: length 8, then the code 80877103. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/** A server that records a client's first 8 bytes and answers "no TLS here" ('N'). */
async function firstBytesServer(host: string): Promise<{ server: Server; port: number; first: Promise<Buffer> }> {
  let got: (b: Buffer) => void = () => undefined;
  const first = new Promise<Buffer>((resolve) => (got = resolve));
  const server = createServer((socket) => {
    socket.once('data', (data) => {
      got(data.subarray(0, 8));
      socket.end('N');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, first };
}

/** An address of this machine that is not loopback, so the default must be TLS. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

describe('slides db push connection', () => {
  it.each([
    ['postgresql://postgres:pw@db.abcd.supabase.co:5432/postgres', 'require'],
    ['postgresql://postgres:pw@127.0.0.1:5432/postgres', 'disable'],
    ['postgresql://postgres:pw@localhost/postgres', 'disable'],
    ['postgresql://postgres:pw@[::1]:5432/postgres', 'disable'],
    ['postgresql://postgres:pw@db.abcd.supabase.co/postgres?sslmode=verify-full', 'verify-full'],
    ['postgresql://postgres:pw@127.0.0.1/postgres?sslmode=require', 'require'],
  ])('%s connects with sslmode=%s', (url, tls) => {
    const c = pushConnection(url);
    expect(c.tls).toBe(tls);
    expect(new URL(c.connectionString).searchParams.get('sslmode')).toBe(tls);
    expect(c.database).not.toContain('pw');
  });

  it('a URL that is no postgres URL is a usage error that does not repeat it', () => {
    for (const url of ['not a url s3cret', 'https://user:s3cret@example.com/']) {
      const error = (() => {
        try {
          pushConnection(url);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).not.toContain('s3cret');
    }
  });

  it.skipIf(!external)('asks a remote server for TLS before anything else, and refuses one without it', async () => {
    const fake = await firstBytesServer(external as string);
    server = fake.server;
    const { ctx } = testContext();
    const error = await runDbPush({ dbUrl: `postgresql://postgres:s3cret@${external}:${fake.port}/postgres` }, ctx).catch((e: unknown) => e);
    expect(await fake.first).toEqual(SSL_REQUEST);
    expect(error).toBeInstanceOf(BackendUnavailable);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('without --db-url or SUPABASE_DB_URL it asks for the URL without echo; without a terminal it names both', async () => {
    const fake = await firstBytesServer('127.0.0.1');
    server = fake.server;
    const prompter = scriptedPrompter([{ flag: '--db-url or SUPABASE_DB_URL', answer: `postgresql://postgres:s3cret@127.0.0.1:${fake.port}/postgres` }]);
    const asked = testContext({ prompter });
    await runDbPush({}, asked.ctx).catch(() => undefined);
    expect(prompter.asked).toEqual(['--db-url or SUPABASE_DB_URL']);
    // Loopback: straight to the startup message (protocol 3.0), no TLS asked for.
    expect((await fake.first).subarray(4, 8)).toEqual(Buffer.from([0, 3, 0, 0]));
    expect(asked.output.stdout + asked.output.stderr).not.toContain('s3cret');

    const refused = await runDbPush({}, testContext().ctx).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as UsageError).hint).toBe('pass --db-url or SUPABASE_DB_URL');
  });
});
