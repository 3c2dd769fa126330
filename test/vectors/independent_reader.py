#!/usr/bin/env python3
"""An independent reader of MedSeal package formats 1 and 2, written from docs/FORMAT.md
alone, with Debian's python3-cryptography (and, for version 2's X-Wing, the ML-KEM of
independent_xwing.py, written from FIPS 203). It proves the specification is complete
enough for another language. Usage:

    independent_reader.py PACKAGE X25519_SECRET_HEX ED25519_PUBLIC_HEX ENCRYPTION_PUBLIC_HEX [XWING_SEED_HEX]
    independent_reader.py receipt RECEIPT X25519_SECRET_HEX ENCRYPTION_PUBLIC_HEX SIGNER_ED25519_PUBLIC_HEX
    independent_reader.py stanzas PACKAGE XWING_PUBLIC_HEX,... RANDOMNESS_HEX,...   (re-derives v2 stanzas)
    independent_reader.py recovery PACKAGE RECOVERY_SECRET_HEX      (opens as the organisation recovery key, section 2.12)
    independent_reader.py record RECORD_LINE_FILE RECOVERY_CARD_HEX  (verifies an emergency-access record, section 9.2)
    independent_reader.py passphrase PACKAGE "SIX WORDS"        (opens a passphrase stanza, section 2.13: Argon2id by libargon2)
    independent_reader.py passphrase-key PACKAGE ARGON2ID_HEX   (the same from the vector's derived Argon2id output)
    independent_reader.py passphrase-receipt RECEIPT PACKAGE ARGON2ID_HEX   (a passphrase reader's receipt, section 5.6)

(ED25519_PUBLIC and ENCRYPTION_PUBLIC are the reader's own card keys, to compute its
fingerprint; XWING_SEED is its X-Wing secret, needed for version 2 packages). Argon2id comes
from Debian's libargon2-1 (the reference implementation, through ctypes): Debian's
python3-cryptography (38) has none; where the library is missing, `passphrase` fails with
ARGON2_UNAVAILABLE and `passphrase-key` still checks everything after the derivation.
Prints JSON: the sender's name and fingerprint, the note, each file's name, size
and SHA-256, and the thread members replyTo and subject (null when absent). Exits 1 with the error code of FORMAT.md section 2.8 on failure."""
import base64, ctypes, ctypes.util, hashlib, hmac, json, re, struct, sys, unicodedata

sys.dont_write_bytecode = True  # tests leave the source tree as they found it
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from independent_xwing import xwing_decapsulate

MAGIC = b"MEDSEAL"
ZERO12 = bytes(12)


class Fail(Exception):
    pass


def hkdf(ikm, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info.encode()).derive(ikm)


def gcm_open(key, nonce, sealed):
    try:
        return AESGCM(key).decrypt(nonce, sealed, None)
    except InvalidTag:
        return None


def verify(pk, message, signature):
    try:
        Ed25519PublicKey.from_public_bytes(pk).verify(signature, message)
        return True
    except InvalidSignature:
        return False


def parse_card(card):
    if len(card) < 3 or card[0] not in (1, 2):
        raise Fail("PACKAGE_MALFORMED")
    (length,) = struct.unpack(">H", card[1:3])
    if len(card) != 3 + length + 64:
        raise Fail("PACKAGE_MALFORMED")
    body, signature = card[3 : 3 + length], card[3 + length :]
    fields = json.loads(body.decode("utf-8"))
    if fields["version"] != card[0] or ("pqKey" in fields) != (card[0] == 2):
        raise Fail("PACKAGE_MALFORMED")  # section 3.5: only version 2 carries, and must carry, the X-Wing key
    signing, encryption = base64.b64decode(fields["signingKey"]), base64.b64decode(fields["encryptionKey"])
    if not verify(signing, b"MEDSEAL-v1-contact-card" + body, signature):
        raise Fail("SIGNATURE_INVALID")
    return fields, signing, encryption


def subject_allowed(subject):
    """Section 2.4: 1..200 code points, one line, no control, format or surrogate code points, no padding."""
    if not isinstance(subject, str) or not 1 <= len(subject) <= 200 or subject.strip() != subject:
        return False
    return not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") or c in "\u2028\u2029" for c in subject)


