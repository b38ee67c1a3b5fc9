package xmlenc

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"testing"

	"github.com/eidkit/eidkit/saml/samltest"
)

// benchKey is an RSA-2048 recipient for the benchmarks.
func benchKey(b *testing.B) *samltest.KeyPair {
	b.Helper()
	kp, err := samltest.GenerateKeyPair(samltest.RSA2048, samltest.CertOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return kp
}

// BenchmarkEncryptAssertion: 5 KB assertion, AES-256-GCM, RSA-OAEP
// SHA-256 to RSA-2048.
func BenchmarkEncryptAssertion(b *testing.B) {
	kp := benchKey(b)
	_, a := response(b, 5000)
	enc := Encrypter{Certificate: kp.Certificate}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := enc.EncryptAssertion(a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecryptAssertion decrypts the same 5 KB assertion and, in the
// same run, the raw RSA-OAEP unwrap alone: the ratio shows what XML
// handling adds to the unavoidable private-key operation.
func BenchmarkDecryptAssertion(b *testing.B) {
	kp := benchKey(b)
	_, a := response(b, 5000)
	ea, err := (&Encrypter{Certificate: kp.Certificate}).EncryptAssertion(a)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("xmlenc", func(b *testing.B) {
		dec := Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := dec.Decrypt(ea); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw-rsa-oaep", func(b *testing.B) {
		key := kp.Key.(*rsa.PrivateKey)
		opts := &rsa.OAEPOptions{Hash: crypto.SHA256}
		wrapped, err := rsa.EncryptOAEPWithOptions(rand.Reader, &key.PublicKey, make([]byte, 32), opts)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := key.Decrypt(nil, wrapped, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}
