/** A QR code rendered to an SVG data URL (no canvas, no remote resources). */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

export function QrCode({ text, label }: { text: string; label: string }) {
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }).then((svg) => {
      if (live) setSource(`data:image/svg+xml;base64,${btoa(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [text]);
  return source ? (
    <img className="qr" src={source} alt={label} width={180} height={180} />
  ) : (
    <div className="qr qr-loading" aria-busy="true" />
  );
}
