import fs from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'vite';
import loadWabt from 'wabt';

/** WebAssembly text into its binary (wabt, pure JavaScript and wasm: no tool to install); SIMD on. */
export async function watToWasm(name: string, text: string): Promise<Uint8Array> {
  const wabt = await loadWabt();
  const module = wabt.parseWat(name, text, { simd: true, bulk_memory: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

/**
 * `import bytes from './x.wat'`: the text compiled at build time (and in dev and tests), the module's
 * bytes inlined as base64 in the bundle. Nothing binary is committed, and nothing is fetched at run
 * time (the page compiles them: the CSP's 'wasm-unsafe-eval').
 */
export function wat(): Plugin {
  return {
    name: 'tandem-wat',
    enforce: 'pre',
    async load(id) {
      const file = id.split('?')[0] ?? id;
      if (!file.endsWith('.wat')) return null;
      this.addWatchFile(file);
      const bytes = await watToWasm(path.basename(file), await fs.readFile(file, 'utf8'));
      const base64 = Buffer.from(bytes).toString('base64');
      return {
        code: `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));\n`,
        moduleType: 'js',
      };
    },
  };
}
