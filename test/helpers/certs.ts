/**
 * Test-time PKI with the openssl CLI: a CA, a server certificate for 127.0.0.1/localhost, and client
 * certificates with a given CN (OCPP security profile 3: CN = charger identity). Nothing is committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  dir: string;
  remove(): void;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** Paths of a client key and certificate signed by this CA (or `otherCa`) with the given CN. */
  client(cn: string, opts?: { otherCa?: boolean }): { cert: Buffer; key: Buffer };
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function makeCa(dir: string, name: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`], dir);
}

function sign(dir: string, ca: string, name: string, cn: string, ext?: string): void {
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/O=Test CPO/CN=${cn}`], dir);
  const args = ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2'];
  if (ext) {
    writeFileSync(join(dir, `${name}.ext`), ext);
    args.push('-extfile', `${name}.ext`);
  }
  openssl(args, dir);
}

export function createPki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-pki-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  sign(dir, 'ca', 'server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  let n = 0;
  return {
    dir, remove: () => rmSync(dir, { recursive: true, force: true }), caCert: join(dir, 'ca.crt'), serverCert: join(dir, 'server.crt'), serverKey: join(dir, 'server.key'),
    client(cn, opts = {}) {
      const name = `client-${n++}`;
      sign(dir, opts.otherCa ? 'other-ca' : 'ca', name, cn);
      return { cert: readFileSync(join(dir, `${name}.crt`)), key: readFileSync(join(dir, `${name}.key`)) };
    },
  };
}
