package metadata_test

import (
	"testing"

	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/samltest"
)

// BenchmarkParseMetadata parses typical IdP metadata with two signing
// certificates, unsigned (structure only) and signed (RSA-2048 verify).
func BenchmarkParseMetadata(b *testing.B) {
	kp, err := samltest.GenerateKeyPair(samltest.RSA2048, samltest.CertOptions{})
	if err != nil {
		b.Fatal(err)
	}
	kp2, err := samltest.GenerateKeyPair(samltest.RSA2048, samltest.CertOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ed, err := metadata.NewIDP(idpConfig(certsOf(kp, kp2)))
	if err != nil {
		b.Fatal(err)
	}
	plain, err := ed.Marshal()
	if err != nil {
		b.Fatal(err)
	}
	signed, err := ed.Sign(dsigSigner(kp))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("unsigned", func(b *testing.B) {
		b.SetBytes(int64(len(plain)))
		for b.Loop() {
			if _, err := metadata.Parse(plain, unsignedOK()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("signed", func(b *testing.B) {
		opts := trusting(kp.Certificate)
		b.SetBytes(int64(len(signed)))
		for b.Loop() {
			if _, err := metadata.Parse(signed, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMarshal generates IdP metadata.
func BenchmarkMarshal(b *testing.B) {
	kp, err := samltest.GenerateKeyPair(samltest.P256, samltest.CertOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ed, err := metadata.NewIDP(idpConfig(certsOf(kp, kp)))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ed.Marshal(); err != nil {
			b.Fatal(err)
		}
	}
}
