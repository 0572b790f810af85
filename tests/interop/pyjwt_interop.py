#!/usr/bin/env python3
"""Interoperability with PyJWT (and `cryptography`), an implementation independent of ours.

    pyjwt_interop.py generate OUT.json   keys and tokens made here, for the Rust side to verify
    pyjwt_interop.py verify IN.json      tokens made by the Rust side, verified here

`generate` makes a key for every asymmetric algorithm (RS256..RS512, PS256..PS512,
ES256/384/512, EdDSA) and writes, for each: the private key (PKCS#8 PEM, and the traditional
PKCS#1 or SEC1 PEM where there is one), the public key (SPKI PEM, SPKI DER in base64, PKCS#1
PEM for RSA, JWK), the claims and a token signed with them.

`verify` reads {"tokens": [{"alg", "kid", "token", "public_jwk", "claims"}], "jwks": SET}
and checks each token with its JWK, and again with the key its `kid` selects in the JWK Set
SET; every token must verify and decode to exactly its claims. It exits 1 on any failure,
naming each, and 0 after printing how many tokens passed.

Needs: python3 -m pip install "pyjwt>=2.10" cryptography
(PyJWT before 2.10 drops the leading zero bytes of EC coordinates in its JWKs.)
"""
import base64
import json
import sys
import time

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
              "ES256", "ES384", "ES512", "EdDSA"]
CURVES = {"ES256": ec.SECP256R1, "ES384": ec.SECP384R1, "ES512": ec.SECP521R1}
ISSUER = "https://issuer.example"
AUDIENCE = "interop-tests"


def generate_key(alg):
    if alg.startswith(("RS", "PS")):
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if alg in CURVES:
        return ec.generate_private_key(CURVES[alg]())
    return ed25519.Ed25519PrivateKey.generate()


def pem(key, encoding_format):
    return key.private_bytes(serialization.Encoding.PEM, encoding_format,
                             serialization.NoEncryption()).decode()


def describe(alg, key):
    public = key.public_key()
    spki_der = public.public_bytes(serialization.Encoding.DER,
                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    entry = {
        "alg": alg,
        "kid": "pyjwt-" + alg.lower(),
        "private_pkcs8_pem": pem(key, serialization.PrivateFormat.PKCS8),
        "public_spki_pem": public.public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
        "public_spki_der_b64": base64.b64encode(spki_der).decode(),
    }
    if alg.startswith(("RS", "PS")):
        entry["private_traditional_pem"] = pem(key, serialization.PrivateFormat.TraditionalOpenSSL)
        entry["public_pkcs1_pem"] = public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.PKCS1).decode()
    elif alg in CURVES:
        entry["private_traditional_pem"] = pem(key, serialization.PrivateFormat.TraditionalOpenSSL)
    algorithm = jwt.get_algorithm_by_name(alg)
    jwk = json.loads(algorithm.to_jwk(public))
    jwk.update({"kid": entry["kid"], "alg": alg, "use": "sig"})
    entry["public_jwk"] = jwk
    return entry


def generate(path):
    now = int(time.time())
    fixture = {"issuer": ISSUER, "audience": AUDIENCE, "tokens": []}
    for alg in ALGORITHMS:
        key = generate_key(alg)
        entry = describe(alg, key)
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "user-" + alg,
                  "iat": now, "exp": now + 3600, "name": "Zo\u00eb \u2713", "n": 42}
        entry["claims"] = claims
        entry["token"] = jwt.encode(claims, key, algorithm=alg, headers={"kid": entry["kid"]})
        fixture["tokens"].append(entry)
    with open(path, "w", encoding="utf-8") as out:
        json.dump(fixture, out, indent=1, ensure_ascii=False)
    print(f"wrote {len(fixture['tokens'])} tokens to {path}")


def decode(token, key, alg, claims):
    return jwt.decode(token, key, algorithms=[alg], audience=claims.get("aud"),
                      issuer=claims.get("iss"),
                      options={"require": ["exp"], "verify_signature": True})


def verify(path):
    with open(path, encoding="utf-8") as source:
        fixture = json.load(source)
    key_set = jwt.PyJWKSet.from_dict(fixture["jwks"]) if "jwks" in fixture else None
    failures, passed = [], 0
    for entry in fixture["tokens"]:
        alg, token, claims = entry["alg"], entry["token"], entry["claims"]
        label = f"{alg} {entry.get('kid')} ({entry.get('origin', 'rust')})"
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != alg:
                raise ValueError(f"header alg {header.get('alg')!r}")
            if header.get("kid") != entry.get("kid"):
                raise ValueError(f"header kid {header.get('kid')!r}")
            key = jwt.PyJWK(entry["public_jwk"], algorithm=alg)
            if decode(token, key.key, alg, claims) != claims:
                raise ValueError("claims differ")
            if key_set is not None and entry.get("kid"):
                from_set = key_set[entry["kid"]]
                if decode(token, from_set.key, alg, claims) != claims:
                    raise ValueError("claims differ through the JWK Set")
            # A token with one changed signature byte must be refused.
            head, payload, signature = token.split(".")
            raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
            raw[len(raw) // 2] ^= 1
            tampered = ".".join([head, payload,
                                 base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()])
            try:
                decode(tampered, key.key, alg, claims)
            except jwt.InvalidSignatureError:
                pass
            else:
                raise ValueError("a tampered signature verified")
            passed += 1
        except Exception as error:  # every failure is reported, none stops the run
            failures.append(f"{label}: {type(error).__name__}: {error}")
    for failure in failures:
        print("FAIL", failure, file=sys.stderr)
    print(f"pyjwt {jwt.__version__}: {passed} passed, {len(failures)} failed")
    return 1 if failures or passed == 0 else 0


def main(argv):
    if len(argv) != 3 or argv[1] not in ("generate", "verify"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "generate":
        generate(argv[2])
        return 0
    return verify(argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