def argon2id(passphrase, salt, ops, mem_kib):
    """Argon2id v1.3, one lane, 32 bytes, from libargon2 (RFC 9106's reference code)."""
    name = ctypes.util.find_library("argon2") or "libargon2.so.1"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        raise Fail("ARGON2_UNAVAILABLE")
    f = lib.argon2id_hash_raw
    f.argtypes = [ctypes.c_uint32] * 3 + [ctypes.c_char_p, ctypes.c_size_t] * 3
    f.restype = ctypes.c_int
    out = ctypes.create_string_buffer(32)
    if f(ops, mem_kib, 1, passphrase, len(passphrase), salt, len(salt), out, 32) != 0:
        raise Fail("ARGON2_FAILED")
    return out.raw


def passphrase_recipient_allowed(who):
    """Section 2.13: name and e-mail as a card's (3.1), an optional phone of digits and separators."""
    if not isinstance(who, dict) or list(who) not in (["name", "email"], ["name", "email", "phone"]):
        return False
    unsafe = lambda text: any(unicodedata.category(c) in ("Cc", "Cf", "Cs") or c in "\u2028\u2029" for c in text)
    name, email, phone = who["name"], who["email"], who.get("phone")
    if not isinstance(name, str) or not 1 <= len(name) <= 128 or unsafe(name) or name.strip() != name:
        return False
    if not isinstance(email, str) or len(email) > 254 or unsafe(email) or email != email.lower():
        return False
    if not re.fullmatch(r"[^\s@]+@[^\s@]+\.[^\s@]+", email):
        return False
    if phone is None:
        return True
    digits = sum(c.isdigit() for c in phone) if isinstance(phone, str) else 0
    return 3 <= len(phone) <= 32 and digits >= 3 and re.fullmatch(r"\+?[0-9](?:[0-9 ()./-]*[0-9)])?", phone) is not None


def fingerprint(signing, encryption):
    return hashlib.sha256(b"MEDSEAL-v1-fingerprint" + signing + encryption).hexdigest()


