/**
 * File names Custodian writes must be valid on every workstation's OS, so a name Windows reserves
 * for a device is refused everywhere: an export named on Linux may be copied to a Windows share,
 * and on Windows `NUL.csv` would silently write nowhere and `COM1.csv` to a serial port.
 */

const DEVICES = ['CON', 'PRN', 'AUX', 'NUL', 'CONIN$', 'CONOUT$'];
// Windows reserves COM0-COM9 and LPT0-LPT9 and also the superscript digits ¹ ² ³ (its code page
// maps them to 1 2 3); COM0 and LPT0 are not devices on every version, so they are refused too.
const PORT_DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '¹', '²', '³'];
const RESERVED = new Set([...DEVICES, ...PORT_DIGITS.flatMap((d) => [`COM${d}`, `LPT${d}`])]);

/**
 * The device name a file name would open on Windows, or null. Windows ignores case, everything
 * from the first dot (so any extension, also `NUL.tar.gz`) and spaces before that dot, and drops
 * trailing dots and spaces from the whole name (`CON.` and `CON ` are CON).
 */
export function reservedDeviceName(fileName: string): string | null {
  const stem = fileName
    .replace(/[. ]+$/, '')
    .split('.')[0]!
    .replace(/ +$/, '')
    .toUpperCase();
  return RESERVED.has(stem) ? stem : null;
}

/** The message for a reserved name, in plain words. */
export function reservedNameMessage(device: string): string {
  return `"${device}" is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1-COM9, LPT1-LPT9, with any extension): choose another file name.`;
}
