/**
 * A QR code rendered to an SVG data URL (no canvas, no remote resources). A text too long for
 * a QR code (qrcode refuses it) says so in place of the code, never an empty box.
 */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

type Drawn = { readonly source: string } | { readonly problem: string } | null;

export function QrCode({ text, label }: { text: string; label: string }) {
  const [drawn, setDrawn] = useState<Drawn>(null);
  useEffect(() => {
    let live = true;
    setDrawn(null);
    QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }).then(
      (svg) => {
        if (live) setDrawn({ source: `data:image/svg+xml;base64,${btoa(svg)}` });
      },
      (error: unknown) => {
        // qrcode's one refusal of a well-formed string: more data than the largest QR code holds.
        if (!(error instanceof Error)) throw error;
        if (live) setDrawn({ problem: 'Too long for a QR code.' });
      },
    );
    return () => {
      live = false;
    };
  }, [text]);
  if (drawn === null) return <div className="qr qr-loading" aria-busy="true" />;
  if ('problem' in drawn)
    return (
      <p className="qr qr-loading muted" role="note">
        {drawn.problem}
      </p>
    );
  return <img className="qr" src={drawn.source} alt={label} width={180} height={180} />;
}
