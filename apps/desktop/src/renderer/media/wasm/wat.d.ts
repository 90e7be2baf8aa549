/** A WebAssembly text file, compiled when the renderer is built (scripts/wat.ts): the module's bytes. */
declare module '*.wat' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
