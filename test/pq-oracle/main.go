// pq-oracle: an independent implementation of sealkit's post-quantum value format,
// version 1 (SECURITY.md), from Go's standard library alone (crypto/mlkem, crypto/rsa,
// crypto/hkdf, crypto/aes). The tests seal with it what sealkit must open and open with it
// what sealkit sealed.
//
// Reads one JSON request on stdin and writes one JSON response on stdout:
//
//	{"certificatePem": "...", "privateKeyPem": "...", "mlkemSeed": "<base64>",
//	 "cases": [{"op": "seal" | "open", "label": "ns/name", "data": "<base64>"}]}
//
// seal needs certificatePem (RSA key and the ML-KEM extension); open needs privateKeyPem
// and mlkemSeed. Each result is {"data": "<base64>"} or {"error": "..."}.
package main

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/mlkem"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/binary"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// 1.2.840.113556.1.8000.2554 + the UUID 3b6b831d-89c8-4611-b4dc-48f77f73da6f in 16,16,16,16,16,24,24-bit parts.
var extensionOID = asn1.ObjectIdentifier{1, 2, 840, 113556, 1, 8000, 2554, 0x3b6b, 0x831d, 0x89c8, 0x4611, 0xb4dc, 0x48f77f, 0x73da6f}

const (
	version    = 1
	headerSize = 5
	salt       = "sealkit post-quantum v1"
)

type request struct {
	CertificatePem string `json:"certificatePem"`
	PrivateKeyPem  string `json:"privateKeyPem"`
	MlkemSeed      []byte `json:"mlkemSeed"`
	Cases          []struct {
		Op    string `json:"op"`
		Label string `json:"label"`
		Data  []byte `json:"data"`
	} `json:"cases"`
}

type result struct {
	Data  []byte `json:"data,omitempty"`
	Error string `json:"error,omitempty"`
}

type response struct {
	ExtensionOID string   `json:"extensionOid,omitempty"`
	Results      []result `json:"results"`
}

// deriveKey is K = HKDF-SHA256(ss_rsa || ss_kem, salt, SHA-256(bound) || label).
func deriveKey(ssRSA, ssKEM, bound []byte, label string) ([]byte, error) {
	transcript := sha256.Sum256(bound)
	return hkdf.Key(sha256.New, append(append([]byte{}, ssRSA...), ssKEM...), []byte(salt), string(transcript[:])+label, 32)
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func seal(pub *rsa.PublicKey, ek *mlkem.EncapsulationKey768, label string, plaintext []byte) ([]byte, error) {
	ssRSA := make([]byte, 32)
	rand.Read(ssRSA)
	r, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, pub, ssRSA, []byte(label))
	if err != nil {
		return nil, err
	}
	ssKEM, c := ek.Encapsulate()
	bound := append([]byte{0, 0, version}, binary.BigEndian.AppendUint16(nil, uint16(len(r)))...)
	bound = append(append(bound, r...), c...)
	key, err := deriveKey(ssRSA, ssKEM, bound, label)
	if err != nil {
		return nil, err
	}
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	return aead.Seal(bound, make([]byte, 12), plaintext, nil), nil
}

func open(priv *rsa.PrivateKey, dk *mlkem.DecapsulationKey768, label string, value []byte) ([]byte, error) {
	if len(value) < headerSize || value[0] != 0 || value[1] != 0 {
		return nil, errors.New("not a post-quantum value")
	}
	if value[2] != version {
		return nil, fmt.Errorf("unknown version %d", value[2])
	}
	rsaLen := int(binary.BigEndian.Uint16(value[3:5]))
	aesStart := headerSize + rsaLen + mlkem.CiphertextSize768
	if rsaLen == 0 || len(value) < aesStart+16 {
		return nil, errors.New("truncated")
	}
	ssRSA, err := rsa.DecryptOAEP(sha256.New(), nil, priv, value[headerSize:headerSize+rsaLen], []byte(label))
	if err != nil {
		return nil, err
	}
	ssKEM, err := dk.Decapsulate(value[headerSize+rsaLen : aesStart])
	if err != nil {
		return nil, err
	}
	key, err := deriveKey(ssRSA, ssKEM, value[:aesStart], label)
	if err != nil {
		return nil, err
	}
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	return aead.Open(nil, make([]byte, 12), value[aesStart:], nil)
}

func pemBlock(text, what string) ([]byte, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, fmt.Errorf("no PEM %s", what)
	}
	return block.Bytes, nil
}

// sealingKeys reads the RSA key and the ML-KEM extension from the certificate, as x509 parses it.
func sealingKeys(certificatePem string) (*rsa.PublicKey, *mlkem.EncapsulationKey768, error) {
	der, err := pemBlock(certificatePem, "certificate")
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, nil, errors.New("not an RSA certificate")
	}
	for _, ext := range cert.Extensions {
		if !ext.Id.Equal(extensionOID) {
			continue
		}
		if ext.Critical {
			return nil, nil, errors.New("the ML-KEM extension is marked critical")
		}
		var key []byte
		if rest, err := asn1.Unmarshal(ext.Value, &key); err != nil || len(rest) > 0 {
			return nil, nil, errors.New("the ML-KEM extension is not an OCTET STRING")
		}
		ek, err := mlkem.NewEncapsulationKey768(key)
		return pub, ek, err
	}
	return nil, nil, errors.New("the certificate has no ML-KEM extension")
}

func run(req request) (response, error) {
	resp := response{ExtensionOID: extensionOID.String()}
	var pub *rsa.PublicKey
	var ek *mlkem.EncapsulationKey768
	var priv *rsa.PrivateKey
	var dk *mlkem.DecapsulationKey768
	var err error
	if req.CertificatePem != "" {
		if pub, ek, err = sealingKeys(req.CertificatePem); err != nil {
			return resp, err
		}
	}
	if req.PrivateKeyPem != "" {
		der, err := pemBlock(req.PrivateKeyPem, "private key")
		if err != nil {
			return resp, err
		}
		if priv, err = x509.ParsePKCS1PrivateKey(der); err != nil {
			return resp, err
		}
		if dk, err = mlkem.NewDecapsulationKey768(req.MlkemSeed); err != nil {
			return resp, err
		}
		if ek != nil && !bytes.Equal(ek.Bytes(), dk.EncapsulationKey().Bytes()) {
			return resp, errors.New("the seed does not derive the certificate's ML-KEM key")
		}
	}
	for _, c := range req.Cases {
		var out []byte
		var err error
		switch {
		case c.Op == "seal" && ek != nil:
			out, err = seal(pub, ek, c.Label, c.Data)
		case c.Op == "open" && dk != nil:
			out, err = open(priv, dk, c.Label, c.Data)
		default:
			err = fmt.Errorf("cannot %q with the keys given", c.Op)
		}
		if err != nil {
			resp.Results = append(resp.Results, result{Error: err.Error()})
		} else {
			resp.Results = append(resp.Results, result{Data: out})
		}
	}
	return resp, nil
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "pq-oracle:", err)
		os.Exit(2)
	}
	resp, err := run(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pq-oracle:", err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(resp)
}