def open_package(data, secret, my_signing, my_encryption, xwing_seed=None, passphrase_key=None):
    """passphrase_key: a function of (salt, opsLimit, memLimitKib) giving the Argon2id output, for a
    reader with only the passphrase (section 2.13); then secret and the card keys are None."""
    if len(data) < 7 or data[:7] != MAGIC:
        raise Fail("NOT_A_PACKAGE")
    if len(data) == 7:
        raise Fail("PACKAGE_TRUNCATED")
    version = data[7]
    if version not in (1, 2):
        raise Fail("UNSUPPORTED_VERSION")
    fixed, stanza_size = (76, 48) if version == 1 else (44, 1120 + 48)  # section 2.11
    if len(data) < fixed:
        raise Fail("PACKAGE_TRUNCATED")
    log2, flags, n = data[8], data[9], struct.unpack(">H", data[10:12])[0]
    if flags & ~0x03:
        raise Fail("UNSUPPORTED_VERSION")  # a flag of a later format
    has_recovery = flags & 0x01 == 1  # section 2.12: the last stanza is the recovery key's
    has_passphrase = flags & 0x02 == 2  # section 2.13: a passphrase stanza follows the N stanzas
    if has_passphrase and version != 2:
        raise Fail("PACKAGE_MALFORMED")
    least = (1 if has_recovery else 0) + (0 if has_passphrase else 1)
    if not (12 <= log2 <= 24) or not (least <= n <= 1024):
        raise Fail("PACKAGE_MALFORMED")
    salt = data[12:44]
    stanzas_end = fixed + stanza_size * n
    core_end = stanzas_end + (72 if has_passphrase else 0)
    if len(data) < core_end + 4:
        raise Fail("PACKAGE_TRUNCATED")
    (L,) = struct.unpack(">I", data[core_end : core_end + 4])
    if not (82 <= L <= 1048656):
        raise Fail("PACKAGE_MALFORMED")
    if has_passphrase:
        params = data[stanzas_end : stanzas_end + 24]
        ops, mem_kib = struct.unpack(">II", params[16:24])
        if not (3 <= ops <= 10 and 262144 <= mem_kib <= 1048576):
            raise Fail("PACKAGE_MALFORMED")  # weaker than allowed (or absurd): refused before deriving
    header_len = core_end + 4 + L + 32
    if len(data) < header_len:
        raise Fail("PACKAGE_TRUNCATED")

    stanzas = [data[fixed + stanza_size * i : fixed + stanza_size * (i + 1)] for i in range(n)]
    file_key = None
    if passphrase_key is not None:
        if not has_passphrase:
            raise Fail("NOT_A_RECIPIENT")
        argon = passphrase_key(params[:16], ops, mem_kib)
        wrap_key = hkdf(argon, salt + params, "MEDSEAL-v2-passphrase-stanza")
        file_key = gcm_open(wrap_key, ZERO12, data[stanzas_end + 24 : core_end])
        if file_key is None:
            raise Fail("PACKAGE_PASSPHRASE_WRONG")
    elif version == 1:
        eph = data[44:76]
        shared = X25519PrivateKey.from_private_bytes(secret).exchange(X25519PublicKey.from_public_bytes(eph))
        wrap_key = hkdf(shared, eph + my_encryption, "MEDSEAL-v1-stanza")
        for stanza in stanzas:
            file_key = gcm_open(wrap_key, ZERO12, stanza)
            if file_key is not None:
                break
    elif xwing_seed is not None:
        for stanza in stanzas:
            ct = stanza[:1120]
            shared = xwing_decapsulate(ct, xwing_seed)
            if shared is None:
                continue  # cannot be decapsulated: not ours
            file_key = gcm_open(hkdf(shared, ct, "MEDSEAL-v2-stanza"), ZERO12, stanza[1120:])
            if file_key is not None:
                break
    if file_key is None:
        raise Fail("NOT_A_RECIPIENT")

    mac_key = hkdf(file_key, salt, "MEDSEAL-v1-header-mac")
    metadata_key = hkdf(file_key, salt, "MEDSEAL-v1-metadata")
    payload_key = hkdf(file_key, salt, "MEDSEAL-v1-payload")
    mac_at = header_len - 32
    if not hmac.compare_digest(hmac.new(mac_key, data[:mac_at], hashlib.sha256).digest(), data[mac_at:header_len]):
        raise Fail("PACKAGE_TAMPERED")
    plain = gcm_open(metadata_key, ZERO12, data[core_end + 4 : mac_at])
    if plain is None:
        raise Fail("PACKAGE_TAMPERED")
    body, metadata_signature = plain[:-64], plain[-64:]
    meta = json.loads(body.decode("utf-8"))
    members = ["version", "sender", "recipients", "createdAt", "files", "note"] + (["recovery"] if has_recovery else [])
    members += ["passphraseRecipient", "passphraseBinding"] if has_passphrase else []
    # Section 2.4: the directory head (gossip, section 11) and the thread members, when present.
    optional = [name for name in ("directoryHead", "replyTo", "subject") if name in meta]
    if list(meta) != members + optional or meta["version"] != version:
        raise Fail("PACKAGE_MALFORMED")
    if "directoryHead" in meta and not gossip_head_allowed(meta["directoryHead"]):
        raise Fail("PACKAGE_MALFORMED")
    if "replyTo" in meta and not (isinstance(meta["replyTo"], str) and re.fullmatch(r"[0-9a-f]{64}", meta["replyTo"])):
        raise Fail("PACKAGE_MALFORMED")
    if "subject" in meta and not subject_allowed(meta["subject"]):
        raise Fail("PACKAGE_MALFORMED")
    if has_passphrase and not passphrase_recipient_allowed(meta["passphraseRecipient"]):
        raise Fail("PACKAGE_MALFORMED")
    if has_passphrase and not (isinstance(meta["passphraseBinding"], str) and re.fullmatch(r"[0-9a-f]{64}", meta["passphraseBinding"])):
        raise Fail("PACKAGE_MALFORMED")
    if not meta["recipients"] and not has_passphrase:
        raise Fail("PACKAGE_MALFORMED")
    if json.dumps(meta, separators=(",", ":"), ensure_ascii=False).encode("utf-8") != body:
        raise Fail("PACKAGE_MALFORMED")  # only the canonical encoding is accepted
    sender, sender_signing, sender_encryption = parse_card(base64.b64decode(meta["sender"]))
    core = data[:core_end]
    message = b"MEDSEAL-v1-metadata-signature" + hashlib.sha256(core).digest() + hashlib.sha256(body).digest()
    if not verify(sender_signing, message, metadata_signature):
        raise Fail("SIGNATURE_INVALID")
    if passphrase_key is not None:
        # Section 2.13: the stanza is bound to the signer and this header by a tag only the passphrase gives.
        binding_key = hkdf(argon, params, "MEDSEAL-v2-passphrase-binding")
        expected = hmac.new(binding_key, sender_signing + hashlib.sha256(core).digest(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, meta["passphraseBinding"]):
            raise Fail("SIGNATURE_INVALID")
    recovery = None
    if has_recovery:
        recovery_card, recovery_signing, recovery_encryption = parse_card(base64.b64decode(meta["recovery"]))
        recovery = {"organisation": recovery_card["organisation"], "fingerprint": fingerprint(recovery_signing, recovery_encryption)}
        if recovery["fingerprint"] in meta["recipients"]:
            raise Fail("PACKAGE_MALFORMED")
    if len(meta["recipients"]) + (1 if has_recovery else 0) != n:
        raise Fail("PACKAGE_MALFORMED")
    if passphrase_key is None:
        mine = fingerprint(my_signing, my_encryption)
        if mine not in meta["recipients"] and (recovery is None or mine != recovery["fingerprint"]):
            raise Fail("NOT_A_RECIPIENT")

    total = sum(f["size"] for f in meta["files"])
    size = 1 << log2
    chunks = max(1, -(-total // size))
    expected = header_len + total + 80 * chunks
    if len(data) < expected:
        raise Fail("PACKAGE_TRUNCATED")
    if len(data) > expected:
        raise Fail("PACKAGE_TAMPERED")

    header_hash = hashlib.sha256(data[:header_len]).digest()
    payload = bytearray()
    for i in range(chunks):
        final = 1 if i == chunks - 1 else 0
        start = header_len + i * (size + 80)
        length = (total - i * size if final else size) + 80
        nonce = i.to_bytes(11, "big") + bytes([final])
        plain = gcm_open(payload_key, nonce, data[start : start + length])
        if plain is None:
            raise Fail("PACKAGE_TAMPERED")
        chunk, signature = plain[:-64], plain[-64:]
        message = b"MEDSEAL-v1-chunk-signature" + header_hash + struct.pack(">QB", i, final) + hashlib.sha256(chunk).digest()
        if not verify(sender_signing, message, signature):
            raise Fail("SIGNATURE_INVALID")
        payload += chunk

    files, offset = [], 0
    for f in meta["files"]:
        content = bytes(payload[offset : offset + f["size"]])
        offset += f["size"]
        files.append({"name": f["name"], "size": f["size"], "sha256": hashlib.sha256(content).hexdigest()})
    thread = {"replyTo": meta.get("replyTo"), "subject": meta.get("subject")}
    return {"sender": sender["name"], "senderFingerprint": fingerprint(sender_signing, sender_encryption), "note": meta["note"], "files": files, "recovery": recovery, "passphraseRecipient": meta.get("passphraseRecipient"), "package": header_hash.hex(), **thread}


def recovery_keys(secret):
    """Section 2.12: the recovery key's three secrets from its 32-byte secret (HKDF-SHA256, empty salt)."""
    ed_seed, x_secret, xwing_seed = (hkdf(secret, b"", "MEDSEAL-org-recovery-" + name) for name in ("ed25519", "x25519", "xwing"))
    signing = Ed25519PrivateKey.from_private_bytes(ed_seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    encryption = X25519PrivateKey.from_private_bytes(x_secret).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return x_secret, signing, encryption, xwing_seed


def verify_record(line, card):
    """Section 9.2: an emergency-access record, canonical and signed by the recovery key on `card`."""
    fields, signing, encryption = parse_card(card)
    record = json.loads(line)
    order = ["v", "seq", "at", "recoveryKey", "action", "subject", "owner", "recipients", "operator", "custodians", "reason", "previous"]
    if list(record) != order + ["signature"] or record["recoveryKey"] != fingerprint(signing, encryption):
        raise Fail("EMERGENCY_LOG_INVALID")
    body = json.dumps({k: record[k] for k in order}, separators=(",", ":"), ensure_ascii=False).encode()
    if not verify(signing, b"MEDSEAL-emergency-access-record" + body, base64.b64decode(record["signature"])):
        raise Fail("EMERGENCY_LOG_INVALID")
    return {"seq": record["seq"], "action": record["action"], "hash": hashlib.sha256(line.encode()).hexdigest()}


def gossip_head_allowed(head):
    """Section 2.4 / 5.1: a directory head carried as gossip (section 11), its members in their order."""
    return (isinstance(head, dict) and list(head) == ["org", "seq", "hash", "issuedAt", "validUntil", "signature"]
            and re.fullmatch(r"[0-9a-f]{64}", str(head["org"])) is not None
            and re.fullmatch(r"[0-9a-f]{64}", str(head["hash"])) is not None
            and isinstance(head["seq"], int) and not isinstance(head["seq"], bool)
            and re.fullmatch(r"[0-9a-f]{128}", str(head["signature"])) is not None)


def read_receipt(data, secret, my_encryption, signer_signing):
    """FORMAT.md section 5 (receipts): a receipt addressed to us, signed by the recipient it names."""
    magic = b"MEDSEAL-RECEIPT1"
    if len(data) > 4096 or len(data) < len(magic) + 32 + 16 + 64 or data[: len(magic)] != magic:
        raise Fail("RECEIPT_INVALID")
    e_public = data[len(magic) : len(magic) + 32]
    shared = X25519PrivateKey.from_private_bytes(secret).exchange(X25519PublicKey.from_public_bytes(e_public))
    if shared == bytes(32):
        raise Fail("RECEIPT_INVALID")
    plain = gcm_open(hkdf(shared, e_public + my_encryption, "MEDSEAL-v1-receipt"), ZERO12, data[len(magic) + 32 :])
    if plain is None:
        raise Fail("RECEIPT_INVALID")
    signature, body = plain[:64], plain[64:]
    if not verify(signer_signing, b"MEDSEAL-v1-receipt-signature" + my_encryption + body, signature):
        raise Fail("RECEIPT_REFUSED")
    fields = json.loads(body.decode("utf-8"))
    members = ["v", "package", "sender", "recipient", "outcome", "reason", "at"]
    if "directoryHead" in fields:  # optional, last (gossip, section 11)
        members.append("directoryHead")
        if not gossip_head_allowed(fields["directoryHead"]):
            raise Fail("RECEIPT_INVALID")
    if list(fields) != members:
        raise Fail("RECEIPT_INVALID")
    canonical = json.dumps({k: fields[k] for k in members}, separators=(",", ":"), ensure_ascii=False).encode()
    if canonical != body or fields["v"] != 1:
        raise Fail("RECEIPT_INVALID")
    return fields


def stanza_ciphertexts(data, public_keys, randomness):
    """Re-derives a version 2 package's X-Wing ciphertexts from its recipients' public keys and the
    sealer's randomness (section 2.11): True when every stanza starts with the expected one."""
    n = struct.unpack(">H", data[10:12])[0]
    from independent_xwing import xwing_encapsulate

    return n == len(public_keys) and all(data[44 + 1168 * i : 44 + 1168 * i + 1120] == xwing_encapsulate(pk, r)[0] for i, (pk, r) in enumerate(zip(public_keys, randomness)))


def read_passphrase_receipt(data, package_hash, argon2_output, params):
    """FORMAT.md section 5.6: a passphrase reader's receipt, checked with the key only the passphrase gives."""
    magic = b"MEDSEAL-PRECEIPT"
    if data[:16] != magic or not (16 + 32 + 2 + 32 <= len(data) <= 16 + 32 + 128 + 32):
        raise Fail("RECEIPT_INVALID")
    if data[16:48] != package_hash:
        raise Fail("RECEIPT_REFUSED")  # about another package
    key = hkdf(argon2_output, params, "MEDSEAL-v2-passphrase-receipt")
    if not hmac.compare_digest(hmac.new(key, data[:-32], hashlib.sha256).digest(), data[-32:]):
        raise Fail("RECEIPT_REFUSED")  # not made with this package's passphrase
    body = data[48:-32]
    at = json.loads(body).get("at")
    canonical = json.dumps({"v": 1, "outcome": "opened", "at": at}, separators=(",", ":")).encode()
    if body != canonical or not isinstance(at, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", at):
        raise Fail("RECEIPT_INVALID")
    return {"package": package_hash.hex(), "outcome": "opened", "at": at}


if __name__ == "__main__" and sys.argv[1] == "stanzas":
    # independent_reader.py stanzas PACKAGE PK_HEX,PK_HEX,... R_HEX,R_HEX,...
    with open(sys.argv[2], "rb") as handle:
        data = handle.read()
    keys = [bytes.fromhex(item) for item in sys.argv[3].split(",")]
    randomness = [bytes.fromhex(item) for item in sys.argv[4].split(",")]
    print(json.dumps({"match": stanza_ciphertexts(data, keys, randomness)}))
elif __name__ == "__main__" and sys.argv[1] in ("recovery", "record"):
    with open(sys.argv[2], "rb") as handle:
        data = handle.read()
    try:
        if sys.argv[1] == "record":
            print(json.dumps(verify_record(data.decode("utf-8").rstrip("\n"), bytes.fromhex(sys.argv[3]))))
        else:
            x_secret, signing, encryption, xwing_seed = recovery_keys(bytes.fromhex(sys.argv[3]))
            print(json.dumps({**open_package(data, x_secret, signing, encryption, xwing_seed), "version": data[7]}))
    except Fail as failure:
        print(json.dumps({"error": str(failure)}))
        sys.exit(1)
elif __name__ == "__main__" and sys.argv[1] in ("passphrase", "passphrase-key"):
    with open(sys.argv[2], "rb") as handle:
        data = handle.read()
    if sys.argv[1] == "passphrase":
        words = unicodedata.normalize("NFC", sys.argv[3]).encode("utf-8")  # the canonical six words
        derive = lambda salt, ops, mem_kib: argon2id(words, salt, ops, mem_kib)
    else:
        derive = lambda salt, ops, mem_kib: bytes.fromhex(sys.argv[3])
    try:
        print(json.dumps({**open_package(data, None, None, None, passphrase_key=derive), "version": data[7]}))
    except Fail as failure:
        print(json.dumps({"error": str(failure)}))
        sys.exit(1)
elif __name__ == "__main__" and sys.argv[1] == "passphrase-receipt":
    with open(sys.argv[2], "rb") as handle:
        receipt = handle.read()
    with open(sys.argv[3], "rb") as handle:
        data = handle.read()
    argon2_output, used = bytes.fromhex(sys.argv[4]), []
    derive = lambda salt, ops, mem_kib: used.append(salt + struct.pack(">II", ops, mem_kib)) or argon2_output
    try:
        opened = open_package(data, None, None, None, passphrase_key=derive)
        print(json.dumps(read_passphrase_receipt(receipt, bytes.fromhex(opened["package"]), argon2_output, used[0])))
    except Fail as failure:
        print(json.dumps({"error": str(failure)}))
        sys.exit(1)
elif __name__ == "__main__" and sys.argv[1] == "receipt":
    receipt, secret, encryption, signer = sys.argv[2:6]
    with open(receipt, "rb") as handle:
        data = handle.read()
    try:
        print(json.dumps(read_receipt(data, bytes.fromhex(secret), bytes.fromhex(encryption), bytes.fromhex(signer))))
    except Fail as failure:
        print(json.dumps({"error": str(failure)}))
        sys.exit(1)
elif __name__ == "__main__":
    package, secret, signing, encryption = sys.argv[1:5]
    seed = bytes.fromhex(sys.argv[5]) if len(sys.argv) > 5 else None
    with open(package, "rb") as handle:
        data = handle.read()
    try:
        print(json.dumps({**open_package(data, bytes.fromhex(secret), bytes.fromhex(signing), bytes.fromhex(encryption), seed), "version": data[7]}))
    except Fail as failure:
        print(json.dumps({"error": str(failure)}))
        sys.exit(1)
