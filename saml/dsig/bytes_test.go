package dsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/asn1"
	"math/big"
	"testing"

	"github.com/eidkit/eidkit/saml/samltest"
	"github.com/stretchr/testify/require"
)

// TestSignVerifyBytes round-trips every method over raw bytes, as the
// HTTP-Redirect binding uses them (SAMLBind §3.4.4.1).
func TestSignVerifyBytes(t *testing.T) {
	data := []byte("SAMLRequest=abc&RelayState=xyz&SigAlg=...")
	for _, tc := range algorithmCases {
		t.Run(tc.name, func(t *testing.T) {
			kp := key(t, tc.kt)
			sig, err := SignBytes(kp.Key, tc.method, data)
			require.NoError(t, err)
			if ec, ok := kp.Key.Public().(*ecdsa.PublicKey); ok {
				require.Len(t, sig, 2*((ec.Curve.Params().BitSize+7)/8), "r||s form")
			}
			require.NoError(t, VerifyBytes(kp.Key.Public(), tc.method, data, sig, Policy{}))
			require.ErrorIs(t, VerifyBytes(kp.Key.Public(), tc.method, append(data, '!'), sig, Policy{}), ErrBadSignature)
			bad := append([]byte(nil), sig...)
			bad[len(bad)/2] ^= 1
			require.ErrorIs(t, VerifyBytes(kp.Key.Public(), tc.method, data, bad, Policy{}), ErrBadSignature)
		})
	}
}

// TestVerifyBytesPolicy: methods and keys outside the policy are refused
// before any signature math (eIDAS: PSS/ECDSA only, RSA >= 3072).
func TestVerifyBytesPolicy(t *testing.T) {
	rsa2048 := key(t, samltest.RSA2048)
	rsa3072 := key(t, samltest.RSA3072)
	p256 := key(t, samltest.P256)
	data := []byte("data")
	sign := func(kp *samltest.KeyPair, method string) []byte {
		sig, err := SignBytes(kp.Key, method, data)
		require.NoError(t, err)
		return sig
	}
	sha1Sig := func() []byte {
		d := sha1.Sum(data)
		sig, err := rsa.SignPKCS1v15(rand.Reader, rsa2048.Key.(*rsa.PrivateKey), crypto.SHA1, d[:])
		require.NoError(t, err)
		return sig
	}()
	tests := []struct {
		name   string
		pub    crypto.PublicKey
		method string
		sig    []byte
		policy Policy
		want   error
	}{
		{"pkcs1 default ok", rsa2048.Certificate.PublicKey, RSASHA256, sign(rsa2048, RSASHA256), Policy{}, nil},
		{"sha1 refused by default", rsa2048.Certificate.PublicKey, RSASHA1, sha1Sig, Policy{}, ErrUnsupportedAlgorithm},
		{"sha1 with AllowSHA1", rsa2048.Certificate.PublicKey, RSASHA1, sha1Sig, Policy{AllowSHA1: true}, nil},
		{"hmac never", rsa2048.Certificate.PublicKey, HMACSHA1, sha1Sig, Policy{AllowSHA1: true}, ErrUnsupportedAlgorithm},
		{"unknown method", rsa2048.Certificate.PublicKey, "urn:x", sha1Sig, Policy{}, ErrUnsupportedAlgorithm},
		{"eidas refuses pkcs1", rsa3072.Certificate.PublicKey, RSASHA256, sign(rsa3072, RSASHA256), EIDASPolicy(), ErrUnsupportedAlgorithm},
		{"eidas refuses rsa2048 pss", rsa2048.Certificate.PublicKey, RSAPSSSHA256, sign(rsa2048, RSAPSSSHA256), EIDASPolicy(), ErrWeakKey},
		{"eidas accepts rsa3072 pss", rsa3072.Certificate.PublicKey, RSAPSSSHA256, sign(rsa3072, RSAPSSSHA256), EIDASPolicy(), nil},
		{"eidas accepts p256", p256.Certificate.PublicKey, ECDSASHA256, sign(p256, ECDSASHA256), EIDASPolicy(), nil},
		{"min rsa bits 3072", rsa2048.Certificate.PublicKey, RSASHA256, sign(rsa2048, RSASHA256), Policy{MinRSABits: 3072}, ErrWeakKey},
		{"min ec bits 384", p256.Certificate.PublicKey, ECDSASHA256, sign(p256, ECDSASHA256), Policy{MinECBits: 384}, ErrWeakKey},
		{"pss sig under pkcs1 method", rsa2048.Certificate.PublicKey, RSASHA256, sign(rsa2048, RSAPSSSHA256), Policy{}, ErrBadSignature},
		{"ec key rsa method", p256.Certificate.PublicKey, RSASHA256, sign(p256, ECDSASHA256), Policy{}, ErrUnsupportedAlgorithm},
		{"rsa key ec method", rsa2048.Certificate.PublicKey, ECDSASHA256, sign(p256, ECDSASHA256), Policy{}, ErrUnsupportedAlgorithm},
		{"unsupported key type", "not a key", RSASHA256, sign(rsa2048, RSASHA256), Policy{}, ErrUnsupportedAlgorithm},
		{"empty signature", rsa2048.Certificate.PublicKey, RSASHA256, nil, Policy{}, ErrBadSignature},
		{"ecdsa asn1 form refused", p256.Certificate.PublicKey, ECDSASHA256, asn1Sig(t, p256, data), Policy{}, ErrBadSignature},
		{"invalid policy", rsa2048.Certificate.PublicKey, RSASHA256, sign(rsa2048, RSASHA256), Policy{MinRSABits: 1024}, ErrInvalidConfig},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := VerifyBytes(tc.pub, tc.method, data, tc.sig, tc.policy)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
		})
	}
}

