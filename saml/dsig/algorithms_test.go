package dsig

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"testing"

	"github.com/eidkit/eidkit/saml/samltest"
	"github.com/stretchr/testify/require"
)

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		p      Policy
		wantOK bool
		errs   int
	}{
		{"zero is valid", Policy{}, true, 0},
		{"eidas is valid", EIDASPolicy(), true, 0},
		{"sha1 with allow", Policy{Methods: []string{RSASHA1}, Digests: []string{DigestSHA1}, AllowSHA1: true}, true, 0},
		{"sha1 method without allow", Policy{Methods: []string{RSASHA1}}, false, 1},
		{"sha1 digest without allow", Policy{Digests: []string{DigestSHA1}}, false, 1},
		{"hmac method", Policy{Methods: []string{HMACSHA1}}, false, 1},
		{"empty methods", Policy{Methods: []string{}}, false, 1},
		{"empty digests", Policy{Digests: []string{}}, false, 1},
		{"rsa below 2048", Policy{MinRSABits: 1024}, false, 1},
		{"rsa above max", Policy{MinRSABits: MaxRSABits + 1}, false, 1},
		{"ec below 256", Policy{MinECBits: 224}, false, 1},
		{"every problem reported", Policy{Methods: []string{"a", "b"}, Digests: []string{"c"}, MinRSABits: 1, MinECBits: 1}, false, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			if tc.wantOK {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidConfig)
			joined, ok := err.(interface{ Unwrap() []error })
			require.True(t, ok)
			require.Len(t, joined.Unwrap(), tc.errs)
		})
	}
}

// TestPolicyDefaults: the zero policy accepts the strict default set and
// nothing else; EIDASPolicy only PSS and ECDSA (spec-digest §2.5).
func TestPolicyDefaults(t *testing.T) {
	all := []string{RSASHA256, RSASHA384, RSASHA512, RSAPSSSHA256, RSAPSSSHA384, RSAPSSSHA512, ECDSASHA256, ECDSASHA384, ECDSASHA512}
	var zero Policy
	eidas := EIDASPolicy()
	for _, m := range all {
		require.True(t, zero.allowsMethod(m), m)
		require.Equal(t, m != RSASHA256 && m != RSASHA384 && m != RSASHA512, eidas.allowsMethod(m), m)
	}
	for _, m := range []string{RSASHA1, HMACSHA1, "", "urn:x"} {
		require.False(t, zero.allowsMethod(m), m)
		require.False(t, eidas.allowsMethod(m), m)
	}
	require.True(t, (&Policy{AllowSHA1: true}).allowsMethod(RSASHA1))
	require.False(t, (&Policy{AllowSHA1: true, Methods: []string{RSASHA256}}).allowsMethod(RSASHA1))
	for _, d := range []string{DigestSHA256, DigestSHA384, DigestSHA512} {
		require.True(t, zero.allowsDigest(d))
		require.True(t, eidas.allowsDigest(d))
	}
	require.False(t, zero.allowsDigest(DigestSHA1))
	require.True(t, (&Policy{AllowSHA1: true}).allowsDigest(DigestSHA1))
	require.Equal(t, DefaultMinRSABits, zero.minRSA())
	require.Equal(t, EIDASMinRSABits, eidas.minRSA())
}

func TestDefaultMethod(t *testing.T) {
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	require.NoError(t, err)
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	tests := []struct {
		name string
		pub  any
		want string
		err  error
	}{
		{"rsa", key(t, samltest.RSA2048).Key.Public(), RSASHA256, nil},
		{"p256", key(t, samltest.P256).Key.Public(), ECDSASHA256, nil},
		{"p384", key(t, samltest.P384).Key.Public(), ECDSASHA384, nil},
		{"p521", key(t, samltest.P521).Key.Public(), ECDSASHA512, nil},
		{"p224 unsupported", &p224.PublicKey, "", ErrUnsupportedAlgorithm},
		{"ed25519 unsupported", edPub, "", ErrUnsupportedAlgorithm},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DefaultMethod(tc.pub)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
