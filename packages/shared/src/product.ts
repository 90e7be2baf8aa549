/**
 * The product's identity, declared once: the installer config, the protocol handler, the
 * policy paths and the deep-link parser all read it from here.
 */
export const PRODUCT = {
  appId: 'com.tandem.desktop',
  productName: 'Tandem',
  /** Vendor key under which IT policies live (`SOFTWARE\Policies\<vendor>\<app>` on Windows). */
  vendor: 'Tandem',
  /** Deep links: `tandem://join/<code>`. */
  protocolScheme: 'tandem',
} as const;
