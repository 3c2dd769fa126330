/** The answer to an import or a verification (contactMessage.ts), warnings listed; it takes the focus, as the result of the reader's action. */
import { Notice } from '../../components/Notice.js';
import type { ContactMessage } from './contactMessage.js';

export function ContactNotice({ message }: { message: ContactMessage }) {
  return (
    <Notice kind={message.kind} focus>
      {message.text}
      {message.details.length > 0 && (
        <ul>
          {message.details.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </Notice>
  );
}
