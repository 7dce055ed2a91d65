/** The TLS modes offered for the team server, each with what it means in plain words. */
export type Tls = 'disable' | 'require' | 'verify-full';

export const TLS_OPTIONS: { value: Tls; label: string; help: string }[] = [
  {
    value: 'verify-full',
    label: 'Encrypt and verify the server (recommended)',
    help: 'The connection is encrypted and the server must prove it is the one named above with a certificate this computer trusts.',
  },
  {
    value: 'require',
    label: 'Encrypt, do not verify the server',
    help: 'The connection is encrypted but the server is not checked: use only on a network you trust.',
  },
  {
    value: 'disable',
    label: 'No encryption',
    help: 'Customer data crosses the network in the clear: only for a server on this computer or a closed private network.',
  },
];
