/**
 * The printable recovery kit: one self-contained HTML page (no scripts, no
 * external resources, so it prints the same anywhere and leaks nothing when
 * opened) with whose identity it opens, the 24 words, the same code as a QR
 * code, and what to do with it. Every value from a card is HTML-escaped.
 */
import QRCode from 'qrcode';
import { formatRecoveryCode } from './recovery-code.js';

export interface RecoveryKitContent {
  readonly name: string;
  readonly organisation: string;
  readonly email: string;
  readonly fingerprint: string;
  readonly identityCreatedAt: string;
  readonly kitMadeAt: string;
  readonly words: readonly string[];
}

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
const day = (iso: string) => iso.slice(0, 10);

export async function recoveryKitHtml(kit: RecoveryKitContent): Promise<string> {
  const qr = await QRCode.toString(kit.words.join(' '), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const fingerprintGroups = kit.fingerprint.match(/.{1,8}/g)?.join(' ') ?? kit.fingerprint;
  const rows = formatRecoveryCode(kit.words)
    .map((line) => `<li>${escape(line)}</li>`)
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>MedSeal recovery kit</title>
<style>
  body { font: 12pt/1.45 system-ui, sans-serif; max-width: 46em; margin: 2em auto; color: #111; }
  h1 { font-size: 18pt; margin-bottom: 0.2em; }
  .warning { border: 2px solid #a00; padding: 0.6em 0.9em; }
  ol.code { list-style: none; padding: 0; font: 13pt/1.9 ui-monospace, monospace; }
  .qr { width: 13em; float: right; margin: 0 0 1em 1em; }
  dt { font-weight: 600; } dd { margin: 0 0 0.4em 0; }
  @media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>MedSeal recovery kit</h1>
<p class="warning"><strong>Anyone who has this page can open this MedSeal identity</strong> and read every package sent to it. Print it, keep it locked away like a prescription pad, and delete the file once printed.</p>
<dl>
  <dt>Identity of</dt><dd>${escape(kit.name)}, ${escape(kit.organisation)} (${escape(kit.email)})</dd>
  <dt>Fingerprint</dt><dd><code>${escape(fingerprintGroups)}</code></dd>
  <dt>Contact card dated</dt><dd>${escape(day(kit.identityCreatedAt))}</dd>
  <dt>This kit made</dt><dd>${escape(day(kit.kitMadeAt))} (a newer kit replaces this one: these words then no longer unlock the identity, but backups made before the new kit still open with them)</dd>
</dl>
<div class="qr" role="img" aria-label="The recovery code as a QR code">${qr}</div>
<h2>Recovery code</h2>
<ol class="code">
      ${rows}
</ol>
<h2>When to use it</h2>
<ul>
  <li><strong>Forgotten passphrase:</strong> in MedSeal choose "Forgot your passphrase?", or run <code>medseal identity recover --code-file FILE</code>, type the 24 words and choose a new passphrase.</li>
  <li><strong>New or repaired workstation:</strong> restore your latest MedSeal backup; the recovery code opens it if you no longer know the passphrase it was made with.</li>
</ul>
<p>The first four letters of each word are enough; capitals, numbers and punctuation are ignored. MedSeal never asks for this code by e-mail or telephone, and neither does your IT department.</p>
</body>
</html>
`;
}
