import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SetupError } from './setupError.ts';

export const hasCommand = (name: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

/** Throws a SetupError naming what needs Go when Go is not installed. */
export function requireGo(what: string): void {
  if (!hasCommand('go')) {
    throw new SetupError(
      `${what} is missing and Go is not installed: install Go 1.26 (the build uses the Go module proxy) ` +
        'and try again.',
    );
  }
}

export type GoCommand = {
  /** What to call it in messages, e.g. `livekit-sip 1.0.0`. */
  readonly name: string;
  /** The command's package and the exact version of its module, e.g. `github.com/livekit/sip/cmd/livekit-sip`, `1.0.0`. */
  readonly pkg: string;
  readonly version: string;
  /** Where the binary goes (replaced atomically, so a half-written one is never found). */
  readonly binary: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly ldflags?: string;
};

/**
 * Builds a Go command at an exact version from a throw-away Go module: `go install …@v1.0.0`
 * fails for livekit-sip because the module proxy refuses its version list, while `go get` of the
 * exact version in a module of our own works.
 */
export function buildGoCommand(command: GoCommand, log: (line: string) => void): void {
  requireGo(command.name);
  const module = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-go-build-'));
  const go = (args: readonly string[]): void => {
    const out = spawnSync('go', args, {
      cwd: module,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...command.env },
    });
    if (out.status !== 0) {
      throw new SetupError(
        `building ${command.name} failed at \`go ${args.join(' ')}\` (in ${module}); see the output above.`,
      );
    }
  };
  log(`building ${command.name} with Go (several minutes the first time)…`);
  go(['mod', 'init', 'tandem-go-build']);
  go(['get', `${command.pkg}@v${command.version}`]);
  const built = path.join(module, 'built');
  go(['build', ...(command.ldflags === undefined ? [] : ['-ldflags', command.ldflags]), '-o', built, command.pkg]);
  fs.mkdirSync(path.dirname(command.binary), { recursive: true });
  fs.copyFileSync(built, `${command.binary}.partial`);
  fs.chmodSync(`${command.binary}.partial`, 0o755);
  fs.renameSync(`${command.binary}.partial`, command.binary);
  fs.rmSync(module, { recursive: true, force: true });
}
