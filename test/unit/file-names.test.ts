import { describe, expect, it } from 'vitest';
import { exportFileName } from '../../shared/disclosure-schemas';
import { reservedDeviceName } from '../../shared/file-names';
import { checkFileName } from '../../main/services/exports/writer';
import { AppError } from '../../shared/errors';

const DEVICES = [
  'CON',
  'PRN',
  'AUX',
  'NUL',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`COM${n}`, `LPT${n}`]),
];

/** Every way Windows still reads the device: any case, any extension, spaces or dots after it. */
function variants(device: string): string[] {
  const lower = device.toLowerCase();
  const mixed = [...device].map((c, i) => (i % 2 ? c.toLowerCase() : c)).join('');
  return [
    `${device}.csv`,
    `${lower}.csv`,
    `${mixed}.json`,
    `${device}.tar.csv`,
    `${lower}.backup.2026.json`,
    `${device} .csv`,
    `${device}   .json`,
  ];
}

describe('Windows reserved names', () => {
  it('names the device for every reserved name, in every case, with any extension', () => {
    for (const device of DEVICES) {
      for (const name of [device, `${device}.`, `${device} `, `${device}. .`, ...variants(device)])
        expect(reservedDeviceName(name), name).toBe(device);
    }
  });

  it('knows the superscript ports and the port 0 names too', () => {
    for (const name of ['COM¹.csv', 'com².json', 'LPT³.csv', 'lpt¹', 'COM0.csv', 'LPT0.json'])
      expect(reservedDeviceName(name), name).not.toBeNull();
  });

  it('accepts names that only contain or resemble a device name', () => {
    for (const name of [
      'console.csv',
      'CONTRACTS.csv',
      'nulls.json',
      'aux-report.csv',
      'COM10.csv',
      'LPT10.json',
      'COM.csv',
      'my CON.csv',
      'prn2026.csv',
      'com1x.csv',
      '_nul.csv',
      'auxiliary.json',
    ])
      expect(reservedDeviceName(name), name).toBeNull();
  });

  it('the shared schema refuses them with a message that says why', () => {
    for (const device of DEVICES) {
      for (const name of variants(device)) {
        const r = exportFileName.safeParse(name);
        expect(r.success, name).toBe(false);
        expect(r.error!.issues[0]!.message, name).toMatch(/Windows keeps for a device/);
        expect(r.error!.issues[0]!.message).toContain(`"${device}"`);
      }
    }
    for (const name of ['COM¹.csv', 'lpt³.json']) {
      const r = exportFileName.safeParse(name);
      expect(r.error!.issues[0]!.message, name).toMatch(/Windows keeps for a device/);
    }
    expect(exportFileName.safeParse('console.csv').success).toBe(true);
    expect(exportFileName.safeParse('COM10.json').success).toBe(true);
  });

  it('the writer refuses them too, whatever the caller validated', () => {
    for (const device of DEVICES) {
      for (const name of variants(device)) {
        const format = name.endsWith('.json') ? 'json' : 'csv';
        let caught: unknown;
        try {
          checkFileName(name, format);
        } catch (err) {
          caught = err;
        }
        expect(caught, name).toBeInstanceOf(AppError);
        expect((caught as AppError).message, name).toMatch(/Windows keeps for a device/);
      }
    }
    expect(() => checkFileName('COM².csv', 'csv')).toThrow(/Windows keeps for a device/);
    expect(() => checkFileName('console.csv', 'csv')).not.toThrow();
    expect(() => checkFileName('LPT10.json', 'json')).not.toThrow();
  });
});
