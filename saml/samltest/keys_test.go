package samltest

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/pem"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGenerateKeyPair(t *testing.T) {
	tests := []struct {
		kt   KeyType
		bits int
	}{
		{RSA2048, 2048}, {RSA3072, 3072}, {P256, 256}, {P384, 384}, {P521, 521},
	}
	for _, tc := range tests {
		t.Run(string(tc.kt), func(t *testing.T) {
			kp := NewKeyPair(t, tc.kt)
			switch k := kp.Key.Public().(type) {
			case *rsa.PublicKey:
				require.Equal(t, tc.bits, k.N.BitLen())
				require.NotNil(t, kp.Decrypter())
			case *ecdsa.PublicKey:
				require.Equal(t, tc.bits, k.Curve.Params().BitSize)
				require.Nil(t, kp.Decrypter())
			default:
				t.Fatalf("unexpected key %T", k)
			}
			c := kp.Certificate
			require.NoError(t, c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature))
			b, _ := pem.Decode(kp.CertPEM())
			require.Equal(t, "CERTIFICATE", b.Type)
			b, _ = pem.Decode(kp.KeyPEM())
			require.Equal(t, "PRIVATE KEY", b.Type)
		})
	}
}

func TestDNSubject(t *testing.T) {
	// NIAS entityIDs are certificate DNs (spec-digest §4.1).
	subj := pkix.Name{CommonName: "niasaptst", Locality: []string{"ZAGREB"}, Organization: []string{"FINA"}, Country: []string{"HR"}}
	kp, err := GenerateKeyPair(P256, CertOptions{Subject: subj})
	require.NoError(t, err)
	require.Equal(t, "CN=niasaptst,O=FINA,L=ZAGREB,C=HR", kp.Certificate.Subject.String())
}

func TestUnknownKeyType(t *testing.T) {
	_, err := GenerateKeyPair("dsa", CertOptions{})
	require.Error(t, err)
}
