// electron-builder's msiProjectCreated hook (electron-builder.yml): registers the join-link scheme
// tandem:// in the MSI, as resources/installer.nsh does for NSIS; electron-builder registers
// protocols itself on macOS and Linux only. Root HKMU is HKLM for a per-machine install.
// SCHEME and EXECUTABLE must equal PRODUCT.protocolScheme and PRODUCT.productName + '.exe' in
// packages/shared/src/product.ts; apps/desktop/src/main/policy/installerConfig.test.ts checks it.
import { readFile, writeFile } from 'node:fs/promises';

const SCHEME = 'tandem';
const EXECUTABLE = 'Tandem.exe';
// Fixed: Windows Installer tracks a component by its GUID across upgrades.
const COMPONENT_GUID = '20741EB1-DAF9-4D4A-A49F-8908F4BD1BE6';
const ANCHOR = '<ComponentGroup Id="ProductComponents" Directory="APPLICATIONFOLDER">';

/** Adds the protocol handler's registry keys to the product's components. */
export function addProtocolHandler(wxs) {
  // A changed electron-builder template must fail the build, not ship an MSI without the handler.
  if (!wxs.includes(ANCHOR)) throw new Error(`msiProtocol: the MSI project no longer has ${ANCHOR}`);
  const exe = `[APPLICATIONFOLDER]${EXECUTABLE}`;
  const component = `
      <Component Id="ProtocolHandler" Guid="${COMPONENT_GUID}">
        <RegistryKey Root="HKMU" Key="Software\\Classes\\${SCHEME}">
          <RegistryValue Type="string" Value="URL:Tandem meeting link" KeyPath="yes"/>
          <RegistryValue Type="string" Name="URL Protocol" Value=""/>
          <RegistryValue Type="string" Key="DefaultIcon" Value="${exe},0"/>
          <RegistryValue Type="string" Key="shell\\open\\command" Value="&quot;${exe}&quot; -- &quot;%1&quot;"/>
        </RegistryKey>
      </Component>`;
  return wxs.replace(ANCHOR, () => ANCHOR + component);
}

export async function msiProjectCreated(projectPath) {
  await writeFile(projectPath, addProtocolHandler(await readFile(projectPath, 'utf8')));
}
