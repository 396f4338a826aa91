/**
 * `node dist/src/cli/hash-password.js [user]`: prints a status page user entry for `status_page.users`, with the
 * password hashed as `scrypt:<salt>:<hash>`. The password is read from the terminal without echo, or from
 * stdin when piped (`printf %s "$PW" | node dist/src/cli/hash-password.js anna`) — never from the command
 * line, where it would stay in the shell history. Exit codes: 0 printed, 2 empty password or usage.
 */
import { hashPassword } from '../status-page/passwords.js';

function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let text = '';
    const done = (value: string | Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (value instanceof Error) reject(value);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(text);
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPiped(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, '');
}

async function main(): Promise<number> {
  const user = process.argv[2] ?? 'tech';
  if (user.startsWith('-') || process.argv.length > 3) {
    console.error('usage: node dist/src/cli/hash-password.js [user]   (the password is read from the terminal or stdin)');
    return 2;
  }
  let password: string;
  if (process.stdin.isTTY) {
    password = await readHidden(`password for ${user}: `);
    if ((await readHidden('again: ')) !== password) {
      console.error('the two passwords differ');
      return 2;
    }
  } else password = await readPiped();
  if (!password) {
    console.error('empty password');
    return 2;
  }
  if (password.length < 12) console.error('warning: a password shorter than 12 characters is easy to guess');
  console.log(`    - { name: ${JSON.stringify(user)}, password_hash: ${JSON.stringify(await hashPassword(password))} }`);
  return 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error((err as Error).message);
  process.exit(1);
});
