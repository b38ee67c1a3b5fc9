package xmlenc

import (
	"crypto"
	"crypto/ecdsa"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/samltest"
)

// TestRoundTrip encrypts and decrypts with every data algorithm and key
// transport the package writes (issue 2: round trips for every algorithm;
// N2, N23: the key comes from the recipient's exchanged certificate).
func TestRoundTrip(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	tests := []struct {
		name      string
		data, key string
	}{
		{"default eIDAS profile", "", ""},
		{"aes128-gcm rsa-oaep", AES128GCM, RSAOAEP},
		{"aes192-gcm rsa-oaep", AES192GCM, RSAOAEP},
		{"aes256-gcm rsa-oaep-mgf1p", AES256GCM, RSAOAEPMGF1P},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, a := response(t, 0)
			enc := Encrypter{Certificate: kp.Certificate, DataMethod: tc.data, KeyTransport: tc.key}
			ea, err := enc.EncryptAssertion(a)
			require.NoError(t, err)
			dec := Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}}
			got, err := dec.Decrypt(ea)
			require.NoError(t, err)
			require.Equal(t, "Assertion", got.Tag)
			require.Equal(t, saml.NSAssertion, got.NamespaceURI())
			require.Nil(t, got.Parent())
		})
	}
}

// TestConcurrentUse: one Encrypter and one Decrypter serve many requests at
// once (run under -race).
func TestConcurrentUse(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	ec := samltest.NewKeyPair(t, samltest.P256)
	encs := []*Encrypter{{Certificate: kp.Certificate}, {Certificate: ec.Certificate}}
	dec := &Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}, ECKeys: []*ecdsa.PrivateKey{ec.Key.(*ecdsa.PrivateKey)}}
	_, a := response(t, 500)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			ea, err := encs[i%2].EncryptAssertion(a)
			if err == nil {
				_, err = dec.Decrypt(ea)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
