/**
 * English: the words of every MedSeal error, keyed by code (or CODE.variant where one code has
 * several texts), grouped by the module that raises them. ICU MessageFormat: `{name}` is a value
 * the error was given; `{n, plural, …}` and `{kind, select, …}` choose words; '' is an apostrophe
 * next to a brace. Values are counts, positions, roles and reasons, never patient data.
 * docs/ERRORS.md is generated from this file (npm run errors:generate); a language is one more
 * file like this one, listed in error-text.ts.
 */
export const en = {
  // identity/errors.ts
  WRONG_PASSPHRASE: 'The passphrase is not correct. Nothing was changed.',
  KEYSTORE_MALFORMED: 'The identity file is damaged or not a MedSeal identity ({reason}). Restore it from a backup.',
  IDENTITY_MISSING: 'There is no identity in this profile yet. Create one first.',
  IDENTITY_EXISTS: 'This profile already has an identity; it was left unchanged.',
  CARD_MALFORMED: 'This is not a valid MedSeal contact card: {reason}.',
  CARD_SIGNATURE_INVALID:
    'This contact card was changed after its owner made it (its signature does not match). Do not import it; ask the sender for a new copy.',
  RECOVERY_CODE_WRONG:
    'This recovery code does not belong to this identity, or a newer recovery kit has replaced it. Nothing was changed.',
  NO_RECOVERY_KIT:
    'This identity has no recovery kit yet, so no recovery code can open it. Make one while you still know the passphrase.',
  WEAK_PASSPHRASE: 'This passphrase is not accepted: {reason}. Nothing was changed.',
  'WEAK_PASSPHRASE.policy-minimum':
    'Your organisation requires a passphrase of at least {minimum} characters; this one has {length}. Nothing was changed.',
  INVALID_PROFILE: 'The {field} {problem}.',
  // services/delivery/errors.ts
  UNKNOWN_INBOX_ITEM:
    'Nothing with that id waits in your inbox (it may have been opened already). `medseal inbox` lists what waits.',
  HOST_KEY_UNCONFIRMED:
    'The server {server} presents the host key {presented}. Compare it with the key IT gave you (on the server: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub); only if they are identical, confirm it (--host-key {presented}).',
  UNKNOWN_EXCHANGE: 'There is no exchange of that name. `medseal exchange list` shows them.',
  RECEIPT_NOT_ALLOWED:
    'No receipt can be written for this sender: receipts go only to contacts whose keys signed the package, never to an unknown sender or a possible impersonator. Nothing was saved.',
  EXCHANGE_ID_UNREADABLE:
    'The exchange {exchange} has a damaged ".medseal-exchange" file, so MedSeal cannot announce your inbox there. Ask IT to check that file (it holds the exchange\'s id).',
  DELIVERY_QUEUED:
    '{count, plural, one {# delivery is} other {# deliveries are}} still queued: the exchange could not be reached. {count, plural, one {It} other {They}} will be tried again automatically (next try {when}); there is no need to send anything another way.',
  NOT_DELIVERED:
    'The package is sealed and saved, but it was not delivered to {names}: no exchange reaches them. Send the saved package another way, or ask them to add the same exchange.',
  'NOT_DELIVERED.with-reasons':
    'The package is sealed and saved, but it was not delivered to {names}: no exchange reaches them ({reasons}). Send the saved package another way, or ask them to add the same exchange.',
  UNKNOWN_SENT_PACKAGE:
    'No package you sent has that number. `medseal packages list` shows the number (#) of each; only a package you sent can be withdrawn.',
  ALREADY_PICKED_UP:
    'Nothing was withdrawn: every recipient already picked this package up. A package that was downloaded or opened cannot be taken back.',
  WITHDRAW_INCOMPLETE:
    'The package could not be taken back from {names} (the reason is given with it), so it may still wait there. Withdraw it again once that exchange works.',
  'WITHDRAW_INCOMPLETE.busy':
    'Nothing was withdrawn yet: MedSeal is delivering this package from its queue right now. Withdraw it again in a minute.',
  'WITHDRAW_INCOMPLETE.mailed':
    'The package went to {names} by e-mail, and an e-mail cannot be taken back: it stays in their mailbox and their MedSeal can still open it. A signed withdrawal notice tells them (where it could be sent); call them if it must not be opened.',
  'WITHDRAW_INCOMPLETE.left':
    'A file under the package’s name in the inbox of {names} is not provably yours, so it was left there: the package may still be there. Ask IT to look at that exchange.',
  INBOX_MISSING:
    'You have no inbox on the exchange {exchange}, so partners cannot deliver to you there. MedSeal makes it while you are unlocked.',
  INBOX_NOT_ANNOUNCED:
    'Your inbox on the exchange {exchange} {problem, select, other_exchange {carries an announcement made for another exchange} owner {belongs to another account than the one you announced} expired {has an expired announcement} other {has no valid announcement of yours}}, so partners do not deliver to you there.',
  INBOX_NOT_WRITABLE:
    'MedSeal wrote to your inbox on the exchange {exchange}, but what it wrote did not read back, so packages may not arrive there either.',
  MAILBOX_MISSING:
    'This needs e-mail, and no mailbox is set up here (or your organisation no longer allows its servers). Set it up first: Settings → Exchanges in the app, or `medseal exchange add-mail`.',
  UNKNOWN_CARD_OFFER:
    'No contact card that came by e-mail has that id (it may have been imported already). Contacts → Cards received by e-mail in the app, or `medseal contacts offers`, lists them.',
  'UNKNOWN_CARD_OFFER.ambiguous':
    'Two different contact cards that came by e-mail have that id, so neither was imported: one may be made to look like the other. Ask your partner to send their card again, and compare the safety number with them.',
  TEST_MESSAGE_LATE:
    'MedSeal sent a test message to your own address, and it had not arrived after {seconds} seconds: packages and receipts sent to you by e-mail may not arrive either.',
  LOGIN_KEY_MISSING:
    'The exchange {exchange} is set by your organisation, but you have not added your login key for it yet, so nothing reaches you there.',
  // services/policy-gate.ts
  POLICY_ERROR:
    'MedSeal cannot start: the policy file set by your organisation ({source}) has an error: {problem}. Ask IT to correct it.',
  PASSPHRASE_PACKAGES_FORBIDDEN:
    'Your organisation does not allow packages with a passphrase for partners without MedSeal. Ask them to install MedSeal and send you their contact card. Nothing was sealed.',
  RECIPIENT_NOT_ALLOWED:
    'Your organisation does not allow sending to {who}: their e-mail domain ({domain}) is not one it allows.',
  'MANAGED_BY_ORGANISATION.lock-minutes': 'Your organisation allows at most {maximum} minutes before MedSeal locks.',
  'MANAGED_BY_ORGANISATION.receipts-off': 'Your organisation has turned receipts off, so no receipt was written.',
  'MANAGED_BY_ORGANISATION.host-key':
    'This server is set by your organisation with another host key; ask IT which one is right.',
  'MANAGED_BY_ORGANISATION.notifications-off': 'Your organisation has turned desktop notifications off.',
  'MANAGED_BY_ORGANISATION.sent-copy-folder':
    'Your organisation keeps a copy of every sent package in a folder it chose; this cannot be changed here.',
  'MANAGED_BY_ORGANISATION.exchange-fixed': 'This exchange is set by your organisation and cannot be removed here.',
  'MANAGED_BY_ORGANISATION.mail-off':
    'Your organisation has not set up delivery by e-mail (no mail servers in its policy, and its own servers are not allowed). Ask IT.',
  'MANAGED_BY_ORGANISATION.mail-servers':
    'Your organisation sets the mail servers ({smtp} and {imap}); only your login can be added here.',
  // services/errors.ts
  PACKAGE_CHANGED:
    'The package file changed after its sender was shown, so nothing was saved. Open it again and check who sent it.',
  SENDER_TRUST_CHANGED:
    'What you know about the sender changed after the package was shown (a contact was removed, re-keyed or revoked), so nothing was saved. Open the package again.',
  SENDER_ALREADY_KNOWN:
    'This sender is already in your contacts, or shares an e-mail address with one of them, so they were not added from the package. Check them under Contacts.',
  SENDER_USES_YOUR_EMAIL:
    "This package's sender uses your own e-mail address with keys that are not yours, so they were not added to your contacts. Do not trust it, and tell IT.",
  PREVIEW_REQUIRED: 'Open the package first to see who sent it; then save its files.',
  BATCH_LINE_INVALID: 'This line of the batch file is not a valid package request: {problem}.',
  BATCH_INCOMPLETE:
    '{failed, plural, one {# package of the batch was} other {# packages of the batch were}} not sealed; the result of each line says why.',
  NOT_IN_CONTACT_FOLDER:
    "This file was put in the outbox itself, not in a contact's folder, so it was not sealed. Put it in a contact's folder (the outbox's folder named by their e-mail address) to send it to them.",
  NOT_A_REGULAR_FILE:
    'Only files are sealed from the hot folder: this is a link or a folder, and links are never followed.',
  NEW_PASSPHRASE_NEEDED:
    'Opening a backup with the recovery code needs a new passphrase for the restored identity. Choose one and try again. Nothing was restored.',
  RESTORE_IN_PROGRESS:
    'Another restore into this profile is running (in the app or the CLI). Wait for it to finish. Nothing was changed.',
  ALREADY_OPENED:
    'You already opened this package before, so nothing was saved again. Open it again only if you need its files once more (in the app: "Save its files again"; on the command line: --again).',
  LOCKED: 'MedSeal is locked. Unlock it to continue.',
  UNKNOWN_PACKAGE:
    'No package in your history has that number or id. `medseal packages list` shows the number (#) of each; a header hash needs at least 8 of its hex digits.',
  PACKAGE_AMBIGUOUS:
    'More than one package in your history starts with that id. Give more of its hex digits, or its number (#) from `medseal packages list`.',
  // app/errors.ts
  UNKNOWN_FILE: 'That file is no longer available. Choose it again.',
  NOTHING_REMEMBERED: 'This device does not remember your key. Unlock with your passphrase.',
  UNKNOWN_JOB: 'That task has already finished.',
  READER_NOT_INSTALLED:
    'MedSeal Reader is missing from this installation, so no copy can be saved. Ask IT to repair MedSeal, or use the copy your organisation publishes.',
  REMEMBER_UNAVAILABLE: 'This device cannot remember your key: {reason}. Use your passphrase.',
  'FILE_REFUSED.not-chosen': 'Only files chosen in MedSeal or dropped on its window can be used.',
  'FILE_REFUSED.folder': 'Only files can be used, not folders.',
  'FILE_REFUSED.unreadable': 'That file cannot be read.',
  'FILE_REFUSED.profile-file': 'Files of the MedSeal profile itself cannot be used.',
  // audit/errors.ts
  AUDIT_EXPORT_UNREADABLE:
    'This file is not a MedSeal audit export (CSV or JSON lines), or it was changed so that it can no longer be read.',
  AUDIT_LOG_TAMPERED:
    'The audit log was changed outside MedSeal: entry {firstBadSeq} {problem, select, edited {was edited} forged_signature {does not carry a valid signature of this identity} deleted {was deleted} out_of_order {does not follow the entry before it (entries were deleted, inserted or reordered)} inserted {was inserted after the last signed entry} head_missing {cannot be checked: the signed record of the last entry is missing} truncated {and the entries after it were deleted} selection_changed {begins a filtered copy whose entries are not the ones its signed statement names (entries were removed, added or swapped)} other {begins a filtered copy whose entries are not the ones its signed statement names (entries were removed, added or swapped)}}. Keep this profile as it is and contact IT.',
  // crypto/errors.ts
  KDF_FAILED:
    'MedSeal could not check the passphrase because of an internal problem (the computer may be short of memory). Nothing was changed; try again.',
  // fs/errors.ts
  DESTINATION_EXISTS: '{what} already exists and was not replaced. Choose another place or remove it first.',
  FILE_REPLACED:
    'Another program or user changed the file while MedSeal was writing it, so nothing was saved. Use a folder that only you can change.',
  UNSAFE_FOLDER:
    '{what} {problem, select, missing {does not exist (or is not a folder)} link {is a symbolic link, which MedSeal never follows there} not_a_folder {is not a folder} owner {belongs to another account} writable {can be changed by other accounts (remove their write permission: chmod go-w)} parent {is inside a folder that other accounts can change (a folder above it is theirs, or writable by them without the sticky bit)} other {is inside a folder that other accounts can change (a folder above it is theirs, or writable by them without the sticky bit)}}, so MedSeal will not work there. Use a folder that only you can change, or ask IT to set its owner and permissions.',
  FOLDER_CHANGED:
    '{what} {change, select, replaced {was moved or replaced by another folder} permissions {had its owner or permissions changed} parent {is now inside a folder that other accounts can change} other {is now inside a folder that other accounts can change}} while MedSeal was using it, so MedSeal stopped and did nothing more there. Ask IT to check who changed it.',
  // exchange/errors.ts
  EXCHANGE_FOLDER_UNSAFE:
    'An inbox in the exchange folder is a link to somewhere else, so MedSeal did not use it. Ask IT to check the exchange folder.',
  INVALID_SFTP_ADDRESS: 'That SFTP exchange is not written correctly: {problem}.',
  HOST_KEY_CHANGED:
    'The server {server} presented a different host key ({presented}) from the one confirmed when it was set up ({expected}). Someone may be intercepting the connection, so nothing was sent or fetched, and nothing was queued. Before trusting the new key, compare it with IT or your partner (on the server: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub); only if they confirm it, remove the exchange and add it again with the new key.',
  'HOST_KEY_CHANGED.typed':
    'The server {server} presents the host key {presented}, which does not match the key you gave ({expected}). Nothing was saved. Check with IT or your partner which key is right: if they give {presented}, add the exchange with it; if they give the key you typed, someone may be intercepting the connection: do not use it, and tell IT.',
  'HOST_KEY_CHANGED.managed':
    'The server {server} presents the host key {presented}, not the one your organisation set for it ({expected}). The server was changed, or someone may be intercepting the connection: nothing was saved. Tell IT, who must check the server before changing the policy.',
  TRANSPORT_WRITE_REFUSED:
    'The exchange server {server} refused to store the package (its disk may be full, or the inbox is not writable). The unfinished upload stays on the server and will be resumed; nothing was delivered.',
  INBOX_TAKEN:
    'Your inbox on the exchange {exchange} was made by another account there, so MedSeal will not use it: whoever owns it could take the packages sent to you. Ask IT to remove the folder named after your fingerprint under "inboxes" on that exchange, then add the exchange again.',
  EXCHANGE_NOT_PREPARED:
    'The exchange {exchange} is not set up safely: its "inboxes" folder must belong to the owner of the exchange folder (or root) and have the sticky bit, so that nobody can move another person\'s inbox away. Ask IT to prepare it (docs/DEPLOYMENT.md, "Exchanges"); nothing was delivered or announced there.',
  'TRANSPORT_UNREACHABLE.closed': 'The exchange was already closed.',
  TRANSPORT_UNREACHABLE:
    '{reason, select, unreachable {The exchange server could not be reached} login_refused {The exchange server refused the login key} timed_out {The exchange server stopped answering} connection_lost {The connection to the exchange server was lost} other {The connection to the exchange server was lost}} ({server}).',
  INVALID_MAIL_SERVER:
    'A mail server is not written correctly ({problem, select, scheme {wrong kind of server} host {not a host name} port {no such port} other {not a server address}}). Write the outgoing one as smtps://mail.example.org (TLS) or smtp://mail.example.org:587 (STARTTLS), the incoming one as imaps://mail.example.org or imap://mail.example.org:143.',
  MAIL_SERVER_UNAVAILABLE:
    '{reason, select, unreachable {The mail server {server} could not be reached} timed_out {The mail server {server} stopped answering} try_later {The mail server {server} asked to try again later} other {The connection to the mail server {server} was lost}}. What waits for it is sent when it answers again.',
  MAIL_LOGIN_REFUSED:
    'The mail server {server} refused the login. Check the user name and password (or ask IT whether the account may use it); nothing was sent or fetched.',
  'MAIL_TLS_REFUSED.certificate':
    'The mail server {server} presented a certificate that cannot be trusted (not signed by the expected authority, for another name, or expired). Someone may be intercepting the connection, so nothing was sent, not even the login. Tell IT.',
  'MAIL_TLS_REFUSED.no-tls':
    "The mail server {server} does not offer an encrypted connection, so MedSeal did not log in or send anything. Ask IT for the server's TLS port.",
  MAIL_TOO_LARGE:
    'The package ({size} as an e-mail) is larger than the mail server accepts ({limit}). It is sealed and saved, but not sent by e-mail: send the saved package another way (a shared folder or SFTP exchange), or split the files into several packages.',
  MAIL_REFUSED:
    "The mail server {server} refused the message (reply {reply}). It was not sent; check the recipient's address on their card, or ask IT.",
  'MAIL_REFUSED.address':
    "The address on the recipient's card is not one an e-mail can be sent to, so nothing was sent to them. Ask them for a card with their plain e-mail address.",
  // directory/fetch/errors.ts
  'INVALID_DIRECTORY_SOURCE.not-https':
    'A partner directory on the web must be given by an https:// address: a plain http:// download could be changed on the way, so MedSeal does not use one.',
  'INVALID_DIRECTORY_SOURCE.credentials':
    'A partner directory address may not contain a user name or password: MedSeal fetches it without logging in.',
  'INVALID_DIRECTORY_SOURCE.not-a-url':
    'That is not a partner directory address MedSeal can use. Give an https:// address, the full path of the file in a folder, or sftp://USER@HOST[:PORT]/PATH.',
  'INVALID_DIRECTORY_SOURCE.relative-path':
    'A partner directory in a folder must be given by the full path of its file (such as /mnt/partners/city-clinic.medseal-directory).',
  'INVALID_DIRECTORY_SOURCE.sftp':
    'That SFTP address is not written correctly: {detail}. Write it as sftp://USER@HOST[:PORT]/PATH, the path being the directory file.',
  'INVALID_DIRECTORY_SOURCE.no-file':
    'That address names a folder: give the partner directory file itself (the file ending in .medseal-directory).',
  'DIRECTORY_SOURCE_UNREACHABLE.https':
    "The partner directory could not be fetched from the web server {server}: {reason, select, dns {the server's name is not known (check the address and the network)} refused {nothing answers there (the connection was refused)} unreachable {the server cannot be reached from this network} timeout {it took too long} connection_lost {the connection was lost before the file was complete} tls_certificate {its certificate cannot be trusted (not signed by the expected authority, made for another name, or expired). Someone may be intercepting the connection, so nothing from it was used} tls {it does not offer TLS 1.2 or newer} http_status {the server answered with status {status}} too_many_redirects {it redirected more than three times} redirect_not_https {it redirected to an address that is not https://, which MedSeal does not follow} too_large {the file is larger than the limit of {limit}, so it was not read} not_https {the address is not https://, so MedSeal did not connect} other {the connection failed}}. Nothing was changed.",
  'DIRECTORY_SOURCE_UNREACHABLE.folder':
    'The partner directory could not be read from its folder: {reason, select, not_found {there is no file at that path} not_a_file {what is at that path is not a plain file (a link, a folder or a special file), so it was not read} no_access {permission was denied} too_large {the file is larger than the limit of {limit}, so it was not read} timeout {the folder took too long to answer} other {the file could not be read}}. Nothing was changed.',
  'DIRECTORY_SOURCE_UNREACHABLE.sftp':
    "The partner directory could not be fetched from the SFTP server {server}: {reason, select, dns {the server's name is not known (check the address and the network)} refused {nothing answers there (the connection was refused)} unreachable {the server cannot be reached from this network} timeout {it took too long} connection_lost {the connection was lost before the file was complete} login_refused {the server refused the login key} no_login {this profile has no SFTP exchange with that login on the server, so it has no key to log in with: add that SFTP exchange first (medseal exchange add, or Settings → Exchanges), then refresh} not_found {there is no file at that path} not_a_file {what is at that path is not a plain file (a link, a folder or a special file), so it was not read} no_access {permission was denied} too_large {the file is larger than the limit of {limit}, so it was not read} other {the connection failed}}. Nothing was changed.",
  // contacts/errors.ts
  CONTACT_AMBIGUOUS: 'More than one contact matches. Give more of the fingerprint or the full e-mail address.',
  SAFETY_NUMBER_MALFORMED:
    '{expected} digits expected, {typed} typed: compare the whole safety number again, group by group (spaces do not matter). Nothing was marked verified.',
  'SAFETY_NUMBER_MALFORMED.characters':
    'A safety number is {expected} digits; what was typed has other characters too (only spaces and dashes may separate the groups). Nothing was marked verified.',
  SAFETY_NUMBER_MISMATCH:
    'The safety number does not match. Do not mark this contact as verified: the card may not be theirs. Compare again with them in person or by phone.',
  OWN_CARD: 'This is your own contact card; send it to your partners instead of importing it.',
  RECOVERY_KEY_NOT_A_CONTACT:
    'This is an organisation recovery key, not a person: it is set by IT in the policy, never added as a contact. Nothing was changed.',
  CARD_KEYS_CONFLICT:
    'These keys already belong to another contact with a different e-mail address. The card was not imported.',
  RECIPIENT_KEY_CHANGED:
    'The keys of {who} have changed since you last verified them. Compare safety numbers with them again before sending.',
  RECIPIENT_UNVERIFIED: '{who} is not verified. Compare safety numbers with them first.',
  POST_QUANTUM_REQUIRED:
    'The card of {who} has no post-quantum key, and your organisation requires post-quantum protection. Ask them to open MedSeal once (it adds the key) and send you their card again.',
  NO_REPLACEMENT_TO_REJECT:
    'This contact has no new card waiting: only a contact whose keys changed can go back to its earlier keys. Nothing was changed.',
  CONTACT_NOT_FOUND:
    'No contact matches. Give the e-mail address or the start of the fingerprint (at least 8 characters).',
  'CONTACT_NOT_FOUND.named':
    'No contact matches "{needle}". Check it with "contacts list", or import their card first.',
  'CONTACT_NOT_FOUND.unnameable':
    'No contact matches: give the e-mail address or the start of the fingerprint (at least 8 characters).',
  UNTRUSTED_SENDER:
    '{trust, select, key_mismatch {This package claims to come from one of your contacts but was sealed with different keys. Do not trust it; check with the sender by phone.} identity_mismatch {This package was sealed with the keys of one of your contacts but claims another name, organisation or e-mail. This may be an impersonation, so nothing was saved. Check with the sender by phone.} other {The sender of this package is not a verified contact, so nothing was saved. Verify their safety number first.}}',
  LOOK_ALIKE_CONTACT:
    'This sender could be mistaken for one of your contacts (the same name, or an e-mail address that looks like theirs), so they were not added. Check with your contact by phone; add the sender only if you are sure they are someone else, and confirm it explicitly.',
  'LOOK_ALIKE_CONTACT.mixed-script':
    "This sender's e-mail address mixes alphabets or uses letters that look like others, as impostors do, so they were not added. Check with them by phone; add them only if you are sure, and confirm it explicitly.",
  // errors/io-error.ts
  IO_ERROR:
    'Could not access {subject}: {systemCode, select, ENOENT {it does not exist} EACCES {permission was denied} EPERM {the operation is not permitted} ENOSPC {the disk is full} EDQUOT {the disk quota is exhausted} EROFS {the disk is read-only} EISDIR {it is a folder, not a file} ENOTDIR {a part of the path is not a folder} EEXIST {it already exists} EMFILE {too many files are open} EIO {the disk reported a hardware error} other {of an input/output error}}. Nothing was changed.',
  // errors/usage-error.ts
  CANCELLED: 'The operation was cancelled. Nothing was saved.',
  USAGE: '{detail}',
  'USAGE.invite-address': "That is not an e-mail address: give the partner's address, such as bob@lab.example.",
  'USAGE.mail-servers-needed':
    'Give the outgoing and incoming mail servers (for example --smtp smtps://mail.example.org --imap imaps://mail.example.org); your organisation has not set them.',
  'USAGE.exchange-name':
    'An exchange name is up to 64 letters, digits, spaces and the signs . _ - & + , starting with a letter or a digit.',
  'USAGE.exchange-exists': 'An exchange named {name} exists already; remove it first or choose --name.',
  'USAGE.workers': '--workers takes a whole number from 0 to {max} (0: no worker threads); "{given}" is not one.',
  'USAGE.backup-unlock': 'Give either the passphrase the backup was made with or the recovery code.',
  // org-recovery/errors.ts
  SHARE_INVALID: 'Share file {position} is not a MedSeal recovery share ({reason}). Nothing was opened or changed.',
  SHARE_PASSPHRASE_WRONG:
    'The passphrase for {label} is wrong, or the share file was changed. Nothing was opened or changed.',
  SHARE_FROM_OTHER_KEY:
    '{label} belongs to another organisation recovery key than the first share. Use shares of one key only. Nothing was opened or changed.',
  SHARE_DUPLICATED: "{label} was given twice. Each custodian's share counts once. Nothing was opened or changed.",
  SHARES_DO_NOT_COMBINE:
    'These shares do not give the organisation recovery key they name: one of them comes from another split of it. Nothing was opened or changed.',
  SHARE_ALTERED:
    'The file of {label} was changed after the split: the recovery key did not describe that share so. Ask its custodian for the file they were given. Nothing was opened or changed.',
  NOT_SEALED_FOR_RECOVERY_KEY:
    'This {what} was not sealed for this organisation recovery key, so its custodians cannot open it. Nothing was opened or changed.',
  EMERGENCY_LOG_UNAVAILABLE:
    'The emergency-access record could not be written to the organisation log ({reason}). Emergency access is only possible with a record. Nothing was opened or changed.',
  EMERGENCY_LOG_INVALID: "The organisation's emergency-access log is not intact at record {line}: {reason}.",
  RECOVERY_KEY_INVALID: 'This is not an organisation recovery key: {reason}.',
  TOO_FEW_SHARES:
    "{needed, plural, one {# custodian''s share is} other {# custodians'' shares are}} needed to open with the organisation recovery key; {given, plural, one {# was} other {# were}} given. Nothing was opened or changed.",
  // package/errors.ts
  NOT_A_PACKAGE: 'This file is not a MedSeal package.',
  PACKAGE_MALFORMED: 'This package is damaged ({reason}). Do not trust it; ask the sender to send it again.',
  NOT_A_RECIPIENT:
    'This package was not sealed for you (or its list of recipients was damaged). Ask the sender to seal it to your contact card.',
  'NOT_A_RECIPIENT.passphrase':
    'This package cannot be opened with a passphrase: it was sealed only for named MedSeal recipients. Nothing was saved.',
  PACKAGE_PASSPHRASE_WRONG:
    'This passphrase does not open this package. Check the six words you were given (read out on the phone or sent by text message) and try again. If they are right, the package may have been changed: ask the sender to send it again. Nothing was saved.',
  'PACKAGE_PASSPHRASE_INVALID.count':
    'A package passphrase is six words; this has {count, plural, one {# word} other {# words}}. Check what you were given. Nothing was saved.',
  'PACKAGE_PASSPHRASE_INVALID.word':
    'Word {position} of the passphrase is not one of the passphrase words; check its spelling. Nothing was saved.',
  PACKAGE_TAMPERED: 'This package was changed after it was sealed. Do not trust it; ask the sender to send it again.',
  PACKAGE_TRUNCATED:
    'This package is incomplete: its end is missing, perhaps from an interrupted copy or download. Do not trust it; ask the sender to send it again.',
  SIGNATURE_INVALID:
    'This package was not made by the person it names, or was changed after they sealed it. Do not trust it; ask the sender to send it again.',
  INVALID_FILE_NAME: 'The name of file {position} cannot be used: {reason}. Rename the file and try again.',
  SOURCE_CHANGED:
    'File {position} changed while it was being sealed. Nothing was saved; try again once the file is complete.',
  RECEIPT_INVALID: 'This receipt was not accepted: {problem}. Nothing was recorded.',
  RECEIPT_REFUSED:
    'This receipt was not accepted: {reason, select, unknown_package {it is about a package you did not send} not_a_recipient {it comes from someone who was not a recipient of that package} forged {its signature is not that of the recipient it names (it may be forged)} wrong_key {it was not made with the passphrase of that package (it may be forged)} other {it does not belong to a package you sent}}. Nothing was recorded.',
  WITHDRAWAL_NOTICE_REFUSED:
    'A notice that a package was withdrawn was not accepted: {reason, select, unreadable {it is damaged, cut short or not addressed to you} unknown_sender {its sender is not one of your contacts} forged {its signature is not that of the sender it names (it may be forged)} other {it could not be read}}. Nothing was recorded.',
  UNSUPPORTED_VERSION:
    'This package uses format version {version}, which this version of MedSeal cannot open. Update MedSeal and try again.',
  'UNSUPPORTED_VERSION.feature':
    'This package uses a format feature that this version of MedSeal cannot open. Update MedSeal and try again.',
  'INVALID_PACKAGE_REQUEST.recipient-count': 'A package needs between {min} and {max} recipients.',
  'INVALID_PACKAGE_REQUEST.chunk-size': 'Unsupported chunk size.',
  'INVALID_PACKAGE_REQUEST.recovery-key-invalid': 'The {kind} of the organisation recovery key is invalid.',
  'INVALID_PACKAGE_REQUEST.recipient-key-invalid': 'The {kind} of recipient {position} is invalid.',
  'INVALID_PACKAGE_REQUEST.too-large': 'Too many files or too long a note for one package.',
  'INVALID_PACKAGE_REQUEST.no-files': 'Choose at least one file to seal.',
  'INVALID_PACKAGE_REQUEST.too-many-files': 'A package can hold at most {max} files.',
  'INVALID_PACKAGE_REQUEST.no-recipients': 'Choose at least one recipient.',
  'INVALID_PACKAGE_REQUEST.note-too-long': 'The note is too long (at most 64 KiB).',
  'INVALID_PACKAGE_REQUEST.output-is-folder':
    'The place chosen for the package is a folder: give a file name inside it, such as referral.medseal. Nothing was changed.',
  'INVALID_PACKAGE_REQUEST.metadata': 'This package cannot be sealed: {problem}.',
  'INVALID_PACKAGE_REQUEST.subject':
    'The subject {problem, select, empty {is empty} too_long {is longer than {max} characters} control {must be one line, without control or invisible formatting characters} padded {starts or ends with a space} other {is not allowed}}. Nothing was sealed.',
  'INVALID_PACKAGE_REQUEST.passphrase-post-quantum':
    'A package with a passphrase can be sealed only when every other recipient has a post-quantum key. Nothing was sealed.',
  'INVALID_PACKAGE_REQUEST.passphrase-post-quantum-named':
    'A package with a passphrase can be sealed only when every other recipient has a post-quantum key, and {who} has none yet. Ask them to open MedSeal once (it adds the key) and send you their card again, or send them a separate package. Nothing was sealed.',
  'INVALID_PACKAGE_REQUEST.passphrase-recipient':
    'The {field, select, name {name (1 to 128 characters, one line)} email {e-mail address} phone {phone number (digits, spaces and + - ( ) . /)} other {details}} given for the partner without MedSeal is not valid. Nothing was sealed.',
  'INVALID_PACKAGE_REQUEST.reply-to':
    'The package this one answers must be named by its header hash (64 hex digits). Nothing was sealed.',
  // store/errors.ts
  DATABASE_TOO_NEW:
    'This profile was last used by a newer version of MedSeal (database version {found}; this version knows up to {known}). Update MedSeal to open it. Nothing was changed.',
  STORE_UNAVAILABLE: 'The MedSeal database could not be used: {reason}. Nothing was changed.',
  STORE_TAMPERED:
    'Stored data ({what}) was changed outside MedSeal or is damaged, so it was not used. Restore the profile from a backup or contact IT.',
  // backup/errors.ts
  BACKUP_DAMAGED: 'This backup cannot be used: {reason}. Nothing was restored; try an older backup.',
  NOT_A_BACKUP: 'This file is not a MedSeal backup. Nothing was restored.',
  BACKUP_TOO_NEW:
    'This backup was made by a newer MedSeal (backup format {version}). Update MedSeal on this workstation, then restore it. Nothing was restored.',
  // recovery/errors.ts
  RECOVERY_CODE_INVALID:
    'This is not a valid recovery code: {reason}. Check it against the printed kit. Nothing was changed.',
  // services/errors.ts (the organisation recovery key)
  EMERGENCY_LOG_FOLDER_MANAGED:
    "This workstation's policy keeps the emergency-access log in the directory folder; it cannot be kept in another folder. Nothing was changed.",
  EMERGENCY_LOG_FOLDER_NEEDED:
    'Say which folder keeps the emergency-access log, normally the organisation directory folder (on the command line: --log-folder). Nothing was changed.',
  SHARES_FOLDER_EXISTS: 'The folder for the share files must not exist yet: give a new folder. Nothing was changed.',
  // shared
  INTERNAL: 'MedSeal ran into an internal problem. Nothing was changed.',
  'INTERNAL.job': 'MedSeal ran into an internal problem. Nothing was saved.',
  'INTERNAL.job-stopped': 'The background task stopped unexpectedly. Nothing was saved.',
  'INTERNAL.exchange': 'The exchange could not be used because of an internal problem.',
  'INTERNAL.exchange-failed': 'The exchange stopped because of an internal problem.',
  'INTERNAL.exchange-stopped': 'The exchange stopped unexpectedly.',
  // directory/errors.ts
  'DIRECTORY_REFUSED.too-large':
    'The partner organisation’s directory is larger than MedSeal reads. Nobody is vouched for by it until its IT publishes a valid one.',
  'DIRECTORY_REFUSED.malformed':
    'The partner organisation’s directory is damaged or not in MedSeal’s format. Nobody is vouched for by it until its IT publishes a valid one.',
  'DIRECTORY_REFUSED.wrong-key':
    'This directory is signed by another key than the one your IT added for this partner organisation. Nobody is vouched for by it; IT must compare the directory key’s safety number with the partner again.',
  'DIRECTORY_REFUSED.broken-chain':
    'The partner organisation’s directory has a broken history (change {seq} does not follow the one before). Nobody is vouched for by it until its IT publishes a valid one.',
  'DIRECTORY_REFUSED.head-mismatch':
    'The partner organisation’s directory does not match its signed summary. Nobody is vouched for by it until its IT publishes a valid one.',
  'DIRECTORY_REFUSED.not-signed':
    'The partner organisation’s directory is not signed by its directory key. Nobody is vouched for by it.',
  'DIRECTORY_REFUSED.bad-validity':
    'The partner organisation’s directory has an impossible validity period (or was issued in the future). Nobody is vouched for by it until its IT publishes a valid one.',
  PARTNERS_MANAGED:
    'Your organisation’s IT manages the partner organisations on this computer: none can be added or removed here.',
  PARTNER_KEY_INVALID:
    'This is not a partner organisation’s directory key. Ask the partner’s IT for the key that "medseal org init" printed (44 characters ending in "=").',
  PARTNER_CODE_MISMATCH:
    'The code the partner’s IT read out does not belong to this key: the key may have been changed on its way to you. Nothing was added; get the key again and compare the code by phone.',
  PARTNER_NOT_FOUND: 'There is no partner organisation of that name. "medseal org partner list" shows them.',
  DIRECTORY_EXPIRED:
    'The partner organisation’s directory expired on {day}. Nobody is vouched for by it until its IT publishes a fresh one.',
  DIRECTORY_ROLLED_BACK:
    'This directory is older (change {offeredSeq}) than the one MedSeal already accepted (change {heldSeq}): it may have been put back to undo a revocation. It was refused; the newer one stays.',
  DIRECTORY_FORKED:
    'Alarm: the partner organisation’s directory has two different histories (held: change {heldSeq}, {heldHash}…; now: change {offeredSeq}, {offeredHash}…). Whoever holds its key showed different versions to different readers. Nobody is vouched for by it until IT has resolved this with the partner.',
  REVOCATION_LIST_EXPIRED:
    'revoked.json expired on {day}: IT must sign a new revocation list (it is valid for a limited time, so that an old one cannot be put back)',
  'REVOCATION_LIST_REFUSED.missing': 'revoked.json is missing, unreadable, too large or not a plain file',
  'REVOCATION_LIST_REFUSED.malformed': 'revoked.json: {problem}',
  'REVOCATION_LIST_REFUSED.not-signed': 'revoked.json is not signed by the organisation key',
  'REVOCATION_LIST_REFUSED.rolled-back':
    'revoked.json is older than a list this workstation already accepted (rolled back)',
  'REVOCATION_LIST_REFUSED.no-expiry':
    'revoked.json has no expiry date (it was signed by an older MedSeal): IT must sign it again (medseal org refresh-revocations)',
} as const;

export type ErrorTextKey = keyof typeof en;
