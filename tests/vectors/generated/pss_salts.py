"""Writes pss_salts.json: RSASSA-PSS signatures by the RSA key of RFC 7520 section 3.4 over
one JWS signing input, for PS256, PS384 and PS512, with salts of every interesting length.
RFC 7518 section 3.5 requires the salt to be as long as the hash; the tests check that only
those verify. Run: python3 pss_salts.py > pss_salts.json"""
import base64, json, os, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "rfc7520", "3_4.rsa_private_key.json")) as f:
    jwk = json.load(f)

def num(s):
    return int.from_bytes(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)), "big")

public = rsa.RSAPublicNumbers(num(jwk["e"]), num(jwk["n"]))
key = rsa.RSAPrivateNumbers(num(jwk["p"]), num(jwk["q"]), num(jwk["d"]), num(jwk["dp"]),
                            num(jwk["dq"]), num(jwk["qi"]), public).private_key()
out = []
for alg, hash_ in (("PS256", hashes.SHA256()), ("PS384", hashes.SHA384()), ("PS512", hashes.SHA512())):
    header = base64.urlsafe_b64encode(json.dumps({"alg": alg}).encode()).rstrip(b"=").decode()
    signing_input = header + ".eyJzdWIiOiJzYWx0In0"
    max_salt = 256 - hash_.digest_size - 2
    for salt in sorted({0, 20, hash_.digest_size - 1, hash_.digest_size, hash_.digest_size + 1, max_salt}):
        sig = key.sign(signing_input.encode(), padding.PSS(padding.MGF1(hash_), salt), hash_)
        key.public_key().verify(sig, signing_input.encode(), padding.PSS(padding.MGF1(hash_), salt), hash_)
        out.append({"alg": alg, "signing_input": signing_input, "salt_len": salt,
                    "hash_len": hash_.digest_size,
                    "signature": base64.urlsafe_b64encode(sig).rstrip(b"=").decode()})
json.dump({"source": "pss_salts.py", "key": "RFC 7520 section 3.4", "signatures": out}, sys.stdout, indent=1)
print()
