/**
 * electron-builder.yml, checked by electron-builder itself: its config loader
 * and schema validation (what `electron-builder` runs first), and the fuse wire
 * it would flip in the Electron binary after packing (generateFuseConfig, fed to
 * @electron/fuses). Building the installers needs the Electron binary of each
 * target and the network, so it is not part of `npm test`; only a real build
 * shows the real fuse set (`npx @electron/fuses read --app <packaged app>`).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  files?: Array<{ filter: string[] }>;
  asar?: boolean;
  electronFuses?: Record<string, boolean>;
  linux?: { target?: string[] };
  mac?: { target?: string };
  win?: { target?: string };
}

const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const { PlatformPackager } = require('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig(fuses: Record<string, boolean>): Promise<Record<string | number, unknown>> } };
};

describe('packaging (electron-builder.yml)', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const config = await getConfig(root, null, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('makes AppImage and deb, dmg, NSIS from the electron-vite build and the examples inside app.asar', async () => {
    const config = await getConfig(root, null, null);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
    expect(config.asar).toBe(true);
    // the loader normalises the list into one filter set
    expect(config.files).toEqual([{ filter: ['out/**', 'examples/**', 'package.json'] }]);
  });

  it('flips the hardening fuses: no run-as-node, encrypted cookies, app.asar only, no extra file:// privileges', async () => {
    const config = await getConfig(root, null, null);
    const wire = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses ?? {});
    const { FuseV1Options, FuseVersion } = (await import(require.resolve('@electron/fuses'))) as {
      FuseV1Options: Record<string, number>;
      FuseVersion: Record<string, string>;
    };
    expect(wire).toMatchObject({
      version: FuseVersion['V1'],
      [FuseV1Options['RunAsNode']!]: false,
      [FuseV1Options['EnableCookieEncryption']!]: true,
      [FuseV1Options['OnlyLoadAppFromAsar']!]: true,
      [FuseV1Options['GrantFileProtocolExtraPrivileges']!]: false,
      [FuseV1Options['EnableNodeOptionsEnvironmentVariable']!]: false,
      [FuseV1Options['EnableNodeCliInspectArguments']!]: false,
    });
  });
});
