"""X-Wing decapsulation (draft-connolly-cfrg-xwing-kem) for the independent reader,
with ML-KEM-768 written from FIPS 203 (algorithms 7-18) in plain Python.

Why it is written here: no Debian package offers ML-KEM to Python (bookworm's
OpenSSL 3.0 and python3-cryptography 38 have none) and CI reaches no Python
package index; and the reader exists to be independent of the TypeScript
implementation (@noble/post-quantum), so it must not borrow that. X25519 and
the hashes come from python3-cryptography and hashlib. Only decapsulation
(with the key generation and re-encryption it needs) is implemented: the reader
never seals. Slow (tens of milliseconds per stanza) and not constant-time: a
test oracle, never for real keys."""
import hashlib
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

Q, N, K, ETA1, ETA2, DU, DV = 3329, 256, 3, 2, 2, 10, 4
XWING_LABEL = b"\\.//^\\"


def _bitrev7(i):
    return int(f"{i:07b}"[::-1], 2)


ZETAS = [pow(17, _bitrev7(i), Q) for i in range(128)]
GAMMAS = [pow(17, 2 * _bitrev7(i) + 1, Q) for i in range(128)]


def ntt(f):  # FIPS 203 algorithm 9
    f, i, length = list(f), 1, 128
    while length >= 2:
        for start in range(0, N, 2 * length):
            zeta = ZETAS[i]
            i += 1
            for j in range(start, start + length):
                t = zeta * f[j + length] % Q
                f[j + length] = (f[j] - t) % Q
                f[j] = (f[j] + t) % Q
        length //= 2
    return f


def ntt_inverse(f):  # algorithm 10
    f, i, length = list(f), 127, 2
    while length <= 128:
        for start in range(0, N, 2 * length):
            zeta = ZETAS[i]
            i -= 1
            for j in range(start, start + length):
                t = f[j]
                f[j] = (t + f[j + length]) % Q
                f[j + length] = zeta * (f[j + length] - t) % Q
        length *= 2
    return [x * 3303 % Q for x in f]


def multiply_ntts(f, g):  # algorithms 11 and 12
    h = [0] * N
    for i in range(128):
        a0, a1, b0, b1 = f[2 * i], f[2 * i + 1], g[2 * i], g[2 * i + 1]
        h[2 * i] = (a0 * b0 + a1 * b1 * GAMMAS[i]) % Q
        h[2 * i + 1] = (a0 * b1 + a1 * b0) % Q
    return h


def add(f, g):
    return [(a + b) % Q for a, b in zip(f, g)]


def byte_encode(f, d):  # algorithm 5: d bits per coefficient, least significant first
    value = 0
    for i, coefficient in enumerate(f):
        value |= (coefficient % (1 << d)) << (i * d)
    return value.to_bytes(32 * d, "little")


def byte_decode(data, d):  # algorithm 6
    value, mask = int.from_bytes(data, "little"), (1 << d) - 1
    return [((value >> (i * d)) & mask) % (Q if d == 12 else 1 << d) for i in range(N)]