// asn1Sig is the ASN.1 DER ECDSA form goxmldsig writes (goxmldsig #163).
func asn1Sig(t *testing.T, kp *samltest.KeyPair, data []byte) []byte {
	d := sha256.Sum256(data)
	sig, err := ecdsa.SignASN1(rand.Reader, kp.Key.(*ecdsa.PrivateKey), d[:])
	require.NoError(t, err)
	return sig
}

func TestSignBytesErrors(t *testing.T) {
	rsaKP := key(t, samltest.RSA2048)
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	require.NoError(t, err)
	tests := []struct {
		name   string
		key    crypto.Signer
		method string
		want   error
	}{
		{"nil key", nil, RSASHA256, ErrInvalidConfig},
		{"sha1", rsaKP.Key, RSASHA1, ErrUnsupportedAlgorithm},
		{"hmac", rsaKP.Key, HMACSHA1, ErrUnsupportedAlgorithm},
		{"unknown", rsaKP.Key, "urn:x", ErrUnsupportedAlgorithm},
		{"mismatch", rsaKP.Key, ECDSASHA256, ErrUnsupportedAlgorithm},
		{"rsa 1024 too weak", rsa1024, RSASHA256, ErrWeakKey},
		{"p224 unsupported curve", p224, ECDSASHA256, ErrUnsupportedAlgorithm},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := SignBytes(tc.key, tc.method, []byte("x"))
			require.ErrorIs(t, err, tc.want)
		})
	}
}

// TestASN1ToRSPadding: r and s shorter than the curve size are left-padded
// (XML-DSig 1.1 §6.4.3), and malformed signer output is an error.
func TestASN1ToRSPadding(t *testing.T) {
	der, err := asn1.Marshal(struct{ R, S *big.Int }{big.NewInt(1), big.NewInt(0x0203)})
	require.NoError(t, err)
	rs, err := asn1ToRS(der, 32)
	require.NoError(t, err)
	want := make([]byte, 64)
	want[31] = 1
	want[62], want[63] = 2, 3
	require.Equal(t, want, rs)

	for _, bad := range [][]byte{nil, {0x30, 0x00}, append(der, 0)} {
		_, err := asn1ToRS(bad, 32)
		require.Error(t, err)
	}
	big33 := new(big.Int).Lsh(big.NewInt(1), 256)
	der, err = asn1.Marshal(struct{ R, S *big.Int }{big33, big.NewInt(1)})
	require.NoError(t, err)
	_, err = asn1ToRS(der, 32)
	require.Error(t, err)
}

// TestPSSSaltLength: only salt = hash length verifies (RFC 6931 MGF1 URIs
// carry no parameters; eIDAS nodes and xmldsigjs use hash length).
func TestPSSSaltLength(t *testing.T) {
	kp := key(t, samltest.RSA2048)
	data := []byte("data")
	d := sha256.Sum256(data)
	for _, tc := range []struct {
		salt int
		ok   bool
	}{{32, true}, {20, false}, {rsa.PSSSaltLengthAuto, false}} {
		sig, err := rsa.SignPSS(rand.Reader, kp.Key.(*rsa.PrivateKey), crypto.SHA256, d[:], &rsa.PSSOptions{SaltLength: tc.salt})
		require.NoError(t, err)
		err = VerifyBytes(kp.Certificate.PublicKey, RSAPSSSHA256, data, sig, Policy{})
		if tc.ok {
			require.NoError(t, err)
		} else {
			require.ErrorIs(t, err, ErrBadSignature)
		}
	}
}
