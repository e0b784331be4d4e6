#!/usr/bin/env python3
"""An independent opener for sealed-secrets values, written from the format alone
(uint16BE len(R) || R = RSA-OAEP-SHA256(label)(K) || AES-256-GCM(K, zero nonce)).

Reads JSON from stdin: {"privateKeysPem": [...], "values": [{"sealed": b64, "label": str}],
"sealedSecrets": [SealedSecret objects]} and prints JSON: {"values": [b64 or null],
"sealedSecrets": [{key: b64 or null}]}.
"""
import base64
import json
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def open_value(keys, sealed_b64, label):
    data = base64.b64decode(sealed_b64, validate=True)
    if len(data) < 2:
        return None
    rsa_len = int.from_bytes(data[:2], "big")
    if len(data) < 2 + rsa_len:
        return None
    rsa_part, aes_part = data[2 : 2 + rsa_len], data[2 + rsa_len :]
    for key in keys:
        try:
            session_key = key.decrypt(
                rsa_part,
                padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=label or None),
            )
        except ValueError:
            continue
        return AESGCM(session_key).decrypt(b"\0" * 12, aes_part, None)
    return None


def label_of(sealed_secret):
    meta = sealed_secret["metadata"]
    annotations = meta.get("annotations") or {}
    if annotations.get("sealedsecrets.bitnami.com/cluster-wide") == "true":
        return b""
    if annotations.get("sealedsecrets.bitnami.com/namespace-wide") == "true":
        return meta["namespace"].encode()
    return f"{meta['namespace']}/{meta['name']}".encode()


def b64_or_none(plaintext):
    return None if plaintext is None else base64.b64encode(plaintext).decode()


def main():
    request = json.load(sys.stdin)
    keys = [serialization.load_pem_private_key(pem.encode(), password=None) for pem in request["privateKeysPem"]]
    values = [b64_or_none(open_value(keys, v["sealed"], v["label"].encode())) for v in request.get("values", [])]
    sealed_secrets = [
        {k: b64_or_none(open_value(keys, v, label_of(s))) for k, v in s["spec"]["encryptedData"].items()}
        for s in request.get("sealedSecrets", [])
    ]
    json.dump({"values": values, "sealedSecrets": sealed_secrets}, sys.stdout)


if __name__ == "__main__":
    main()
