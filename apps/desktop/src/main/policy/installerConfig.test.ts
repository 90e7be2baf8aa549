import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PRODUCT } from '@tandem/shared';

const ROOT = path.resolve(import.meta.dirname, '../../../../..');
const RESOURCES = path.join(ROOT, 'resources');

/** A file of electron-builder's, found through electron-builder so it matches the installed version. */
function builderFile(specifier: string): string {
  return createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json')).resolve(specifier);
}

async function electronBuilderSchema(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(builderFile('app-builder-lib/scheme.json'), 'utf8')) as Record<string, unknown>;
}

type MsiHook = {
  readonly addProtocolHandler: (wxs: string) => string;
  readonly msiProjectCreated: (projectPath: string) => Promise<void>;
};

async function compileValidator(): Promise<(config: unknown) => readonly string[]> {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(await electronBuilderSchema());
  return (config) =>
    validate(config) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

// Compiling electron-builder's large schema is the slow part: once per file.
let compiled: Promise<(config: unknown) => readonly string[]> | undefined;
const validator = (): Promise<(config: unknown) => readonly string[]> => (compiled ??= compileValidator());

type Config = {
  readonly appId: unknown;
  readonly msiProjectCreated: string;
  readonly productName: unknown;
  readonly protocols: readonly { readonly schemes: readonly unknown[] }[];
  readonly electronFuses: Readonly<Record<string, unknown>>;
  readonly asarUnpack: readonly string[];
  readonly win: { readonly target: readonly string[]; readonly icon: string };
  readonly mac: { readonly target: readonly string[]; readonly icon: string };
  readonly linux: { readonly target: readonly string[]; readonly icon: string };
};

async function config(): Promise<Config> {
  return parse(await readFile(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Config;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): readonly [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's configuration schema", async () => {
    expect((await validator())(await config())).toEqual([]);
  });

  it('would be rejected by that schema if it had an unknown option', async () => {
    const wrong = { ...(await config()), electronFuses: { runAsNod: false } };
    expect((await validator())(wrong)).not.toEqual([]);
  });

  it('declares the identity of packages/shared/src/product.ts', async () => {
    const { appId, productName, protocols } = await config();
    expect({ appId, productName, schemes: protocols.flatMap((protocol) => protocol.schemes) }).toEqual({
      appId: PRODUCT.appId,
      productName: PRODUCT.productName,
      schemes: [PRODUCT.protocolScheme],
    });
  });

  it('registers the same scheme on Windows, where the NSIS include script does it', async () => {
    const script = await readFile(path.join(RESOURCES, 'installer.nsh'), 'utf8');
    const schemes = new Set(Array.from(script.matchAll(/"Software\\Classes\\([^"\\]+)/g), (match) => match[1]));
    expect([...schemes]).toEqual([PRODUCT.protocolScheme]);
  });

  it('registers the same scheme in the MSI, through the msiProjectCreated hook', async () => {
    const { msiProjectCreated } = await config();
    expect(msiProjectCreated).toBe('./resources/msiProtocol.mjs');
    const hook = (await import(pathToFileURL(path.join(ROOT, msiProjectCreated)).href)) as MsiHook;
    // electron-builder's own WiX template, with its template directives dropped so it is XML.
    const template = await readFile(builderFile('app-builder-lib/templates/msi/template.xml'), 'utf8');
    const wxs = template.replace(/^\s*\{\{.*\}\}.*$/gm, '').replace(/\$\{\w+\}/g, 'x');
    const dir = await mkdtemp(path.join(tmpdir(), 'tandem-msi-'));
    try {
      const project = path.join(dir, 'project.wxs');
      await writeFile(project, wxs);
      await hook.msiProjectCreated(project);
      const document = new DOMParser({
        onError: (level, message) => {
          throw new Error(`${level}: ${message}`);
        },
      }).parseFromString(await readFile(project, 'utf8'), 'text/xml');
      const [key] = Array.from(document.getElementsByTagName('RegistryKey'));
      expect(key?.parentNode?.parentNode).toMatchObject({ tagName: 'ComponentGroup' });
      expect(key?.getAttribute('Key')).toBe(`Software\\Classes\\${PRODUCT.protocolScheme}`);
      const values = Array.from(key?.getElementsByTagName('RegistryValue') ?? [], (value) =>
        value.getAttribute('Value'),
      );
      // `--` ends the switches: a crafted link can never be read as a Chromium or Node flag.
      expect(values).toContain(`"[APPLICATIONFOLDER]${PRODUCT.productName}.exe" -- "%1"`);
      const nsis = await readFile(path.join(RESOURCES, 'installer.nsh'), 'utf8');
      expect(nsis).toContain(`'"$appExe" -- "%1"'`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(() => hook.addProtocolHandler('<Wix/>')).toThrow(/no longer has/);
  });

  it('sets every Electron fuse explicitly, each to its locked-down value', async () => {
    const schema = (await electronBuilderSchema()) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };
    const { electronFuses } = await config();
    expect(Object.keys(electronFuses).sort()).toEqual(Object.keys(schema.definitions.FuseOptionsV1.properties).sort());
    expect(electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds every installer IT asks for and unpacks better-sqlite3 from the asar', async () => {
    const { win, mac, linux, asarUnpack } = await config();
    expect(win.target).toEqual(expect.arrayContaining(['nsis', 'msi']));
    expect(mac.target).toEqual(expect.arrayContaining(['dmg', 'pkg']));
    expect(linux.target).toEqual(expect.arrayContaining(['deb', 'rpm', 'AppImage']));
    expect(asarUnpack).toContain('**/node_modules/better-sqlite3/**');
  });
});

describe('icons in resources/', () => {
  it('has a Linux PNG for every size from 16 to 1024, each the size its name says', async () => {
    const { linux } = await config();
    const dir = path.join(RESOURCES, linux.icon);
    const names = (await readdir(dir)).filter((name) => name.endsWith('.png'));
    expect(names.sort()).toEqual([16, 24, 32, 48, 64, 128, 256, 512, 1024].map((size) => `${size}x${size}.png`).sort());
    for (const name of names) {
      const size = Number(name.split('x')[0]);
      expect(pngSize(await readFile(path.join(dir, name)))).toEqual([size, size]);
    }
  });

  it('has a Windows .ico up to 256 px and a macOS .icns up to 1024 px', async () => {
    const { win, mac } = await config();
    const ico = await readFile(path.join(RESOURCES, win.icon));
    // ICONDIR: reserved 0, type 1 (icon), then one 16-byte entry per image; width 0 means 256.
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const widths = Array.from({ length: ico.readUInt16LE(4) }, (_, index) => ico.readUInt8(6 + index * 16) || 256);
    expect(widths).toEqual(expect.arrayContaining([16, 32, 48, 256]));

    const icns = await readFile(path.join(RESOURCES, mac.icon));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4)) {
      types.push(icns.subarray(offset, offset + 4).toString('latin1'));
    }
    // ic10: 1024 px (512@2x); ic09: 512; ic08: 256; il32: 32.
    expect(types).toEqual(expect.arrayContaining(['ic10', 'ic09', 'ic08', 'il32']));
  });
});
