// electron-builder.yml, read and validated by electron-builder's own code (the same loader and JSON
// schema `electron-builder --config electron-builder.yml` uses), since packaging cannot run here.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { beforeAll, describe, expect, it } from 'vitest';

type Configuration = Awaited<ReturnType<typeof getConfig>>;
type DebugLogger = Parameters<typeof validateConfiguration>[1];

const projectDir = path.resolve('.');
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(projectDir, path.join(projectDir, 'electron-builder.yml'), null);
});

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema validation", async () => {
    const debug = { isEnabled: false, add: () => {} } as unknown as DebugLogger;
    await expect(validateConfiguration(config, debug)).resolves.toBeUndefined();
  });

  it('names the app and its folders', () => {
    expect(config.appId).toBe('com.custodian.console');
    expect(config.productName).toBe('Custodian');
    expect(config.directories).toMatchObject({ output: 'release', buildResources: 'build' });
    // electron-builder normalises `files` to file sets ({ filter: [...] }).
    const patterns = ([] as unknown[])
      .concat(config.files)
      .flatMap((f) => (typeof f === 'string' ? [f] : ((f as { filter?: string[] }).filter ?? [])));
    expect(patterns).toEqual(expect.arrayContaining(['dist/**/*', 'package.json']));
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("packs an asar, with integrity on, and unpacks only the SQLite engines' native addons", () => {
    expect(config.asar).not.toBe(false);
    expect(config.disableAsarIntegrity).toBeFalsy();
    expect(config.asarUnpack).toEqual([
      '**/node_modules/sqlite3/**/*.node',
      '**/node_modules/@journeyapps/sqlcipher/**/*.node',
    ]);
  });

  it('builds AppImage and deb on Linux, NSIS on Windows, a dmg on macOS', () => {
    const targets = (t: unknown) =>
      ([] as unknown[])
        .concat(t)
        .map((x) => (typeof x === 'string' ? x : (x as { target: string }).target));
    expect(targets(config.linux?.target)).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Office');
    expect(config.linux?.maintainer).toMatch(/<[^@>]+@[^>]+>/); // deb needs a maintainer e-mail
    expect(targets(config.win?.target)).toEqual(['nsis']);
    expect(targets(config.mac?.target)).toEqual(['dmg']);
  });

  it('has a 512x512 PNG icon in the build resources', () => {
    const png = fs.readFileSync(path.join(projectDir, 'build', 'icon.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
    // The image data inflates to 512 rows of (filter byte + 512 RGBA pixels).
    const chunks: Buffer[] = [];
    for (let at = 8; at < png.length;) {
      const length = png.readUInt32BE(at);
      if (png.toString('latin1', at + 4, at + 8) === 'IDAT') {
        chunks.push(png.subarray(at + 8, at + 8 + length));
      }
      at += 12 + length;
    }
    expect(zlib.inflateSync(Buffer.concat(chunks)).length).toBe(512 * (1 + 512 * 4));
  });
});