def compress(f, d):
    return [((x << d) + Q // 2) // Q % (1 << d) for x in f]


def decompress(f, d):
    return [(y * Q + (1 << (d - 1))) >> d for y in f]


def sample_ntt(seed):  # algorithm 7 (SHAKE128 as the XOF)
    length = 840
    while True:
        stream, a, at = hashlib.shake_128(seed).digest(length), [], 0
        while len(a) < N and at + 3 <= len(stream):
            c0, c1, c2 = stream[at], stream[at + 1], stream[at + 2]
            at += 3
            for d in (c0 + 256 * (c1 % 16), c1 // 16 + 16 * c2):
                if d < Q and len(a) < N:
                    a.append(d)
        if len(a) == N:
            return a
        length *= 2


def sample_cbd(data, eta):  # algorithm 8
    bits = [(data[i // 8] >> (i % 8)) & 1 for i in range(len(data) * 8)]
    return [(sum(bits[2 * i * eta + j] for j in range(eta)) - sum(bits[2 * i * eta + eta + j] for j in range(eta))) % Q for i in range(N)]


def prf(eta, seed, counter):
    return hashlib.shake_256(seed + bytes([counter])).digest(64 * eta)


def matrix(rho):
    return [[sample_ntt(rho + bytes([j, i])) for j in range(K)] for i in range(K)]


def pke_keygen(d):  # algorithm 13
    g = hashlib.sha3_512(d + bytes([K])).digest()
    rho, sigma = g[:32], g[32:]
    a = matrix(rho)
    s = [ntt(sample_cbd(prf(ETA1, sigma, i), ETA1)) for i in range(K)]
    e = [ntt(sample_cbd(prf(ETA1, sigma, K + i), ETA1)) for i in range(K)]
    t = []
    for i in range(K):
        row = e[i]
        for j in range(K):
            row = add(row, multiply_ntts(a[i][j], s[j]))
        t.append(row)
    return b"".join(byte_encode(x, 12) for x in t) + rho, b"".join(byte_encode(x, 12) for x in s)


def pke_encrypt(ek, m, r):  # algorithm 14
    t = [byte_decode(ek[384 * i : 384 * (i + 1)], 12) for i in range(K)]
    a = matrix(ek[384 * K :])
    y = [ntt(sample_cbd(prf(ETA1, r, i), ETA1)) for i in range(K)]
    e1 = [sample_cbd(prf(ETA2, r, K + i), ETA2) for i in range(K)]
    e2 = sample_cbd(prf(ETA2, r, 2 * K), ETA2)
    u = []
    for i in range(K):
        acc = [0] * N
        for j in range(K):
            acc = add(acc, multiply_ntts(a[j][i], y[j]))
        u.append(add(ntt_inverse(acc), e1[i]))
    acc = [0] * N
    for i in range(K):
        acc = add(acc, multiply_ntts(t[i], y[i]))
    v = add(add(ntt_inverse(acc), e2), decompress(byte_decode(m, 1), 1))
    return b"".join(byte_encode(compress(x, DU), DU) for x in u) + byte_encode(compress(v, DV), DV)


def pke_decrypt(dk, c):  # algorithm 15
    u = [decompress(byte_decode(c[32 * DU * i : 32 * DU * (i + 1)], DU), DU) for i in range(K)]
    v = decompress(byte_decode(c[32 * DU * K :], DV), DV)
    s = [byte_decode(dk[384 * i : 384 * (i + 1)], 12) for i in range(K)]
    acc = [0] * N
    for i in range(K):
        acc = add(acc, multiply_ntts(s[i], ntt(u[i])))
    w = [(a - b) % Q for a, b in zip(v, ntt_inverse(acc))]
    return byte_encode(compress(w, 1), 1)


def mlkem_keygen(d, z):  # algorithm 16
    ek, dk_pke = pke_keygen(d)
    return ek, dk_pke + ek + hashlib.sha3_256(ek).digest() + z


def mlkem_decaps(dk, c):  # algorithm 18 (implicit rejection)
    dk_pke, ek = dk[: 384 * K], dk[384 * K : 768 * K + 32]
    h, z = dk[768 * K + 32 : 768 * K + 64], dk[768 * K + 64 :]
    m = pke_decrypt(dk_pke, c)
    g = hashlib.sha3_512(m + h).digest()
    shared, r = g[:32], g[32:]
    rejected = hashlib.shake_256(z + c).digest(32)
    return shared if pke_encrypt(ek, m, r) == c else rejected


def xwing_public_key(seed):
    _, _, pk_m, pk_x = _expand(seed)
    return pk_m + pk_x


def _expand(seed):
    expanded = hashlib.shake_256(seed).digest(96)
    pk_m, sk_m = mlkem_keygen(expanded[:32], expanded[32:64])
    sk_x = X25519PrivateKey.from_private_bytes(expanded[64:96])
    return sk_m, sk_x, pk_m, sk_x.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def xwing_decapsulate(ciphertext, seed):
    """The shared secret for a 1,120-byte X-Wing ciphertext under the 32-byte seed; None when its
    X25519 part is a low-order point (FORMAT.md 2.11: such a stanza is nobody's)."""
    sk_m, sk_x, _, pk_x = _expand(seed)
    ct_m, ct_x = ciphertext[:1088], ciphertext[1088:1120]
    ss_m = mlkem_decaps(sk_m, ct_m)
    try:
        ss_x = sk_x.exchange(X25519PublicKey.from_public_bytes(ct_x))
    except ValueError:  # an all-zero shared secret
        return None
    return hashlib.sha3_256(ss_m + ss_x + ct_x + pk_x + XWING_LABEL).digest()


def mlkem_encaps(ek, m):  # algorithm 17, with the message m given (for checking vectors)
    g = hashlib.sha3_512(m + hashlib.sha3_256(ek).digest()).digest()
    return pke_encrypt(ek, m, g[32:]), g[:32]


def xwing_encapsulate(public_key, randomness):
    """(ciphertext, shared secret) for 64 bytes of randomness: the ML-KEM message, then the X25519
    ephemeral secret (FORMAT.md section 1). Lets a test check a sealer's stanzas byte for byte."""
    pk_m, pk_x = public_key[:1184], public_key[1184:1216]
    ct_m, ss_m = mlkem_encaps(pk_m, randomness[:32])
    ephemeral = X25519PrivateKey.from_private_bytes(randomness[32:64])
    ct_x = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    ss_x = ephemeral.exchange(X25519PublicKey.from_public_bytes(pk_x))
    return ct_m + ct_x, hashlib.sha3_256(ss_m + ss_x + ct_x + pk_x + XWING_LABEL).digest()
