package metadata_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/samltest"
)

// TestRoundTrip generates SP and IdP metadata, signs it, parses it back with
// the signer's certificate as the only trust anchor (N23) and expects the
// same descriptor.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		kt     samltest.KeyType
		method string
		policy dsig.Policy
	}{
		{"RSA2048 default method", samltest.RSA2048, "", dsig.Policy{}},
		{"RSA3072 PSS eIDAS", samltest.RSA3072, dsig.RSAPSSSHA512, dsig.EIDASPolicy()},
		{"P256 ECDSA", samltest.P256, "", dsig.EIDASPolicy()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			kps, certs := keyPairs(t, tc.kt, 2)
			signer := &dsig.Signer{Key: kps[0].Key, Certificates: certs[:1], Method: tc.method}
			opts := metadata.ParseOptions{Verifier: &dsig.Verifier{Certificates: certs[:1], Policy: tc.policy}, Now: clock}

			for _, want := range []func() (*metadata.EntityDescriptor, error){
				func() (*metadata.EntityDescriptor, error) { return metadata.NewSP(spConfig(certs, certs[1])) },
				func() (*metadata.EntityDescriptor, error) { return metadata.NewIDP(idpConfig(certs, certs[1])) },
			} {
				ed, err := want()
				require.NoError(t, err)
				ed.ID = "_md1"
				signed, err := ed.Sign(signer)
				require.NoError(t, err)

				got, err := metadata.Parse(signed, opts)
				require.NoError(t, err)
				require.Equal(t, certs[0].Raw, got.SignedBy.Raw)
				require.Equal(t, ed, normalize(got))

				// The unsigned form parses to the same descriptor too.
				plain, err := ed.Marshal()
				require.NoError(t, err)
				got, err = metadata.Parse(plain, unsignedOK())
				require.NoError(t, err)
				require.Nil(t, got.SignedBy)
				require.Equal(t, ed, normalize(got))
			}
		})
	}
}

// TestSignGeneratesID: metadata without an ID gets one for the signature
// Reference, and the caller's descriptor is left alone.
func TestSignGeneratesID(t *testing.T) {
	t.Parallel()
	kps, certs := keyPairs(t, samltest.P256, 1)
	ed, err := metadata.NewIDP(idpConfig(certs))
	require.NoError(t, err)
	require.Empty(t, ed.ID)
	signed, err := ed.Sign(&dsig.Signer{Key: kps[0].Key})
	require.NoError(t, err)
	require.Empty(t, ed.ID)
	got, err := metadata.Parse(signed, trusting(certs...))
	require.NoError(t, err)
	require.Regexp(t, `^_[0-9a-f]{40}$`, got.ID)

	_, err = ed.Sign(nil)
	require.ErrorIs(t, err, metadata.ErrInvalidConfig)
	// A signer that cannot sign (RSA method, EC key) reports dsig's error.
	_, err = ed.Sign(&dsig.Signer{Key: kps[0].Key, Method: dsig.RSASHA256})
	require.ErrorIs(t, err, metadata.ErrInvalidConfig)
	require.ErrorIs(t, err, dsig.ErrUnsupportedAlgorithm)
}
