import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { SetupError } from './setupError.ts';

/** A certificate and its private key, PEM files. */
export type TestCertificate = { readonly certFile: string; readonly keyFile: string };

/** A throw-away certificate authority: its own certificate (to trust) and what it signs. */
export type TestCa = TestCertificate & {
  /** A certificate for `names` (DNS names or IP addresses, the first its subject), signed by this authority. */
  issue(names: readonly [string, ...string[]]): TestCertificate;
};

function openssl(args: readonly string[]): void {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  if (run.error !== undefined)
    throw new SetupError(
      'openssl is missing (TLS tests make their certificates with it): on Debian run `apt-get install openssl`.',
    );
  if (run.status !== 0) throw new Error(`openssl ${args[0] ?? ''} failed: ${run.stderr}`);
}

/** EC P-256 keys, valid two days: enough for a test run, useless after it. */
const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
const DAYS = ['-days', '2'];

/**
 * A certificate authority made for a test in `dir` with the openssl command, whose certificates
 * TLS clients trust only when told to (its `certFile` as their CA file).
 */
export function makeTestCa(dir: string, name = 'Tandem test CA'): TestCa {
  fs.mkdirSync(dir, { recursive: true });
  const stem = path.join(dir, name.replace(/\W+/g, '-').toLowerCase());
  const ca = { certFile: `${stem}.pem`, keyFile: `${stem}.key` };
  openssl(['req', '-x509', ...KEY, '-keyout', ca.keyFile, '-out', ca.certFile, ...DAYS, '-subj', `/CN=${name}`]);
  let issued = 0;
  return {
    ...ca,
    issue(names) {
      issued += 1;
      const leaf = `${stem}-${issued}`;
      const alt = names.map((n) => (isIP(n) === 0 ? `DNS:${n}` : `IP:${n}`)).join(',');
      fs.writeFileSync(`${leaf}.ext`, `subjectAltName=${alt}\n`);
      openssl(['req', ...KEY, '-keyout', `${leaf}.key`, '-out', `${leaf}.csr`, '-subj', `/CN=${names[0]}`]);
      openssl([
        'x509',
        '-req',
        '-in',
        `${leaf}.csr`,
        '-CA',
        ca.certFile,
        '-CAkey',
        ca.keyFile,
        '-CAcreateserial',
        '-out',
        `${leaf}.pem`,
        ...DAYS,
        '-extfile',
        `${leaf}.ext`,
      ]);
      return { certFile: `${leaf}.pem`, keyFile: `${leaf}.key` };
    },
  };
}
