import { readFileSync, writeFileSync } from 'node:fs';
import type { Register } from '../../cli/command.js';
import type { Context } from '../../context.js';
import { messageOf, UsageError } from '../../errors.js';

export const register: Register = (parent, run) => {
  const key = parent
    .command('key')
    .description('move the key that encrypts the TikTok tokens to another machine')
    .addHelpText('after', '\nOn the machine that connected:  slides tiktok key export --out tiktok.key\nOn the other machine:           slides tiktok key import tiktok.key   (then delete the file)\nA server may instead set SLIDES_TIKTOK_TOKEN_KEY to the same base64 key.');
  key.exitOverride();
  key
    .command('export')
    .description('print the token key (only to a terminal) or write it to a new 0600 file')
    .option('--out <file>', 'write the key to this new file instead of the terminal')
    .action(
      run(async (ctx, flags: { out?: string }) => {
        await runTiktokKeyExport(flags, ctx);
      }),
    );
  key
    .command('import')
    .description('store a token key exported elsewhere, from a file or from stdin')
    .argument('[file]', 'the exported key (default: read stdin)')
    .action(
      run(async (ctx, file?: string) => {
        await runTiktokKeyImport(file, ctx);
      }),
    );
};

/** The key goes only where a person asked for it: a terminal, or a file nobody else can read. */
export async function runTiktokKeyExport(o: { out?: string }, ctx: Context) {
  const { tiktokHome } = await import('../../tiktok/auth/open.js');
  const { openKeyRing } = await import('../../tiktok/crypto/keyRing.js');
  const { tokenKeyToBase64 } = await import('../../tiktok/crypto/tokenCipher.js');
  const current = (await openKeyRing(tiktokHome(ctx))).current();
  if (!current) throw new UsageError('this profile has no TikTok token key yet', { hint: 'run slides tiktok connect first' });
  const text = `${tokenKeyToBase64(current)}\n`;
  if (o.out) {
    try {
      writeFileSync(o.out, text, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw new UsageError(`could not write the key to ${o.out}: ${messageOf(error)}`, { hint: 'give --out a file that does not exist yet' });
    }
    ctx.io.info(`Wrote the TikTok token key (id ${current.id}) to ${o.out}; run slides tiktok key import ${o.out} on the other machine, then delete the file.`);
    return { keyId: current.id, out: o.out };
  }
  if (ctx.io.json || !(ctx.io.stdout as { isTTY?: boolean }).isTTY) {
    throw new UsageError('the token key is printed only to a terminal', { hint: 'use --out FILE to write it to a file' });
  }
  ctx.io.stdout.write(text);
  return { keyId: current.id, out: null };
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => (text += d));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

export async function runTiktokKeyImport(file: string | undefined, ctx: Context) {
  const { tiktokHome } = await import('../../tiktok/auth/open.js');
  const { openKeyRing, TOKEN_KEY_ENV } = await import('../../tiktok/crypto/keyRing.js');
  const { tokenKeyFromBase64 } = await import('../../tiktok/crypto/tokenCipher.js');
  let text: string;
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`could not read ${file}: ${messageOf(error)}`);
    }
  } else if (process.stdin.isTTY) {
    throw new UsageError('no key given', { hint: 'pass the file slides tiktok key export wrote, or pipe the key on stdin' });
  } else {
    text = await readStdin();
  }
  const key = tokenKeyFromBase64(text);
  if (!key) throw new UsageError(`${file ?? 'stdin'} does not hold a TikTok token key (base64 of 32 bytes)`, { hint: 'use the output of slides tiktok key export' });
  const home = tiktokHome(ctx);
  const place = (await openKeyRing(home)).store(key);
  const { readConnection } = await import('../../tiktok/auth/account.js');
  // The key is stored either way; the backend only lets us say whether it is the tokens' key.
  const connection = await ctx
    .backend()
    .then((backend) => readConnection(backend.rows, backend.identity.userId))
    .catch((error: unknown) => void ctx.io.debug(`could not compare with the stored tokens: ${messageOf(error)}`));
  if (connection?.keyId && connection.keyId !== key.id) {
    ctx.io.warn(`the stored TikTok tokens were sealed with key ${connection.keyId}, not this one (${key.id}): export the key from the machine that connected`);
  }
  if (ctx.env[TOKEN_KEY_ENV]) ctx.io.warn(`${TOKEN_KEY_ENV} is set too: new tokens are sealed with that key`);
  const where = place === 'keychain' ? 'the OS keychain' : 'the 0600 credentials file';
  if (ctx.io.json) ctx.io.printJson({ keyId: key.id, stored: place });
  else ctx.io.out(`Imported the TikTok token key (id ${key.id}) into ${where}.`);
  return { keyId: key.id, stored: place };
}
