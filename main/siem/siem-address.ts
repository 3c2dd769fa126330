/**
 * Where audit events are forwarded: policy `syslogServer`, `udp://`,
 * `tcp://` or `tls://HOST:PORT` (docs/DEPLOYMENT.md, "SIEM forwarding").
 */
export type SiemProtocol = 'udp' | 'tcp' | 'tls';

export interface SiemAddress {
  readonly protocol: SiemProtocol;
  readonly host: string;
  readonly port: number;
}

/** Parses a syslog server address; throws a plain Error with the reason (policy validation shows it). */
export function parseSiemAddress(text: string): SiemAddress {
  const match = /^(udp|tcp|tls):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  if (!match) throw new Error('must look like tcp://HOST:PORT, tls://HOST:PORT or udp://HOST:PORT');
  const port = Number(match[3]);
  if (port < 1 || port > 65535) throw new Error('has a port outside 1..65535');
  const host = match[2]!.replace(/^\[|\]$/g, '');
  return { protocol: match[1] as SiemProtocol, host, port };
}
